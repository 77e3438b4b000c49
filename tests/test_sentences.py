"""Segmentation into paragraphs, sentences and clauses, with offsets."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from collate.sentences import GAP_ALONE, clause_cuts, gap_between, paragraphs, sentences

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "passages"


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentences(text)]


def test_the_stored_witnesses_split_into_the_sentences_read_by_hand() -> None:
    gold = json.loads((DATA / "aide_memoire_gold.json").read_text(encoding="utf-8"))
    for siglum, entry in gold["witnesses"].items():
        text = (ROOT / entry["path"]).read_text(encoding="utf-8")
        assert [[s.id, s.start, s.end] for s in sentences(text)] == [row[:3] for row in entry["sentences"]], siglum


def test_the_bible_sample_splits_into_the_sentences_its_gold_was_checked_on() -> None:
    gold = json.loads((DATA / "bible" / "gold.json").read_text(encoding="utf-8"))
    for name, entry in gold.items():
        for sig, rows in entry["sentences"].items():
            text = (DATA / "bible" / f"{name}.{sig}.txt").read_text(encoding="utf-8")
            assert [[s.id, s.start, s.end] for s in sentences(text)] == rows, (name, sig)


def test_abbreviations_initials_and_initialisms_do_not_end_a_sentence() -> None:
    text = "Mr. Churchill met J. V. Stalin and the U.S.S.R. Government, vol. 1, No. 65. Then he left."
    assert texts(text) == ["Mr. Churchill met J. V. Stalin and the U.S.S.R. Government, vol. 1, No. 65.", "Then he left."]


def test_an_initialism_before_a_usual_opener_ends_the_sentence() -> None:
    assert texts("He went to the U.S.A. The next day he came back.") == ["He went to the U.S.A.", "The next day he came back."]


def test_a_number_ends_a_sentence_and_a_lower_case_word_never_starts_one() -> None:
    assert texts("The front in 192. August 13th, 1942. (Signed) I .STALIN.") == [
        "The front in 192.", "August 13th, 1942.", "(Signed) I .STALIN."
    ]
    assert texts("Why will ye go with me? are there yet any more sons?") == ["Why will ye go with me? are there yet any more sons?"]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert texts("He said, “Go back, my daughters.” Then she kissed them.") == [
        "He said, “Go back, my daughters.”", "Then she kissed them."
    ]


def test_a_pilcrow_opens_a_sentence() -> None:
    assert texts("and her husband. ¶ Then she arose.") == ["and her husband.", "¶ Then she arose."]


def test_paragraphs_are_blank_line_blocks_or_else_lines_and_ids_count_within_them() -> None:
    assert [s.id for s in sentences("One. Two.\n\nThree.\nstill three.")] == ["p1.1", "p1.2", "p2.1"]
    assert [s.id for s in sentences("One. Two.\nThree.\n")] == ["p1.1", "p1.2", "p2.1"]
    assert paragraphs("\n\n  \n") == ()


def test_clause_cuts_fall_after_commas_semicolons_colons_and_before_dashes() -> None:
    text = "Go, return each: the LORD deal kindly; nearly all - and the best - are gone"
    assert [text[:c] for c in clause_cuts(text, (0, len(text)))] == [
        "Go,", "Go, return each:", "Go, return each: the LORD deal kindly;",
        "Go, return each: the LORD deal kindly; nearly all", "Go, return each: the LORD deal kindly; nearly all - and the best",
    ]


@given(st.text(alphabet=st.sampled_from(list("ab .?!\n\"'”(A1U.S.")), max_size=80))
def test_sentences_are_trimmed_ordered_and_cover_every_visible_character(text: str) -> None:
    """Every visible character is in a sentence, but a gap mark standing alone ("...", a lacuna)."""
    segs = sentences(text)
    assert all(s.start < s.end and not text[s.start].isspace() and not text[s.end - 1].isspace() for s in segs)
    assert all(a.end <= b.start for a, b in zip(segs, segs[1:]))
    assert "".join("".join(text[s.start : s.end].split()) for s in segs) == "".join(GAP_ALONE.sub(" ", text).split())


def test_a_gap_mark_parts_two_sentences_and_belongs_to_neither() -> None:
    text = "built their plan on a second front in 1942. <...> I was however unsuccessful [...] in Moscow"
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "built their plan on a second front in 1942.", "I was however unsuccessful", "in Moscow"]
    assert [s.id for s in sentences(text)] == ["p1.1", "p1.2", "p1.3"]
    assert gap_between(text, 43, 51) and not gap_between(text, 0, 43)
    attached = "He said... and left."
    assert [attached[s.start : s.end] for s in sentences(attached)] == [attached]  # not standing alone: text
