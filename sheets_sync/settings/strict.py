"""The base of every config model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base: unknown keys are a mistake in a config file, so they are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
