"""The safe expression language of cross-field rules: grammar, precedence, rejections."""

from __future__ import annotations

import pytest

from sheets_sync.domain.rules.expr import (
    MAX_DEPTH,
    ExpressionError,
    NotComputable,
    parse,
    tokenize,
)

TRUE_EXPRESSIONS = [
    "1 + 2 * 3 == 7",
    "(1 + 2) * 3 == 9",
    "2 - 1 - 1 == 0",  # left associative
    "8 / 4 / 2 == 1",
    "-2 * -3 == 6",
    "--2 == 2",
    "- (1 + 2) == -3",
    "10 / 4 == 2.5",
    "0.1 + 0.2 == 0.3",  # compared with a tolerance, as people expect
    "1 = 1",
    "1 <> 2",
    "1 != 2",
    "2 >= 2 and 2 <= 2",
    "1 < 2 and 2 < 3 or 1 > 5",
    "1 > 5 or 1 < 2 and 2 < 3",  # and binds tighter than or
    "not 1 > 2",
    "not not 1 < 2",
    "not (1 > 2 or 2 > 3)",
    "1 > 2 atau 1 < 2 dan tidak 3 < 1",  # Indonesian keywords
    "1 < 2 AND 2 < 3",
    "realisasi_anggaran <= pagu",
    "capaian >= 50 or target == 0",
    "Realisasi > 0",  # names are case-insensitive
]


@pytest.mark.parametrize("text", TRUE_EXPRESSIONS)
def test_true_expressions(text: str) -> None:
    env = {"realisasi": 5.0, "realisasi_anggaran": 10.0, "pagu": 20.0, "capaian": 60.0,
           "target": 10.0}
    assert parse(text).evaluate(env) is True


@pytest.mark.parametrize(("text", "value"), [
    ("1 + 2 * 3", 7.0), ("(1 + 2) * 3", 9.0), ("2 * 3 - 4 / 2", 4.0), ("-realisasi", -5.0),
    ("realisasi / target * 100", 50.0),
])
def test_arithmetic(text: str, value: float) -> None:
    assert parse(text, boolean=False).evaluate({"realisasi": 5.0, "target": 10.0}) == value


BAD = [
    ("", "ekspresi kosong"),
    ("   ", "ekspresi kosong"),
    ("1 +", "nilai diharapkan"),
    ("(1 < 2", "kurung tutup"),
    ("1 < 2)", "operator atau akhir ekspresi diharapkan"),
    ("1 < 2 < 3", "perbandingan berantai"),
    ("__import__('os')", "karakter '_'"),
    ("realisasi.__class__", "karakter '.'"),
    ("realisasi.real > 0", "karakter '.'"),
    ("abs(realisasi) > 0", "pemanggilan fungsi tidak diizinkan"),
    ("realisasi (1) > 0", "pemanggilan fungsi tidak diizinkan"),
    ("(realisasi)(1)", "pemanggilan fungsi"),
    ("open > 1", "nama 'open' pada posisi 1 tidak dikenal"),
    ("eval > 1", "tidak dikenal"),
    ("realisasi", "harus berupa perbandingan"),
    ("realisasi and 1", "menghubungkan dua perbandingan"),
    ("not 5", "'not' hanya untuk hasil perbandingan"),
    ("-(1 < 2)", "'-' hanya untuk angka"),
    ("1 < 2 + (3 < 4)", "hanya untuk angka"),
    ("'a' == 'a'", "karakter '''"),
    ('"a" == "a"', "karakter '\"'"),
    ("x[0] > 1", "tidak dikenal"),
    ("realisasi ** 2 > 1", "nilai diharapkan"),
    ("realisasi % 2 == 0", "karakter '%'"),
    ("lambda: 1", "tidak dikenal"),
    ("1e3 > 1", "operator atau akhir ekspresi diharapkan"),
    ("realisasi >= 1,5", "karakter ','"),
    ("and", "nilai diharapkan"),
    ("1 < 2 and", "nilai diharapkan"),
    ("1 " * 300, "terlalu panjang"),
    ("(" * (MAX_DEPTH + 5) + "1 < 2" + ")" * (MAX_DEPTH + 5), "terlalu bertingkat"),
    ("-" * (MAX_DEPTH + 5) + "1 < 2", "terlalu bertingkat"),
    ("not " * (MAX_DEPTH + 5) + "1 < 2", "terlalu bertingkat"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_rejected(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as exc:
        parse(text)
    assert message in str(exc.value)


def test_error_names_the_position() -> None:
    with pytest.raises(ExpressionError, match="posisi 14"):
        parse("realisasi <= $")


def test_missing_and_undefined_values() -> None:
    expression = parse("realisasi_anggaran <= pagu")
    with pytest.raises(NotComputable) as exc:
        expression.evaluate({"realisasi_anggaran": 1.0, "pagu": None})
    assert exc.value.missing and exc.value.name == "pagu"
    with pytest.raises(NotComputable) as exc:
        parse("realisasi / target > 1").evaluate({"realisasi": 1.0, "target": 0.0})
    assert not exc.value.missing
    with pytest.raises(NotComputable):
        parse("realisasi * realisasi > 1").evaluate({"realisasi": 1e200})


def test_and_or_short_circuit_guards_missing_values() -> None:
    assert parse("pagu == 0 or realisasi_anggaran <= pagu").evaluate({"pagu": 0.0}) is True
    assert parse("pagu > 0 and realisasi_anggaran / pagu < 1").evaluate({"pagu": 0.0}) is False


def test_names_in_order() -> None:
    assert parse("pagu >= realisasi_anggaran and pagu > 0").names == ["pagu",
                                                                     "realisasi_anggaran"]


def test_tokens() -> None:
    assert [t.text for t in tokenize("a<=1.5")] == ["a", "<=", "1.5", ""]
