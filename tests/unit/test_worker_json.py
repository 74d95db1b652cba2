"""The rows' hand-built JSON is byte for byte what ``json.dumps`` gives, for any text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from b2b_cabinet.sync.workers.rows import _dumps, _property_map
from b2b_cabinet.sync.workers.state import STATE, WorkerState

TRICKY = [
    "",
    "plain",
    "Контактор КМИ 80А",
    'quote " inside',
    "back\\slash \\u0041 \\n",
    "tab\tnew\nline\rcarriage\bback\fform",
    "".join(map(chr, range(32))),
    "del \x7f, nbsp \xa0, line sep \u2028, para sep \u2029, bom \ufeff",
    "astral 😀 𝄞",
    "</script><!-- & ' >",
    "ends with backslash \\",
]


def _reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@pytest.mark.parametrize("text", TRICKY)
def test_text_keys_and_values_match_json_dumps(text):
    for value in ({text: text}, {"k": text, text + "2": "v"}, {text: [text, "", text]}, {"a": []}):
        assert _dumps(value) == _reference(value)


def test_every_character_of_the_basic_plane_matches_json_dumps():
    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
    for start in range(0, len(characters), 512):
        text = "".join(characters[start : start + 512])
        assert _dumps({text: text, "list": [text]}) == _reference({text: text, "list": [text]})


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"n": 1},
        {"d": Decimal("1.50")},
        {"none": None, "flag": True},
        {1: "int key"},
        {"nested": {"a": "b"}},
        {"list": ["a", 2]},
        {"tuple": ("a", "b")},
    ],
)
def test_other_values_fall_back_to_json_dumps(value):
    assert _dumps(value) == _reference(value)


def test_property_texts_are_joined_as_before():
    STATE.properties = {"p1": "Цвет", "p2": "Размер", "p3": "Пусто"}
    STATE.values = {"v1": "красный", "v2": "синий", "v3": ""}
    try:
        result = _property_map([("p1", ("v1",)), ("p2", ("v1", "v3", "42", "v2")), ("p3", ("v3",)), ("p4", ()),
                                ("p5", ("raw",))])
    finally:
        STATE.__dict__.update(WorkerState().__dict__)
    assert result == {"Цвет": "красный", "Размер": "красный; 42; синий", "Пусто": "", "p4": "", "p5": "raw"}
