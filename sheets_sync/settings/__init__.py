"""The config's settings for the outside world: where the workbooks live and how the service
reaches Google (`backend`), and the channels reminders go over (`notify`).

Plain validated data, importing nothing of the project (docs/design.md §4): the domain's
`Config` carries these parts of the config file without reading them, and only adapters,
flows that share files, `notify` and the CLI look inside.
"""
