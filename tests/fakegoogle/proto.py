"""Protobuf-JSON habits of Google's output that the fake reproduces on stored values.

- Color channels are stored with 8 bits and printed as proto3 float32, zero channels
  omitted (1.0 -> 1, 0.5 -> 127/255 -> 0.49803922).
- Legacy color fields and their *Style twins mirror each other (backgroundColor <->
  backgroundColorStyle.rgbColor, ...); an empty style clears both.
"""

from __future__ import annotations

import struct
from typing import Any

_PAIRS = (
    ("backgroundColor", "backgroundColorStyle"),
    ("foregroundColor", "foregroundColorStyle"),
    ("tabColor", "tabColorStyle"),
    ("color", "colorStyle"),
)
_CHANNELS = ("red", "green", "blue", "alpha")


def float32(x: float) -> float | int:
    """The shortest decimal that reads back as the same float32, as Google prints it."""
    f32 = struct.unpack("f", struct.pack("f", float(x)))[0]
    for p in range(1, 10):
        cand = float(f"{f32:.{p}g}")
        if struct.unpack("f", struct.pack("f", cand))[0] == f32:
            return int(cand) if cand.is_integer() else cand
    return f32


def norm_color(c: Any) -> Any:
    if not isinstance(c, dict):
        return c
    out = {}
    for k, v in c.items():
        if k in _CHANNELS:
            if isinstance(v, int | float) and not isinstance(v, bool):
                if k != "alpha":
                    # Sheets keeps 8 bits per channel (0.5 -> 127/255 = 0.49803922)
                    v = int(min(max(v, 0.0), 1.0) * 255 + 1e-6) / 255
                if v != 0:
                    out[k] = float32(v)
        else:
            out[k] = v
    return out


def normalize(obj: Any) -> Any:
    """Normalize colors (recursively) in a stored format/properties object, in place."""
    if isinstance(obj, list):
        for v in obj:
            normalize(v)
        return obj
    if not isinstance(obj, dict):
        return obj
    for plain, style in _PAIRS:
        if style in obj:
            st = obj[style]
            if not isinstance(st, dict) or not st:
                obj.pop(style, None)
                obj.pop(plain, None)
            elif "rgbColor" in st:
                st["rgbColor"] = norm_color(st["rgbColor"])
                obj[plain] = dict(st["rgbColor"])
        elif plain in obj and isinstance(obj[plain], dict):
            obj[plain] = norm_color(obj[plain])
            obj[style] = {"rgbColor": dict(obj[plain])}
    for k, v in obj.items():
        if k not in ("rgbColor",) and isinstance(v, dict | list):
            normalize(v)
    return obj
