"""Pairwise sentence alignment (collate.sentence_align) and its beads (collate.beads)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from collate.model import Lost
from collate.beads import Bead, Side, bead_cost
from collate.sentence_align import align_sides, content_words, near_matches, prepare, sentence_beads, sides

SENTENCES = [
    "The Soviet Command built its plan of summer operations on a second front.",
    "Molotov was in London in June and the communique was published.",
    "German forces were withdrawn from the Eastern front to the West.",
    "The refusal inflicts a moral blow to Soviet public opinion.",
    "Mr Harriman fully supported the Prime Minister in Moscow.",
    "It is unknown whether the year 1943 will offer such conditions.",
    "The Red Army fights on the Soviet-German front.",
    "Almost all the forces of the German army are in the East.",
]


def shapes(base: str, other: str, **kw: object) -> list[tuple[int, int]]:
    return [b.shape for b in sentence_beads(base, other, **kw)]  # type: ignore[arg-type]


def test_one_sentence_rendered_as_two_and_two_as_one() -> None:
    base = " ".join(SENTENCES[:4])
    other = (
        "The Soviet Command planned its summer operations. It counted on a second front. "
        "Molotov was in London in June and the communique was published, and German forces were withdrawn to the West. "
        "The refusal inflicts a moral blow to Soviet public opinion."
    )
    assert shapes(base, other) == [(1, 2), (2, 1), (1, 1)]


def test_a_sentence_the_other_lacks_is_skipped_not_merged() -> None:
    base = " ".join(SENTENCES[:5])
    other = " ".join(SENTENCES[:2] + SENTENCES[3:5])
    assert shapes(base, other) == [(1, 1), (1, 1), (1, 0), (1, 1), (1, 1)]


def test_a_fragment_lost_at_the_end_stops_where_it_breaks_off_even_mid_sentence() -> None:
    base = " ".join(SENTENCES[:5])
    other = SENTENCES[0] + " Molotov was in London in June and the"
    assert shapes(base, other, other_lost=[Lost.END]) == [(1, 1), (1, 1), (1, 0), (1, 0), (1, 0)]


def test_a_fragment_lost_at_the_start_begins_anywhere() -> None:
    base = " ".join(SENTENCES[:5])
    other = "public opinion. " + " ".join(SENTENCES[4:5])
    assert shapes(base, other, other_lost=[Lost.START]) == [(1, 0), (1, 0), (1, 0), (1, 1), (1, 1)]


def test_two_fragments_that_overlap_are_aligned_where_they_overlap() -> None:
    both = [Lost.START, Lost.END]
    a = " ".join(SENTENCES[:4])
    b = " ".join(SENTENCES[2:6])
    beads = sentence_beads(a, b, base_lost=both, other_lost=both)
    assert [(x.base, x.other) for x in beads if min(x.shape)] == [((2, 3), (0, 1)), ((3, 4), (1, 2))]


def test_a_sentence_rendered_in_five_is_one_bead() -> None:
    base = "Then said they unto him, Tell us for whose cause this evil is upon us; what is thine occupation? and whence comest thou? what is thy country? and of what people art thou? And he said unto them, I am an Hebrew."
    other = "Then they asked him, Tell us, please, for whose cause this evil is on us. What is your occupation? Where do you come from? What is your country? Of what people are you? He said to them, I am a Hebrew."
    assert shapes(base, other) == [(1, 5), (1, 1)]


def test_content_words_fold_spelling_and_ordinals_and_split_hyphenated_words() -> None:
    assert content_words("the 12th June, favourable Anglo-Soviet sister-in-law") == [
        "12", "june", "favorable", "anglo", "soviet", "sister", "law"
    ]


def test_near_matches_pair_variants_but_not_different_short_words_or_numbers() -> None:
    assert near_matches({"considers", "eastern", "1943", "war"}, {"considered", "easter", "1942", "was"}) == {
        "considers": "considered", "eastern": "easter"
    }


def _side(rng_sentences: list[int]) -> str:
    return " ".join(SENTENCES[k] for k in rng_sentences)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=8, unique=True),
    st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=8, unique=True),
)
def test_the_banded_program_finds_the_full_programs_optimum(xs: list[int], ys: list[int]) -> None:
    """On texts that do not repeat whole sentences; where they do, the band is a heuristic (as Hunalign's)."""
    base, other = _side(xs), _side(ys)
    a, (b,), _ = sides(prepare(base), prepare(other))
    full = align_sides(a, b, band=None)  # every cell of the program
    banded = align_sides(a, b, band=1, sure_runs=False)  # the narrowest band, widened as needed
    assert math.isclose(sum(x.cost for x in banded), sum(x.cost for x in full), abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, len(SENTENCES) - 1), min_size=3, max_size=12, unique=True), st.data())
def test_sure_runs_change_nothing_where_copies_differ_by_a_skip_or_a_merge(xs: list[int], data: st.DataObject) -> None:
    base = _side(xs)
    k = data.draw(st.integers(0, len(xs) - 2))
    edit = data.draw(st.sampled_from(["drop", "merge"]))
    parts = [SENTENCES[x] for x in xs]
    if edit == "drop":
        del parts[k]
    else:
        parts[k : k + 2] = [parts[k].rstrip(".") + ", and " + parts[k + 1][0].lower() + parts[k + 1][1:]]
    a, (b,), _ = sides(prepare(base), prepare(" ".join(parts)))
    assert [(x.base, x.other) for x in align_sides(a, b)] == [(x.base, x.other) for x in align_sides(a, b, band=None)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=8), st.integers(0, 7))
def test_every_bead_costs_what_bead_cost_says(xs: list[int], drop: int) -> None:
    base = _side(xs)
    other = _side([x for k, x in enumerate(xs) if k != drop]) or "Nothing at all here."
    a, (b,), _ = sides(prepare(base), prepare(other))
    beads = align_sides(a, b, band=None)
    ratio = sum(b.lengths) / sum(a.lengths)
    for bead in beads:
        assert math.isclose(bead.cost, bead_cost(a, b, bead.base, bead.other, min(2.0, max(0.5, ratio))), abs_tol=1e-9)


def test_beads_cover_both_texts_in_order() -> None:
    base, other = _side([0, 1, 2, 3, 4, 5]), _side([0, 2, 1, 3, 5, 6, 7])
    beads = sentence_beads(base, other)
    assert [b.base for b in beads][0][0] == 0 and [b.other for b in beads][0][0] == 0
    assert all(x.base[1] == y.base[0] and x.other[1] == y.other[0] for x, y in zip(beads, beads[1:]))
    assert beads[-1].base[1] == 6 and beads[-1].other[1] == 7


def test_identical_long_texts_are_all_one_to_one() -> None:
    text = " ".join(SENTENCES * 40)
    beads = sentence_beads(text, text)
    assert all(b.shape == (1, 1) for b in beads) and len(beads) == 320
    assert isinstance(beads[0], Bead) and Side((1,), (frozenset(),)).lengths == (1,)
