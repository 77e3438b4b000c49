"""Citable places: rows are the base's sentences, with ids that do not move."""

from __future__ import annotations

from pathlib import Path

from collate.align import align
from collate.model import Completeness, Lost, LostStretch, Witness, WitnessMeta
from collate.places import SentenceSpan, row_cuts, row_order, sentences
from collate.render.view import build_view
from collate.store import load_store
from collate.variants import find_variants

STORE = Path(__file__).resolve().parent.parent / "witnesses"


def ids(witnesses: list[Witness], base: str) -> list[str]:
    return [row.id for row in build_view(find_variants(align(witnesses), base=base)).rows]


def test_paragraphs_and_sentences_are_numbered_from_the_text_alone() -> None:
    text = "AIDE-MEMOIRE\n\nMr. Churchill came to the U.S.S.R. Government. He left.\n\n  I was, e.g. here. (Signed) I. STALIN."
    got = [(s.id, text[s.start : s.end]) for s in sentences(text)]
    assert got == [
        ("p1.1", "AIDE-MEMOIRE"),
        ("p2.1", "Mr. Churchill came to the U.S.S.R. Government."),
        ("p2.2", "He left."),
        ("p3.1", "I was, e.g. here."),
        ("p3.2", "(Signed) I. STALIN."),
    ]
    # no blank line: a paragraph per line (corr1957 is kept so)
    assert [s.id for s in sentences("One. Two.\nThree.")] == ["p1.1", "p1.2", "p2.1"]
    assert [s.paragraph_end for s in sentences("One. Two.\nThree.")] == [False, True, True]


def test_the_rows_and_the_passage_aligner_give_one_text_the_same_sentence_ids() -> None:
    from collate.sentences import sentences as passage_sentences

    # the two cases where the report once cut sentences by a copy of the rule
    # that had drifted: a paragraph that is only a gap mark (counted by the
    # passages, not by the rows) and an initialism over 12 characters
    for text in ("One.\n\n[...]\n\nTwo.", "A.B.C.D.E.F.G.H. Smith came.", "It rains. We stay.\n\n<...>\n\nMr. Smith left."):
        rows = [(s.id, s.start, s.end) for s in sentences(text)]
        assert rows == [(s.id, s.start, s.end) for s in passage_sentences(text)]
    assert [s.id for s in sentences("One.\n\n[...]\n\nTwo.")] == ["p1.1", "p3.1"]


def test_ids_of_the_base_sentences_do_not_change_when_a_witness_is_added_or_removed() -> None:
    by_siglum = {w.siglum: w for w in load_store(STORE)}
    two = ids([by_siglum["web"], by_siglum["frus"]], "frus")
    three = ids([by_siglum["corr1957"], by_siglum["web"], by_siglum["frus"]], "frus")
    base_ids = [s.id for s in sentences(by_siglum["frus"].text)]
    assert [i for i in two if "+" not in i] == base_ids
    assert [i for i in three if "+" not in i] == base_ids
    # and the same holds for a base with many sentences per paragraph
    base = Witness("B", "It rains. We stay; they go.\n\nNo one knows. The end came late.")
    copy = Witness("C", "It rains hard. We stay, they go.\n\nNo one knows! The end came.")
    other = Witness("D", "It rained. We stayed; they went.\n\nNobody knows. The end came late.")
    assert ids([base, copy], "B") == ids([base, copy, other], "B") == ["p1.1", "p1.2", "p2.1", "p2.2"]


def test_a_row_ends_where_the_base_sentence_ends_even_inside_a_variant_location() -> None:
    """A witness that runs two base sentences together does not merge their rows:
    its reading is drawn in both, each part in its own row."""
    base = Witness("A", "We went home. Then it rained.")
    merged = Witness("B", "We went home and then it rained.")
    view = build_view(find_variants(align([base, merged]), base="A"))
    assert [row.id for row in view.rows] == ["p1.1", "p1.2"]
    texts = ["".join(seg.text + seg.ws for seg in row.cells[1]) for row in view.rows]
    assert "".join(texts).split() == merged.text.split()
    assert texts[0].split()[:3] == ["We", "went", "home"]


def test_where_the_base_is_lost_the_next_witness_makes_the_rows() -> None:
    frag = WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END),))
    base = Witness("A", "One sentence here. Two sentences", frag)
    full = Witness("B", "One sentence here. Two sentences here. Three. Four at last.")
    al = align([base, full])
    assert row_order(al, ("A",)) == (0, 1)
    cuts = row_cuts(al, row_order(al, ("A",)))
    assert [c.id for c in cuts] == ["p1.1", "p1.2", "p1.2+1", "p1.2+2", "p1.2+3"]
    words = [" ".join(t.word for c in range(cut.first, cut.last + 1) for t in (al.columns[c][1] or ())) for cut in cuts]
    assert words == ["One sentence here .", "Two sentences", "here .", "Three .", "Four at last ."]


def test_another_sentence_source_can_name_the_rows() -> None:
    """The passage aligner can supply the sentences: the rows follow them and take their ids."""
    base = Witness("A", "alpha beta; gamma delta")
    other = Witness("B", "alpha beta; gamma delta")

    def clauses(text: str) -> list[SentenceSpan]:
        cut = text.index(";") + 1
        return [SentenceSpan("s1", 0, cut), SentenceSpan("s2", cut + 1, len(text), True)]

    view = build_view(find_variants(align([base, other]), base="A"), sentences_of=clauses)
    assert [(row.id, row.paragraph_end) for row in view.rows] == [("s1", False), ("s2", True)]


def test_two_sentences_in_one_column_share_a_row_and_both_ids_find_it() -> None:
    base = Witness("A", "One. Two. Three.")
    cuts = row_cuts(align([base]), (0,), lambda text: [SentenceSpan("x", 0, 2), SentenceSpan("y", 2, 4), SentenceSpan("z", 5, 16)])
    # "One" ends sentence x inside a token that sentence y also covers: nothing is lost
    assert {c.id for c in cuts} | {a for c in cuts for a in c.aliases} >= {"y", "z"}
    assert len({c.id for c in cuts}) == len(cuts)


def test_a_text_without_full_stops_is_cut_into_parts_not_one_row() -> None:
    words = " ".join(f"w{i}" for i in range(1500))
    spans = sentences(words + ". Last one.")
    assert [s.id for s in spans][:2] == ["p1.1", "p1.1-2"] and spans[-1].id == "p1.2"
    assert all(s.end - s.start <= 1200 for s in spans)
    assert " ".join((words + ". Last one.")[s.start : s.end] for s in spans) == words + ". Last one."
    rows = ids([Witness("A", words), Witness("B", words.replace("w7 ", "w7x "))], "A")
    assert len(rows) == len(sentences(words)) > 5
