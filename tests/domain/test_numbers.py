"""Numbers as Indonesian offices type them; ambiguous text is reported, never guessed."""

import pytest

from sheets_sync.domain.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.234,5", 1234.5), ("87,5%", 87.5), ("Rp 1.500.000", 1_500_000), ("Rp1.500.000,00", 1.5e6),
     ("IDR 2.000", 2000), ("  100 ", 100), ("-5", -5), ("0,25", 0.25), ("1.500", 1500),
     ("1 500", 1500), (42, 42), (3.5, 3.5), ("Rp 1.500.000,-", 1_500_000), ("\u22125", -5)],
)
def test_indonesian_forms(text, value):
    parsed = parse_number(text)
    assert parsed.ok and parsed.value == value


def test_percent_sign_is_remembered():
    assert parse_number("87,5%").percent
    assert not parse_number("87,5").percent


@pytest.mark.parametrize("text", ["12.75", "1,234.5", "1,234,567"])
def test_english_forms_are_ambiguous_not_guessed(text):
    parsed = parse_number(text)
    assert parsed.value is None and parsed.ambiguous
    assert "koma" in parsed.error  # says how to write it instead


def test_thousands_group_is_ambiguous_for_a_percentage():
    assert parse_number("1.500", percent_unit=True).ambiguous
    assert parse_number("1.500%").ambiguous
    assert parse_number("1.500.000", percent_unit=True).value == 1_500_000


@pytest.mark.parametrize("raw", ["abc", "=SUM(A1:A2)", "12a", "%", "Rp", True, [1], float("inf")])
def test_not_numbers(raw):
    parsed = parse_number(raw)
    assert parsed.value is None and not parsed.ambiguous and parsed.error


def test_empty_is_its_own_case():
    assert parse_number(None).error == "kosong"
    assert parse_number("   ").error == "kosong"


def test_format_number_round_trips():
    for value in (1234.5, 1_500_000, 0.25, 87.5):
        assert parse_number(format_number(value)).value == value
    assert format_number(1234.5) == "1.234,5"


def test_every_percent_spelling_makes_thousands_ambiguous():
    from sheets_sync.domain.numbers import is_percent_unit

    for unit in ("%", "persen", "Persentase", "prosentase", "% kumulatif"):
        assert is_percent_unit(unit), unit
        assert parse_number("1.500", percent_unit=is_percent_unit(unit)).ambiguous
    assert not is_percent_unit("dokumen")


def test_an_absurd_number_is_refused_not_printed():
    from sheets_sync.domain.numbers import LIMIT, format_number, parse_number

    for raw in (1e308, -1e20, "1.000.000.000.000.000", 10 ** 16, LIMIT):
        parsed = parse_number(raw)
        assert not parsed.ok and parsed.too_large and "15 digit" in parsed.error, raw
    assert parse_number(999_999_999_999_999).ok  # the largest a spreadsheet keeps exactly
    assert len(format_number(1e308)) < 12 and len(format_number(float("inf"))) < 12
