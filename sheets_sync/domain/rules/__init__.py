"""Validation rules (SOP step 4): rules as data, evaluated over a section's sheet.

    from sheets_sync.domain.rules import evaluate, default_rules, History
    issues = evaluate(config, sheet, history)

`spec` (the rule models) is imported eagerly; the engine lazily, because `models.Config`
itself refers to `spec.RuleList` and the engine imports `models` (an import cycle otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheets_sync.domain.rules.expr import Expression, ExpressionError
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.rules.spec import KINDS, RuleList, RuleSpec, Scope, parse_rules

if TYPE_CHECKING:
    from sheets_sync.domain.rules.engine import (
        active_rules,
        blocking,
        default_rules,
        evaluate,
        subject_values,
    )

_ENGINE = ("active_rules", "blocking", "default_rules", "evaluate", "subject_values")

__all__ = ["KINDS", "Expression", "ExpressionError", "History", "RuleList", "RuleSpec", "Scope",
           "active_rules", "blocking", "default_rules", "evaluate", "parse_rules",
           "subject_values"]


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        from sheets_sync.domain.rules import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
