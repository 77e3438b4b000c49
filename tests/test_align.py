"""The aligner: lossless rows, fuzzy columns, transpositions, order independence."""

from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.align import align, align_pair
from collate.model import Alignment, Witness
from collate.store import load_store, read_witness
from collate.tokenize import tokenize

DATA = Path(__file__).parent / "data"
STORE = Path(__file__).parent.parent / "witnesses"


def row_text(alignment: Alignment, w: int) -> str:
    return "".join(t.t for cell in alignment.row(w) if cell for t in cell)


def column_of(alignment: Alignment, siglum: str, word: str, nth: int = 0) -> int:
    w = alignment.sigla.index(siglum)
    hits = [c for c, col in enumerate(alignment.columns) if col[w] and any(t.word == word for t in col[w])]
    return hits[nth]


@pytest.fixture(scope="module")
def aide_memoire() -> Alignment:
    return align(load_store(STORE))


@pytest.mark.parametrize(("web", "frus"), [("Easter", "Eastern"), ("192", "1942"), ("Germany", "German")])
def test_keying_errors_share_a_column_with_the_right_word(aide_memoire: Alignment, web: str, frus: str) -> None:
    col = column_of(aide_memoire, "web", web)
    frus_cell = aide_memoire.columns[col][aide_memoire.sigla.index("frus")]
    assert frus_cell is not None and frus_cell[0].word == frus


def test_every_row_gives_back_its_witness_text(aide_memoire: Alignment) -> None:
    for w, wit in enumerate(aide_memoire.witnesses):
        assert row_text(aide_memoire, w) == wit.text


def test_a_different_translation_is_not_forced_into_near_matches(aide_memoire: Alignment) -> None:
    corr = aide_memoire.sigla.index("corr1957")
    frus = aide_memoire.sigla.index("frus")
    pairs = [(col[corr][0], col[frus][0]) for col in aide_memoire.columns if col[corr] and col[frus]]
    differing_words = [(a.word, b.word) for a, b in pairs if a.n != b.n and a.word.isalpha() and b.word.isalpha()]
    equal = sum(1 for a, b in pairs if a.n == b.n)
    # corr1957 shares many words with frus, and pairs unlike words only as substitutions, not as matches.
    assert equal > 120
    from collate.align import near_match

    fuzzy = [(a, b) for a, b in pairs if a.n != b.n and near_match(a, b)]
    assert len(fuzzy) <= 6, fuzzy
    assert differing_words  # it is a different translation


def test_transposed_words_are_recorded() -> None:
    a = align([read_witness(DATA / "transposition" / "web.txt"), read_witness(DATA / "transposition" / "frus.txt")])
    assert len(a.transpositions) == 1
    tr = a.transpositions[0]
    assert set(tr.sigla) == {"web", "frus"}
    assert column_of(a, "web", "12th") in range(tr.first, tr.last + 1)
    assert column_of(a, "frus", "12th") in range(tr.first, tr.last + 1)


def test_words_take_priority_over_punctuation() -> None:
    pairs = align_pair(tokenize("fox , dog"), tokenize("dog , fox"))
    matched = [(i, j) for i, j in pairs if i is not None and j is not None]
    # the two witnesses can agree on one token only; it must be a word, not the comma
    a, b = tokenize("fox , dog"), tokenize("dog , fox")
    agreed = [(a[i].word, b[j].word) for i, j in matched if a[i].n == b[j].n]
    assert len(agreed) == 1 and agreed[0][0] != ","


def test_common_words_do_not_pull_content_words_apart() -> None:
    a = align([Witness("A", "of the army of the Reich"), Witness("B", "the army")])
    army = column_of(a, "A", "army")
    assert a.columns[army][1] is not None and a.columns[army][1][0].word == "army"


def test_a_witness_aligned_with_itself_agrees_everywhere(aide_memoire: Alignment) -> None:
    web = aide_memoire.witnesses[aide_memoire.sigla.index("web")]
    twin = Witness("twin", web.text)
    a = align([web, twin])
    assert all(col[0] and col[1] and col[0][0].t == col[1][0].t for col in a.columns)
    assert a.transpositions == ()


def _columns_by_siglum(a: Alignment) -> list[dict[str, tuple[int, ...] | None]]:
    return [
        {s: tuple(t.start for t in cell) if cell else None for s, cell in zip(a.sigla, col)} for col in a.columns
    ]


def test_witness_order_does_not_change_the_alignment() -> None:
    witnesses = load_store(STORE)
    reference = _columns_by_siglum(align(witnesses))
    for order in permutations(witnesses):
        assert _columns_by_siglum(align(list(order))) == reference


WORDS = st.sampled_from(
    "the of and Soviet front second Europe 1942 forces German Eastern army , . Moscow plan creation".split()
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=25).map(" ".join), min_size=2, max_size=4))
def test_rows_are_lossless_for_any_witnesses(texts: list[str]) -> None:
    witnesses = [Witness(f"w{k}", text) for k, text in enumerate(texts)]
    a = align(witnesses)
    for w, text in enumerate(texts):
        assert row_text(a, w) == text
    assert all(any(cell for cell in col) for col in a.columns)


def _lcs(a: list[str], b: list[str]) -> int:
    """The obviously right quadratic LCS length."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


DISTINCT = [f"word{k:02d}" for k in range(30)]


@settings(max_examples=150, deadline=None)
@given(st.permutations(DISTINCT).map(lambda p: p[:18]), st.permutations(DISTINCT).map(lambda p: p[:18]))
def test_fast_pairwise_alignment_finds_the_longest_common_subsequence(a: list[str], b: list[str]) -> None:
    ta, tb = tokenize(" ".join(a)), tokenize(" ".join(b))
    pairs = align_pair(ta, tb)
    exact = sum(1 for i, j in pairs if i is not None and j is not None and ta[i].n == tb[j].n)
    assert exact == _lcs(a, b)
    assert sorted(i for i, _ in pairs if i is not None) == list(range(len(ta)))
    assert sorted(j for _, j in pairs if j is not None) == list(range(len(tb)))


def test_collatex_engine_runs_on_the_same_tokens() -> None:
    witnesses = [Witness("A", "the Easter front in 192"), Witness("B", "the Eastern front in 1942")]
    a = align(witnesses, engine="collatex")
    assert a.engine == "collatex"
    for w, wit in enumerate(witnesses):
        assert row_text(a, w) == wit.text


def test_unknown_engine_and_no_witnesses_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        align([Witness("A", "x")], engine="juxta")
    with pytest.raises(ValueError, match="no witnesses"):
        align([])


def test_a_complete_witness_is_the_spine_even_when_a_fragment_is_more_central() -> None:
    from collate.align import _pivot

    tokens = [tokenize(t) for t in ("one two three", "one two three four", "one two three five six seven")]
    # the first (a fragment) is the most similar to both others
    assert _pivot(tokens, [0, 1, 2], [False, False, False]) == 0
    assert _pivot(tokens, [0, 1, 2], [True, False, False]) == 1


def test_a_common_word_moved_over_shared_words_is_a_transposition() -> None:
    a = align([Witness("a", "we saw his members today"), Witness("b", "we saw members his today")])
    assert [t.words for t in a.transpositions] == [("his",)]


def test_common_words_exchanged_for_others_are_not_transpositions() -> None:
    a = align([Witness("a", "As the result of an exchange"), Witness("b", "As a result of the exchange")])
    assert a.transpositions == ()


def test_the_engine_is_a_closed_vocabulary_that_still_takes_the_old_strings() -> None:
    from collate.align import Engine

    a = align([Witness("A", "x y"), Witness("B", "x z")], engine="fast")
    assert a.engine is Engine.FAST and a.engine == "fast"
    assert [e.value for e in Engine] == ["fast", "collatex"]


def test_score_cutoff_decides_what_is_a_near_match() -> None:
    witnesses = [Witness("A", "the Easter front"), Witness("B", "the big Eastern front")]
    near = align(witnesses)  # Easter/Eastern score 92: one column, "big" added before
    assert column_of(near, "A", "Easter") == column_of(near, "B", "Eastern")
    strict = align(witnesses, score_cutoff=95)  # no near match: Easter substitutes the first word
    assert column_of(strict, "A", "Easter") == column_of(strict, "B", "big")


def test_weights_decide_what_a_match_is_worth() -> None:
    from collate.align import Weights

    a, b = tokenize("fox , dog"), tokenize("dog , fox")
    heavy_commas = align_pair(a, b, weights=Weights(punctuation=5.0))
    agreed = [a[i].word for i, j in heavy_commas if i is not None and j is not None and a[i].n == b[j].n]
    assert agreed == [","]


def test_repetitive_text_does_not_collapse_on_chance_anchors() -> None:
    """No word occurs once, except two stray words each witness has in different
    places: the previous release anchored on them and lost the rest."""
    import random

    rng = random.Random(5)
    sentences = ["the lord spake unto moses saying", "and the people said amen", "blessed be the name of the lord"]
    words = " . ".join(rng.choice(sentences) for _ in range(600)).split()
    a_words, b_words = list(words), list(words)
    a_words[200:200], a_words[2000:2000] = ["alpha"], ["omega"]
    b_words[2500:2500], b_words[3800:3800] = ["alpha"], ["omega"]
    a = align([Witness("A", " ".join(a_words)), Witness("B", " ".join(b_words))])
    agree = sum(1 for col in a.columns if col[0] and col[1] and col[0][0].n == col[1][0].n)
    assert agree == len(words)


def test_alignment_restores_the_garbage_collector_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    align([Witness("A", "x y"), Witness("B", "x z")])
    assert gc.isenabled()
    gc.disable()
    try:
        align([Witness("A", "x y"), Witness("B", "x z")])
        assert not gc.isenabled()
    finally:
        gc.enable()
