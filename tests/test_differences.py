"""One error per difference: the patterns real OCR and keyed text showed (issue 9),
each through `collate.fidelity.check` as a user meets it, and the cutting itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from collate.differences import differences
from collate.fidelity import check
from collate.lexicon import Lexicon
from collate.model import VariantClass, Witness
from collate.store import read_witness

T = VariantClass
DATA = Path(__file__).parent / "data" / "plain_files"


def errors(ref: str, wit: str) -> list[tuple[str, str, str]]:
    return [(e.cls.value, e.reference, e.witness) for e in check(Witness("r", ref), Witness("w", wit)).errors]


# ----------------------------------------------------------------- line endings, BOM, final newline


def test_crlf_is_read_as_lf_and_said_once() -> None:
    ref = "The Eastern front\nin 1942.\nIt is easy to grasp.\n"
    lf = check(Witness("r", ref), Witness("w", "The Easter front\nin 1942.\nIt is easy to grasp.\n"))
    crlf = check(Witness("r", ref), Witness("w", "The Easter front\r\nin 1942.\r\nIt is easy to grasp.\r\n"))
    assert [(e.cls, e.reference_span, e.witness_span) for e in crlf.errors] == [(T.TYPO, (4, 11), (4, 10))]
    assert [(e.cls, e.witness_span) for e in crlf.errors] == [(e.cls, e.witness_span) for e in lf.errors]
    assert crlf.cer == lf.cer and crlf.wer == lf.wer
    assert crlf.notes == ("CRLF line endings of w read as LF before measuring",) and lf.notes == ()
    assert "\r" not in crlf.witness_text


def test_old_mac_cr_line_endings_too() -> None:
    r = check(Witness("r", "one\ntwo\n"), Witness("w", "one\rtwo\r"))
    assert r.errors == () and r.cer == 0.0 and r.notes == ("CR line endings of w read as LF before measuring",)


def test_a_byte_order_mark_is_removed_and_mentioned() -> None:
    r = check(Witness("r", "\ufeffThe Eastern front"), Witness("w", "The Eastern front"))
    assert r.errors == () and r.cer == 0.0
    assert r.reference_text == "The Eastern front"
    assert r.notes == ("byte-order mark removed from r",)


def test_a_final_newline_is_not_text() -> None:
    r = check(Witness("r", "The Eastern front"), Witness("w", "The Eastern front\n"))
    assert r.errors == () and r.cer == 0.0 and r.wer == 0.0
    # nor are the spaces a line ends with, as in dinglehopper's reading of a plain file
    assert check(Witness("r", "front  \nline"), Witness("w", "front\nline")).cer == 0.0


# dinglehopper 0.11.0's own command line on the files in tests/data/plain_files
# (`dinglehopper GT OCR report DIR --plain-encoding utf-8`, report.json):
DINGLEHOPPER_CLI = {
    "crlf": (0.11538461538461539, 0.4),  # CRLF, trailing and leading spaces, two final newlines
    "cr": (0.02857142857142857, 0.0),  # CR line endings against LF, no final newline against one
    "page": (0.01915240423797881, 0.04357798165137615),  # web.txt against a tesseract reading of it
}


@pytest.mark.parametrize("name", sorted(DINGLEHOPPER_CLI))
def test_cer_and_wer_equal_dinglehoppers_cli_on_the_same_files(name: str) -> None:
    gt, ocr = read_witness(DATA / f"{name}.gt.txt"), read_witness(DATA / f"{name}.ocr.txt")
    r = check(gt, ocr)
    want_cer, want_wer = DINGLEHOPPER_CLI[name]
    assert abs(r.cer - want_cer) <= 1e-9 and abs(r.wer - want_wer) <= 1e-9


def test_the_command_gives_dinglehoppers_figures_too() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "collate", "check", str(DATA / "crlf.ocr.txt"), "--against", str(DATA / "crlf.gt.txt"),
         "--json", "-"],
        capture_output=True, text=True, timeout=120,
    )
    data = json.loads(proc.stdout)
    assert abs(data["cer"] - DINGLEHOPPER_CLI["crlf"][0]) <= 1e-9 and abs(data["wer"] - DINGLEHOPPER_CLI["crlf"][1]) <= 1e-9


# ----------------------------------------------------------------- typographic forms


@pytest.mark.parametrize(
    ("ref", "wit", "expected"),
    [
        ("find the office", "ﬁnd the oﬃce", [("glyph", "find", "ﬁnd"), ("glyph", "office", "oﬃce")]),
        ("the best state", "the beſt ſtate", [("glyph", "best", "beſt"), ("glyph", "state", "ſtate")]),
        ("it’s “so” now", "it's \"so\" now", [("glyph", "it’s", "it's"), ("glyph", "“", '"'), ("glyph", "”", '"')]),
        ("Anglo-Soviet — and", "Anglo–Soviet -- and", [("glyph", "Anglo-Soviet", "Anglo–Soviet"), ("glyph", "—", "--")]),
    ],
)
def test_typographic_forms_are_glyph_never_case(ref: str, wit: str, expected: list[tuple[str, str, str]]) -> None:
    assert errors(ref, wit) == expected


def test_the_typographic_preset_folds_them() -> None:
    r = check(Witness("r", "find the best “office”"), Witness("w", "ﬁnd the beſt \"oﬃce\""), normalization="typographic")
    assert r.errors == () and r.cer == 0.0
    assert check(Witness("r", "the Command"), Witness("w", "the command"), normalization="typographic").errors


# ----------------------------------------------------------------- hyphenation, glued marks, short words


def test_line_end_hyphenation_is_one_hyphenation() -> None:
    assert errors("the sojourn of Molotov in London", "the sojourn of Mol-\notov in London") == [
        ("hyphenation", "Molotov", "Mol-\notov")
    ]


def test_a_line_break_after_a_compounds_own_hyphen_is_no_error() -> None:
    assert errors("on the Soviet-German front", "on the Soviet-\nGerman front") == []
    assert errors("on the Soviet-German front", "on the soviet-\nGerman front") == [("case", "Soviet-German", "soviet-\nGerman")]


def test_hyphenation_and_a_misread_letter_in_the_same_word_are_two_errors() -> None:
    assert [c for c, _, _ in errors("all the remaining Allies", "all the remai-\nhing Allies")] == ["typo", "hyphenation"]


@pytest.mark.parametrize(("ref", "wit"), [("summer and autumn", "summer.and autumn"), ("Europe in 1942", "Europe’in 1942"),
                                          ("the result of an", "the result-of an")])
def test_a_mark_glued_between_words_is_one_punctuation_error(ref: str, wit: str) -> None:
    [(cls, _, mark)] = errors(ref, wit)
    assert cls == "punctuation" and mark in ".’-"


@pytest.mark.parametrize(("ref", "wit"), [("one of them", "one f them"), ("As is known", "Ap is known"),
                                          ("so I went", "so v went"), ("It is known", "tt is known")])
def test_a_short_word_misread_as_a_non_word_is_a_typo(ref: str, wit: str) -> None:
    assert [c for c, _, _ in errors(ref, wit)] == ["typo"]


def test_a_short_word_misread_as_another_word_is_a_substitution() -> None:
    assert errors("forces on the front", "forces oh the front") == [("substitution", "on", "oh")]


# ----------------------------------------------------------------- several differences in one place


def test_two_differences_in_one_place_are_two_errors() -> None:
    assert errors("the Soviet Command. It is", "the Soviet command, It is") == [
        ("case", "Command", "command"), ("punctuation", ".", ",")
    ]
    assert errors("in 1942.\n\nAs is well", "in 1942,\n\nAS is well") == [("punctuation", ".", ","), ("case", "As", "AS")]


def test_a_misread_word_run_into_the_next_is_a_typo_and_a_spacing_error() -> None:
    assert errors("the Command. I am not", "the Command. lam not") == [("typo", "I", "l"), ("spacing", " ", "")]


def test_an_added_word_next_to_a_typo_is_an_addition_and_a_typo() -> None:
    assert errors("to the fact that", "to the Mr. faet that") == [("addition", "", "Mr."), ("typo", "fact", "faet")]
    assert errors("of his mother and", "of his smote moter and") == [("addition", "", "smote"), ("typo", "mother", "moter")]


def test_an_omitted_word_next_to_a_typo_stays_two_errors() -> None:
    assert errors("from the Eastern front", "from Easter front") == [("omission", "the", ""), ("typo", "Eastern", "Easter")]


def test_a_run_of_stray_marks_is_one_error_and_stray_letters_another() -> None:
    assert errors("impossible.\n\nAs is", "impossible. : oo . “As is") == [
        ("punctuation", "", ":"), ("addition", "", "oo"), ("punctuation", "", ". “")
    ]


# ----------------------------------------------------------------- the cutting itself


def test_differences_works_on_a_stretch_of_each_text() -> None:
    ref, wit = "xx the Eastern front yy", "zzz the Easter front"
    found = differences(ref, wit, (3, 20), (4, 20), lexicon=Lexicon.of(ref))
    assert found is not None
    assert [(d.cls, ref[slice(*d.reference_span)], wit[slice(*d.witness_span)]) for d in found] == [
        (T.TYPO, "Eastern", "Easter")
    ]


def test_a_long_stretch_of_another_text_is_left_to_the_word_alignment() -> None:
    a = " ".join(["alpha beta gamma delta epsilon"] * 20)
    b = " ".join(["quick brown foxes jumped over"] * 20)
    assert differences(a, b, (0, len(a)), (0, len(b)), lexicon=Lexicon()) is None
