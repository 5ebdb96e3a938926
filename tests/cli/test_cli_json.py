"""`--format json` output: always valid JSON, the same data, one row per line."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cli.render import json_text

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(values)
def test_json_output_reads_back_as_the_same_data(data: Any) -> None:
    assert json.loads(json_text(data)) == data


def test_each_row_of_a_list_is_one_line() -> None:
    rows = [{"section": f"bagian-{n}", "capaian": 90.5 + n} for n in range(3)]
    text = json_text({"rows": rows, "summary": {"sections": 3}})
    lines = text.splitlines()
    assert '    {"section": "bagian-1", "capaian": 91.5},' in lines
    assert json.loads(text)["rows"] == rows
