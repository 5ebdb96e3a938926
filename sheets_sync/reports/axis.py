"""A chart's value axis chosen from the data: steps of 1, 2 or 5 times a power of ten, few
enough that the labels never touch, whatever the range (a top of 12 or of 2,000 %). Pure."""

from __future__ import annotations

import math

STEPS = (1.0, 2.0, 5.0)


def max_ticks(axis_height: float, label_height: float, gap: float = 1.2) -> int:
    """How many steps fit on an axis `axis_height` tall with labels `label_height` tall,
    each label keeping `gap` times its height of room (so two labels never collide)."""
    return max(1, int(axis_height // (label_height * (1 + gap))))


def nice_step(span: float, most: int) -> float:
    """The smallest 1-2-5 step that covers `span` in at most `most` steps."""
    if span <= 0:
        return 1.0
    raw = span / max(1, most)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (*STEPS, 10.0):
        step = factor * power
        if span / step <= most + 1e-9:
            return step
    return 10.0 * power  # pragma: no cover (10 x power always covers)


def value_axis(top: float, most: int, headroom: float = 0.08) -> tuple[float, float]:
    """(step, axis maximum) for values from 0 to `top`: the maximum a whole number of steps,
    leaving `headroom` (a share of the axis) above the top value for its bar label."""
    want = max(top, 0.0) * (1 + headroom) or 1.0
    step = nice_step(want, most)
    return step, round(math.ceil(want / step - 1e-9) * step, 10)
