"""Normalization presets: a documented ladder of small steps."""

import pytest

from collate.normalize import PRESETS, normalize, normalizer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Command", ["Command", "Command", "command", "command", "command"]),
        ("pre-decided", ["pre-decided", "pre-decided", "pre-decided", "predecided", "predecided"]),
        ("communiqué", ["communiqué", "communiqué", "communiqué", "communiqué", "communique"]),
        ("favourable", ["favourable", "favourable", "favourable", "favourable", "favorable"]),
        ("Organisation", ["Organisation", "Organisation", "organisation", "organisation", "organization"]),
        ("four", ["four", "four", "four", "four", "four"]),
        ("e\u0301", ["é", "é", "é", "é", "e"]),
        ("Oﬃce’s—", ["Oﬃce’s—", "Office's-", "office's-", "offices", "offices"]),
        ("ſtate “quoted” pre–war", ["ſtate “quoted” pre–war", 'state "quoted" pre-war', 'state "quoted" pre-war',
                                    "state quoted prewar", "state quoted prewar"]),
    ],
)
def test_each_preset_folds_more_than_the_one_before(text: str, expected: list[str]) -> None:
    assert [normalize(text, p) for p in PRESETS] == expected


def test_unknown_preset_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="exact, typographic, case, punctuation, orthographic"):
        normalizer("loose")
