"""Tests for collate.testing.synth: generated witnesses, their answer key, and the F1 scorer."""

from __future__ import annotations

import collections
from bisect import bisect_left
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate.model import Alignment, Cell, Token, VariantClass, Witness
from collate.normalize import normalize
from collate.testing.synth import (
    ALL,
    NoiseKind,
    NoisyCopy,
    Origins,
    base_text,
    correspondence_f1,
    identity_origins,
    noisy_copy,
    witness_set,
    word_tokens,
)
from collate.tokenize import tokenize

WEB = (Path(__file__).parent.parent / "witnesses" / "web.txt").read_text(encoding="utf-8")
PROSE = base_text(3000, seed=11)


def check_copy(copy: NoisyCopy) -> None:
    """Every invariant a NoisyCopy promises."""
    src, noisy = copy.source, copy.text
    src_words, noisy_words = word_tokens(src), word_tokens(noisy)
    src_starts = [t.word_start for t in src_words]
    noisy_starts = [t.word_start for t in noisy_words]
    # spans hold the recorded texts, and replaying the edits gives the noisy text
    rebuilt, pos = [], 0
    for edit in copy.edits:
        s0, s1 = edit.source_span
        n0, n1 = edit.noisy_span
        assert src[s0:s1] == edit.source_text
        assert noisy[n0:n1] == edit.noisy_text
        assert edit.source_text != edit.noisy_text
        assert edit.expected is edit.kind.expected
        assert s0 >= pos, "edits overlap or are out of order"
        rebuilt += [src[pos:s0], edit.noisy_text]
        pos = s1
        assert edit.source_words == tuple(range(bisect_left(src_starts, s0), bisect_left(src_starts, s1)))
        assert edit.noisy_words == tuple(range(bisect_left(noisy_starts, n0), bisect_left(noisy_starts, n1)))
    assert "".join(rebuilt) + src[pos:] == noisy
    # at least one untouched source word between two edits
    for first, second in zip(copy.edits, copy.edits[1:]):
        i = bisect_left(src_starts, first.source_span[1])
        assert i < len(src_words) and src_words[i].word_end <= second.source_span[0], (first, second)
    # the truth mapping: one entry per noisy word, untouched words keep their text
    assert len(copy.origins) == len(noisy_words)
    edited = {j for e in copy.edits for j in e.noisy_words}
    for j, (tok, sources) in enumerate(zip(noisy_words, copy.origins)):
        assert all(0 <= i < len(src_words) for i in sources)
        if j not in edited:
            assert len(sources) == 1 and src_words[sources[0]].word == tok.word
    omitted = {i for e in copy.edits if e.kind is NoiseKind.OMISSION for i in e.source_words}
    present = {i for sources in copy.origins for i in sources}
    assert present == set(range(len(src_words))) - omitted


def test_base_text_is_deterministic_by_seed() -> None:
    assert base_text(300, seed=5) == base_text(300, seed=5)
    assert base_text(300, seed=5) != base_text(300, seed=6)


@pytest.mark.parametrize("words", [0, 1, 7, 450, 2000])
def test_base_text_has_exactly_the_words_asked_for(words: int) -> None:
    assert len(word_tokens(base_text(words, seed=2))) == words


def test_base_text_reads_like_a_book() -> None:
    words = [t.word for t in word_tokens(PROSE)]
    counts = collections.Counter(w.lower() for w in words)
    top = [w for w, _ in counts.most_common(5)]
    assert "the" in top and "of" in top
    hapaxes = sum(1 for c in counts.values() if c == 1)
    assert hapaxes > 0.3 * len(counts), "a long text needs many rare words"
    assert "\n\n" in PROSE  # paragraphs
    assert any(w.isdigit() for w in words)  # numbers
    assert PROSE.count(".") > 50 and "," in PROSE
    sentences = [s for s in PROSE.replace("?", ".").replace("!", ".").split(". ") if s]
    assert all(s.strip()[0].isupper() or s.strip()[0].isdigit() for s in sentences)
    assert sum(1 for w in words if w[0].isupper()) > 100


def test_noisy_copy_is_deterministic_by_seed() -> None:
    assert noisy_copy(PROSE, seed=3) == noisy_copy(PROSE, seed=3)
    assert noisy_copy(PROSE, seed=3).text != noisy_copy(PROSE, seed=4).text


def test_rate_zero_is_identical() -> None:
    copy = noisy_copy(WEB, seed=1, rate=0.0)
    assert copy.text == WEB and copy.edits == () and copy.origins == identity_origins(WEB)


@pytest.mark.parametrize("seed", range(6))
def test_invariants_on_real_and_generated_text(seed: int) -> None:
    for text in (WEB, PROSE):
        copy = noisy_copy(text, seed=seed, rate=0.1)
        check_copy(copy)
        assert len(copy.edits) > 0.03 * len(word_tokens(text))


def test_rate_is_roughly_the_share_of_edited_words() -> None:
    copy = noisy_copy(PROSE, seed=1, rate=0.05)
    assert 0.03 * 3000 < len(copy.edits) < 0.06 * 3000


def test_all_kinds_are_planted_in_a_long_text() -> None:
    kinds = collections.Counter(e.kind for e in noisy_copy(PROSE, seed=2, rate=0.1).edits)
    assert set(kinds) == set(NoiseKind)


def test_kinds_restricts_what_is_planted() -> None:
    copy = noisy_copy(WEB, seed=2, rate=0.3, kinds={NoiseKind.CASE, NoiseKind.OMISSION})
    assert {e.kind for e in copy.edits} == {NoiseKind.CASE, NoiseKind.OMISSION}
    assert noisy_copy(WEB, seed=2, rate=0.3, kinds=()).text == WEB


@pytest.mark.parametrize("kind", list(NoiseKind))
def test_each_kind_does_what_it_says(kind: NoiseKind) -> None:
    copy = noisy_copy(PROSE, seed=7, rate=0.1, kinds={kind})
    check_copy(copy)
    assert len(copy.edits) > 10
    for e in copy.edits:
        src, new = e.source_text, e.noisy_text
        if kind in (NoiseKind.TYPO, NoiseKind.OCR):
            assert len(e.source_words) == len(e.noisy_words) == 1
            assert src.casefold() != new.casefold() and abs(len(src) - len(new)) <= 1
            assert sum(a != b for a, b in zip(src, new)) >= 1 or len(src) != len(new)
        elif kind is NoiseKind.CASE:
            assert src != new and src.casefold() == new.casefold()
        elif kind is NoiseKind.ORTHOGRAPHIC:
            assert normalize(src, "orthographic") == normalize(new, "orthographic")
            assert normalize(src, "punctuation") != normalize(new, "punctuation")
        elif kind is NoiseKind.SUBSTITUTION:
            assert src[0].lower() != new[0].lower()
        elif kind is NoiseKind.PUNCTUATION:
            assert e.source_words == e.noisy_words == ()
            assert all(not ch.isalnum() for ch in src + new)
        elif kind is NoiseKind.OMISSION:
            assert new == "" and len(e.source_words) == 1 and src.strip() == src.split()[0]
            (i,) = e.source_words
            neighbours = {t.word.casefold() for t in word_tokens(PROSE)[max(0, i - 1) : i + 2 : 2]}
            assert src.strip().casefold() not in neighbours  # which of "the the" went is unknowable
        elif kind is NoiseKind.ADDITION:
            assert src == "" and len(e.noisy_words) == 1 and copy.origins[e.noisy_words[0]] == ()
        elif kind is NoiseKind.MERGE:
            assert new == "".join(src.split()) and len(e.source_words) == 2 and len(e.noisy_words) == 1
            (j,) = e.noisy_words
            assert copy.origins[j] == e.source_words
        elif kind is NoiseKind.SPLIT:
            assert new.replace(" ", "") == src and len(e.noisy_words) == 2
        elif kind is NoiseKind.SWAP:
            assert new.split() == src.split()[::-1]
            assert tuple(copy.origins[j] for j in e.noisy_words) == tuple((i,) for i in e.source_words[::-1])


def test_expected_classes() -> None:
    assert NoiseKind.OCR.expected is VariantClass.TYPO
    assert NoiseKind.SPLIT.expected is VariantClass.SPACING
    assert NoiseKind.SWAP.expected is VariantClass.TRANSPOSITION
    assert NoiseKind.ORTHOGRAPHIC.expected is VariantClass.ORTHOGRAPHIC
    # glyph and hyphenation are planted by the independent generator (benchmarks/ocr/generator.py)
    assert {k.expected for k in ALL} == set(VariantClass) - {VariantClass.LACUNA, VariantClass.GLYPH, VariantClass.HYPHENATION}


# ----------------------------------------------------------------------------- F1


def oracle_alignment(witnesses: tuple[Witness, ...], truth: dict[str, Origins]) -> Alignment:
    """The alignment the truth describes: one column per group of linked source words.

    Source words joined by a merge anywhere share a column; an added word gets a
    column of its own.  Columns need not keep every witness in order (swaps), which
    the scorer does not require.
    """
    n_source = max(i for origins in truth.values() for sources in origins for i in sources) + 1
    parent = list(range(n_source))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for origins in truth.values():
        for sources in origins:
            for i in sources[1:]:
                parent[find(i)] = find(sources[0])
    tokens = tuple(tokenize(w.text) for w in witnesses)
    words = [word_tokens(w.text) for w in witnesses]
    groups: dict[int, list[list[Token]]] = {}
    extra: list[tuple[int, Token]] = []
    for w, witness in enumerate(witnesses):
        for tok, sources in zip(words[w], truth[witness.siglum]):
            if sources:
                groups.setdefault(find(sources[0]), [[] for _ in witnesses])[w].append(tok)
            else:
                extra.append((w, tok))
    columns: list[tuple[Cell, ...]] = [
        tuple(tuple(cell) if cell else None for cell in groups[root]) for root in sorted(groups)
    ]
    for w, tok in extra:
        columns.append(tuple((tok,) if v == w else None for v in range(len(witnesses))))
    return Alignment(witnesses=witnesses, tokens=tokens, columns=tuple(columns))


def test_f1_of_a_witness_with_itself_is_one() -> None:
    a, b = Witness("a", WEB), Witness("b", WEB)
    toks = tokenize(WEB)
    alignment = Alignment((a, b), (toks, toks), tuple(((t,), (t,)) for t in toks))
    score = correspondence_f1(alignment, {"a": identity_origins(WEB), "b": identity_origins(WEB)})
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.true_positives == len(word_tokens(WEB)) and score.witness_pairs == 1


def test_f1_of_the_oracle_alignment_is_one() -> None:
    witnesses, truth = witness_set(base_text(600, seed=4), copies=3, seed=4, rate=0.15)
    score = correspondence_f1(oracle_alignment(witnesses, truth), truth)
    assert score.f1 > 0.995 and score.witness_pairs == 6
    no_spacing = ALL - {NoiseKind.MERGE, NoiseKind.SPLIT}
    witnesses, truth = witness_set(base_text(600, seed=4), copies=3, seed=4, rate=0.15, kinds=no_spacing)
    assert correspondence_f1(oracle_alignment(witnesses, truth), truth).f1 == 1.0


def test_f1_penalises_a_wrong_alignment() -> None:
    copy = noisy_copy(WEB, seed=1, rate=0.0)
    a, b = Witness("a", WEB), Witness("b", copy.text)
    ta, tb = tokenize(a.text), tokenize(b.text)
    shifted = Alignment((a, b), (ta, tb), tuple(zip(((t,) for t in ta), [None, *((t,) for t in tb)])))
    score = correspondence_f1(shifted, {"a": identity_origins(WEB), "b": copy.origins})
    assert score.f1 < 0.1 and score.false_positives > 0 and score.false_negatives > 0


def test_f1_counts_every_token_of_a_multi_token_cell() -> None:
    a, b = Witness("a", "in the front"), Witness("b", "inthe front")
    ta, tb = tokenize(a.text), tokenize(b.text)
    alignment = Alignment((a, b), (ta, tb), ((ta[:2], tb[:1]), (ta[2:], tb[1:])))
    truth = {"a": ((0,), (1,), (2,)), "b": ((0, 1), (2,))}
    assert correspondence_f1(alignment, truth).f1 == 1.0
    split = Alignment((a, b), (ta, tb), ((ta[:1], tb[:1]), (ta[1:2], None), (ta[2:], tb[1:])))
    assert correspondence_f1(split, truth).recall == pytest.approx(2 / 3)


def test_f1_rejects_truth_that_does_not_fit() -> None:
    a, b = Witness("a", "Easter front"), Witness("b", "Eastern front")
    ta, tb = tokenize(a.text), tokenize(b.text)
    alignment = Alignment((a, b), (ta, tb), ((ta, tb),))
    with pytest.raises(ValueError, match="word tokens"):
        correspondence_f1(alignment, {"a": ((0,),), "b": ((0,), (1,))})
    with pytest.raises(ValueError, match="at least two"):
        correspondence_f1(alignment, {"a": ((0,), (1,))})


# ----------------------------------------------------------------------------- properties

prose_words = st.lists(
    st.one_of(
        st.sampled_from(["the", "of", "Easter", "front", "1942", "organisation", "café", "pre-decided", "Mr."]),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8),
    ),
    max_size=40,
)
separators = st.sampled_from([" ", " ", ", ", ". ", "\n\n", "  ", ";"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.tuples(prose_words.map(" ".join), separators), max_size=8),
    seed=st.integers(0, 10_000),
    rate=st.floats(0.0, 1.0),
    kinds=st.sets(st.sampled_from(list(NoiseKind))),
)
def test_noisy_copy_keeps_its_promises_on_any_text(
    parts: list[tuple[str, str]], seed: int, rate: float, kinds: set[NoiseKind]
) -> None:
    text = "".join(a + b for a, b in parts)
    copy = noisy_copy(text, seed=seed, rate=rate, kinds=kinds)
    check_copy(copy)
    assert {e.kind for e in copy.edits} <= kinds


@settings(max_examples=25, deadline=None)
@given(words=st.integers(0, 300), seed=st.integers(0, 1000), rate=st.floats(0.0, 0.5))
def test_the_oracle_always_scores_one(words: int, seed: int, rate: float) -> None:
    no_spacing = ALL - {NoiseKind.MERGE, NoiseKind.SPLIT}
    witnesses, truth = witness_set(base_text(words, seed=seed), copies=2, seed=seed, rate=rate, kinds=no_spacing)
    if words == 0:
        return
    assert correspondence_f1(oracle_alignment(witnesses, truth), truth).f1 == 1.0
