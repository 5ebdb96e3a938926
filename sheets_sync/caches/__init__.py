"""What is slow to compute on every command, kept on disk in the user's cache folder: the
parsed config (`config_cache`) and the national holidays (`holiday_cache`). Deleting the
folder is always safe: everything is computed afresh."""
