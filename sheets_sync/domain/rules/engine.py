"""Evaluating rules over one section's sheet: `evaluate(config, sheet, history) -> issues`.

Pure and total: whatever a section typed (any text, any size, formulas, booleans, dates), the
engine reports it and never raises; it only reads the `SectionSheet`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.rules.checks_expression import check_expression
from sheets_sync.domain.rules.checks_history import check_cumulative, check_outlier
from sheets_sync.domain.rules.checks_plausibility import check_plausibility
from sheets_sync.domain.rules.checks_structure import check_structure, check_target
from sheets_sync.domain.rules.checks_values import (
    check_bounds,
    check_evidence,
    check_explanation,
    check_number,
    check_required,
)
from sheets_sync.domain.rules.context import Check, RuleContext, confirmation_token
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.rules.spec import (
    BoundsRule,
    CumulativeRule,
    EvidenceRule,
    ExplanationRule,
    ExpressionRule,
    NumberRule,
    OutlierRule,
    PlausibilityRule,
    RequiredRule,
    RuleSpec,
    Scope,
    StructureRule,
    TargetRule,
)
from sheets_sync.domain.worksheet import SectionSheet

CONFIRM_PREFIX = "confirm:"
_SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


# --------------------------------------------------------------------------- default set


def default_rules(config: Config) -> list[RuleSpec]:
    """The built-in set used when the config has no `rules:`."""
    percent = Scope(units=["%", "persen"])
    rules: list[RuleSpec] = [
        StructureRule(kind="structure", id="struktur"),
        RequiredRule(kind="required", id="wajib-realisasi", column="realisasi",
                     only_when_done=True),
        NumberRule(kind="number", id="angka-realisasi", column="realisasi"),
        NumberRule(kind="number", id="angka-anggaran", column="budget_real"),
        BoundsRule(kind="bounds", id="nonnegatif-realisasi", column="realisasi", min=0),
        BoundsRule(kind="bounds", id="nonnegatif-anggaran", column="budget_real", min=0),
        BoundsRule(kind="bounds", id="persen-0-100", column="realisasi", min=0, max=100,
                   severity="warning", scope=percent,
                   message="Realisasi {nilai} untuk satuan persen berada di luar 0 sampai 100."),
        ExplanationRule(kind="explanation", id="keterangan-capaian", severity="warning",
                        below=100, above=120),
        EvidenceRule(kind="evidence", id="bukti-dukung", severity="warning"),
        # A value in another unit than the indicator's is never a true figure: an error the
        # section fixes (errors cannot be confirmed). A capaian far above the target may be
        # true: a warning PEP can confirm with the section.
        PlausibilityRule(kind="plausibility", id="kewajaran-satuan", severity="error",
                         max_capaian=None, units=True),
        PlausibilityRule(kind="plausibility", id="kewajaran", severity="warning", units=False),
        TargetRule(kind="target", id="target-dipakai"),
        CumulativeRule(kind="cumulative", id="kumulatif", severity="warning"),
        OutlierRule(kind="outlier", id="pencilan", severity="info"),
    ]
    if any(i.budget is not None for i in config.indicators):
        rules.append(ExpressionRule(
            kind="expression", id="anggaran-pagu", severity="error",
            expr="realisasi_anggaran <= pagu", column="budget_real",
            message="Realisasi Anggaran melebihi Pagu ({detail}).",
            suggestion="Periksa Realisasi Anggaran: tidak boleh lebih besar dari Pagu.",
        ))
    return rules


def active_rules(config: Config) -> list[RuleSpec]:
    return list(config.rules) if config.rules is not None else default_rules(config)


_CHECKS: dict[str, Check] = {
    "required": check_required, "number": check_number, "bounds": check_bounds,
    "explanation": check_explanation, "evidence": check_evidence, "cumulative": check_cumulative,
    "outlier": check_outlier, "expression": check_expression, "structure": check_structure,
    "plausibility": check_plausibility, "target": check_target,
}


# --------------------------------------------------------------------------- evaluate


def evaluate(config: Config, sheet: SectionSheet,
             history: History | Mapping[str, Mapping[str, float]] | None = None) -> list[Issue]:
    """All issues of one section's sheet, confirmations applied, in sheet order.

    Pure: reads `sheet` only. Never raises on cell content: a check that fails unexpectedly
    becomes an info issue naming the rule, so the other rules still run."""
    issues, _values = _run(config, sheet, _history(sheet, history))
    return issues


# Checks of a value as typed, and checks of what is computed from it (capaian, change
# against earlier periods): the second kind says nothing of a value the first finds wrong.
VALUE_KINDS = frozenset({"number", "bounds", "expression"})
DERIVED_KINDS = frozenset({"explanation", "plausibility", "outlier", "cumulative"})

HISTORY_RECORD = "history"  # meta record: earlier periods' values, captured at distribute


def _history(sheet: SectionSheet,
             given: History | Mapping[str, Mapping[str, float]] | None) -> History:
    """The history passed in, else the one distribute stored in the sheet's own meta: so
    validating costs no reads of earlier periods (the S + 1 call budget)."""
    if given is None:
        stored = sheet.meta.extra.get(HISTORY_RECORD)
        given = stored if isinstance(stored, Mapping) else None
    try:
        return History.coerce(given)
    except (AttributeError, TypeError, ValueError):  # a hand-edited, malformed record
        return History()


def _run(config: Config, sheet: SectionSheet,
         history: History) -> tuple[list[Issue], dict[str, Any]]:
    ctx = RuleContext(config, sheet, history)
    found: list[Issue] = []
    for rule in active_rules(config):
        if not rule.enabled or (rule.only_when_done and not ctx.done):
            continue
        try:
            found += _CHECKS[rule.kind](ctx, rule)
        except Exception as exc:  # a bug in one check must not hide the other findings
            found.append(Issue(
                section=sheet.section_id, rule=rule.id, severity=Severity.info,
                message=f"Aturan '{rule.id}' tidak dapat diperiksa ({type(exc).__name__}).",
                suggestion="Laporkan ke pengelola sheets-sync.",
                sheet=config.labels.sheet_worksheet, spreadsheet=sheet.file_name or None))
    issues: list[Issue] = []
    seen: set[str] = set()
    rules_by_id = {rule.id: rule for rule in active_rules(config)}
    kinds = {rule_id: rule.kind for rule_id, rule in rules_by_id.items()}
    # an indicator whose Realisasi is in error is not judged further: a warning about the
    # capaian that value gives would ask the section to explain a typo
    wrong = {i.indicator for i in found if i.severity is Severity.error and i.indicator
             and kinds.get(i.rule) in VALUE_KINDS
             and getattr(rules_by_id[i.rule], "column", None) in ("realisasi", None)}
    for issue in found:
        if issue.key in seen:
            continue  # two issues with one key could not be confirmed apart
        if issue.indicator in wrong and kinds.get(issue.rule) in DERIVED_KINDS:
            continue  # the value's own error says what to do: correct it
        seen.add(issue.key)
        issues.append(_confirmed(issue, sheet, ctx.values.get(issue.key)))
    issues.sort(key=lambda i: (i.row or 0, _SEVERITY_ORDER[i.severity]))
    return issues, ctx.values


def subject_values(config: Config, sheet: SectionSheet,
                   history: History | Mapping[str, Mapping[str, float]] | None = None
                   ) -> tuple[list[Issue], dict[str, Any]]:
    """`evaluate`, plus the raw cell value each issue is about (by issue key): what a
    confirmation fingerprints."""
    return _run(config, sheet, _history(sheet, history))


def _confirmed(issue: Issue, sheet: SectionSheet, value: Any) -> Issue:
    if issue.severity is Severity.error:
        return issue  # errors are fixed by the section, not confirmed away
    record = sheet.meta.extra.get(CONFIRM_PREFIX + issue.key)
    if not isinstance(record, dict):
        return issue
    token = record.get("token")
    if token is not None and token != confirmation_token(issue, value):
        return issue  # the value changed since PEP confirmed it: check again
    who, when, note = (str(record.get(k) or "") for k in ("who", "when", "note"))
    text = f"Dikonfirmasi PEP ({who}, {when[:16].replace('T', ' ')})" + (f": {note}" if note
                                                                           else "")
    return issue.model_copy(update={"confirmed": True, "confirmation": text})


def blocking(issues: list[Issue]) -> list[Issue]:
    """Issues that keep a section from `Valid`: errors, and warnings not confirmed."""
    return [i for i in issues if i.severity is Severity.error
            or (i.severity is Severity.warning and not i.confirmed)]
