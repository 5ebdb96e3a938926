"""`--every 5m`: a length of time as people write it for a scheduler, in seconds."""

from __future__ import annotations

import re
from typing import Any

import click

_UNITS = {"": 1, "s": 1, "d": 1, "detik": 1, "m": 60, "menit": 60, "h": 3600, "j": 3600,
          "jam": 3600}
_PATTERN = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*")


class Duration(click.ParamType):
    name = "lama"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        m = _PATTERN.fullmatch(str(value).lower())
        if not m or m.group(2) not in _UNITS:
            self.fail(f"'{value}' bukan lama waktu; tulis mis. 5m (menit), 1h (jam) atau 300 "
                      "(detik).", param, ctx)
        seconds = float(m.group(1).replace(",", ".")) * _UNITS[m.group(2)]
        if seconds < 60:
            self.fail(f"'{value}' terlalu sering untuk penjadwal; paling sedikit 1m.", param, ctx)
        return seconds
