"""Partial witnesses in a collation, and what the commands say about them.

A witness is partial (`mode_of`) when it states losses in its TOML, carries
editorial gap marks, is declared a fragment, or has clearly fewer words than
the others (`collate.align.PARTIAL_SHARE`).  `plan` tells the aligner which
witnesses are partial and places each (`collate.coverage.place`) in the
spine, or in the witness whose words it shares clearly more of (a quotation
of another rendering: `GUIDE_MARGIN`), whose columns then carry it; the
alignment then carries every witness's losses.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .align import PARTIAL_SHARE, STOPWORDS, _pivot, align_pair
from .coverage import Mode, Placement, place
from .errors import CollateError
from .losses import declared_losses
from .model import Alignment, Completeness, Coverage, Lost, LossOrigin, LostStretch, Token, TokenKind, Witness, WitnessMeta
from .pairwise import Pair

if TYPE_CHECKING:
    import regex

    from .fidelity import FidelityReport

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)


def mode_of(
    witness: Witness, tokens: Sequence[Token], others_words: Sequence[int], *, partial_share: float | None = PARTIAL_SHARE
) -> Mode:
    """How ``witness`` is aligned, given the word counts of the other witnesses.

    >>> from collate.tokenize import tokenize
    >>> w = Witness("x", "the Eastern front")
    >>> [mode_of(w, tokenize(w.text), [3]).value, mode_of(w, tokenize(w.text), [40]).value]
    ['whole', 'found']
    >>> mode_of(w, tokenize(w.text), [40], partial_share=None).value
    'whole'
    """
    words = sum(t.kind in _WORDS for t in tokens)
    return mode_by_counts(witness, words, any(t.is_gap for t in tokens), others_words, partial_share=partial_share)


def mode_by_counts(
    witness: Witness, words: int, gaps: bool, others_words: Sequence[int], *, partial_share: float | None = PARTIAL_SHARE
) -> Mode:
    """`mode_of` from the witness's word count and whether it has gap marks
    (`collate.tokenize.shape` counts them in a text too large to tokenize).

    >>> mode_by_counts(Witness("x", "..."), 3, True, [3]).value
    'stated'
    """
    if witness.meta.lost:
        return Mode.STATED
    median = sorted(others_words)[len(others_words) // 2] if others_words else 0
    short = partial_share is not None and words < partial_share * median
    if witness.meta.is_fragment or short:
        return Mode.FOUND
    return Mode.STATED if gaps else Mode.WHOLE


@dataclass(frozen=True, slots=True)
class Plan:
    """What `collate.align.align` needs to align partial witnesses: which are
    partial (never the spine; when all are, the one chosen as spine is not
    flagged), the pairs of each placed witness with the spine, and every
    witness's losses in effect."""

    partial: tuple[bool, ...]
    pairs: tuple[tuple[Pair, ...] | None, ...]
    losses: tuple[tuple[LostStretch, ...], ...]


def plan(
    witnesses: Sequence[Witness],
    tokens: Sequence[Sequence[Token]],
    *,
    place_text: bool = True,
    partial_share: float | None = PARTIAL_SHARE,
) -> Plan:
    """Decide which witnesses are partial (see `mode_of`) and place each in
    the spine or in its guide (`_guide`).  A found loss is completed by its
    reference's: an excerpt that reaches where its reference breaks off has
    lost its end there too.

    With ``place_text=False`` (another engine aligns), only the stated and
    marked losses are gathered.

    >>> from collate.tokenize import tokenize
    >>> ws = [Witness("a", "the Soviet forces held the Eastern front."), Witness("b", "the Eastern front.")]
    >>> p = plan(ws, [tokenize(w.text) for w in ws])
    >>> p.partial, [[loss.at for loss in ls] for ls in p.losses]
    ((False, True), [[], [<Lost.START: 'start'>]])
    """
    words = [sum(t.kind in _WORDS for t in toks) for toks in tokens]
    modes = [
        mode_of(w, toks, [n for k, n in enumerate(words) if k != i], partial_share=partial_share)
        for i, (w, toks) in enumerate(zip(witnesses, tokens))
    ]
    partial = tuple(m is not Mode.WHOLE for m in modes)
    losses = [declared_losses(w, toks) for w, toks in zip(witnesses, tokens)]
    pairs: list[tuple[Pair, ...] | None] = [None] * len(witnesses)
    if place_text and len(witnesses) > 1 and any(partial):
        if all(partial):
            # The spine is the witness placed by its statements rather than by
            # guesswork, the longest of those: its flag is lifted so that the
            # aligner takes it too.
            pivot = max(range(len(witnesses)), key=lambda w: (modes[w] is Mode.STATED, words[w], _first(witnesses[w])))
            partial = tuple(w != pivot for w in range(len(witnesses)))
        else:
            pivot = _pivot(tokens, sorted(range(len(witnesses)), key=lambda w: witnesses[w].siglum), partial)
        declared = list(losses)
        for w, mode in enumerate(modes):
            if w != pivot and mode is not Mode.WHOLE:
                placed = place(tokens[pivot], witnesses[w], tokens[w], mode=mode, reference=witnesses[pivot])
                pairs[w], losses[w] = placed.pairs, _inherit(placed, mode, witnesses[w], tokens[pivot], declared[pivot])
        spined, first = list(pairs), list(losses)  # every witness's pairs with the spine, as placed so far
        for w, mode in enumerate(modes):
            g = _guide(tokens, w, pivot) if w != pivot and mode is not Mode.WHOLE else pivot
            if g != pivot:
                with_spine = spined[g] or tuple(align_pair(tokens[pivot], tokens[g]))
                pairs[g] = pairs[g] or with_spine
                placed = place(tokens[g], witnesses[w], tokens[w], mode=mode, reference=witnesses[g])
                pairs[w] = _through(placed.pairs, with_spine, len(tokens[pivot]))
                losses[w] = _inherit(placed, mode, witnesses[w], tokens[g], first[g])
    return Plan(partial, tuple(pairs), tuple(losses))


def _inherit(
    placed: Placement, mode: Mode, witness: Witness, ref: Sequence[Token], ref_losses: Sequence[LostStretch]
) -> tuple[LostStretch, ...]:
    """A witness's losses, found ones completed by its reference's: where it
    reaches the reference's start (end) and that is lost, its own is too."""
    losses = placed.losses
    if mode is not Mode.FOUND or not placed.blocks or not ref:
        return losses
    words = [k for k, t in enumerate(ref) if t.kind in _WORDS]
    text = "".join(t.t for t in ref)  # the reference's text: its tokens give it back exactly
    at = [loss.offset(text) for loss in ref_losses]
    out = list(losses)
    if words and placed.blocks[0].ref_start <= words[0] and any(x <= ref[words[0]].word_start for x in at):
        if not any(loss.is_start or loss.offset(witness.text) == 0 for loss in losses):
            out.insert(0, LostStretch(Lost.START, origin=LossOrigin.FOUND, note="lost where its reference's is"))
    if words and placed.blocks[-1].ref_end > words[-1] and any(x >= ref[words[-1]].word_end for x in at):
        if not any(loss.is_end or loss.offset(witness.text) >= len(witness.text.rstrip()) for loss in losses):
            out.append(LostStretch(Lost.END, origin=LossOrigin.FOUND, note="lost where its reference's is"))
    return tuple(out)


def _first(witness: Witness) -> list[int]:
    """A key under which the smallest siglum is the greatest."""
    return [-ord(ch) for ch in witness.siglum]


GUIDE_MARGIN = 1.25
"""How many more of a partial witness's content words another witness must
share than the spine does, to place it: a quotation of another rendering is
placed in that rendering's text, then reaches the spine through its columns."""


def _guide(tokens: Sequence[Sequence[Token]], w: int, pivot: int) -> int:
    """The witness a partial witness is placed in: the spine, unless another
    shares clearly more of its content words (`GUIDE_MARGIN`)."""

    def bag(toks: Sequence[Token]) -> Counter[str]:
        return Counter(t.n.casefold() for t in toks if t.kind in _WORDS and t.n.casefold() not in STOPWORDS)

    own = bag(tokens[w])
    shared = {g: sum((own & bag(tokens[g])).values()) for g in range(len(tokens)) if g != w}
    best = max(shared, key=lambda g: (shared[g], g == pivot))
    return best if shared[best] > GUIDE_MARGIN * shared[pivot] else pivot


def _through(to_guide: Sequence[Pair], guide_to_spine: Sequence[Pair], n_spine: int) -> tuple[Pair, ...]:
    """A witness's pairs with the spine, from its pairs with its guide and
    the guide's with the spine: each of its words goes where the guide's word
    it meets went (the spine's column, or the guide's own inserted one); the
    rest are inserted where they stand."""
    where: dict[int, tuple[bool, int]] = {}  # guide token -> (in a spine column?, that column / the insertion point)
    k = 0
    for s, g in guide_to_spine:
        if s is not None:
            k = s + 1
        if g is not None:
            where[g] = (True, s) if s is not None else (False, k)
    slot: dict[int, int] = {}
    inserts: dict[int, list[int]] = {}
    cur = 0
    for g, j in to_guide:
        if j is None:
            continue
        spot = where.get(g) if g is not None else None
        if spot is not None and spot[0] and spot[1] not in slot and spot[1] >= cur:
            slot[spot[1]] = j
            cur = spot[1] + 1
        else:
            if spot is not None and not spot[0] and spot[1] >= cur:
                cur = spot[1]
            inserts.setdefault(cur, []).append(j)
    out: list[Pair] = []
    for k in range(n_spine + 1):
        out.extend((None, j) for j in inserts.get(k, ()))
        if k < n_spine:
            out.append((k, slot.get(k)))
    return tuple(out)


# ---------------------------------------------------------------- coverage, said


def coverage_spans(reference: Witness, tokens: Sequence[Token], covered: Sequence[tuple[int, int]]) -> Coverage:
    """A `Coverage` of ``reference``'s text from token index ranges
    ``[first, last]`` (touching ranges merged), with its word count and summary.

    >>> from collate.tokenize import tokenize
    >>> w = Witness("w", "One two three. Four five six.")
    >>> c = coverage_spans(w, tokenize(w.text), [(0, 1), (2, 3)])
    >>> c.spans, c.summary
    (((0, 14),), 'the opening sentence: 3 of 6 words, 50 %')
    """
    merged: list[list[int]] = []
    for first, last in sorted(covered):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    spans = tuple((tokens[a].word_start, tokens[b].word_end) for a, b in merged)
    words = sum(t.kind in _WORDS for a, b in merged for t in tokens[a : b + 1])
    total = sum(t.kind in _WORDS for t in tokens)
    return Coverage(reference.siglum, spans, words, total, describe(reference.text, spans, words, total))


def describe(text: str, spans: Sequence[tuple[int, int]], words: int, total: int) -> str:
    """Where ``spans`` lie in ``text``, by paragraph and sentence, and how much that is.

    >>> text = "One two. Three.\\n\\nFour five six. Seven.\\n\\nEight nine. Ten."
    >>> describe(text, [(17, 31), (40, 56)], 5, 10)
    'sentence 1 of paragraph 2 and paragraph 3: 5 of 10 words, 50 %'
    >>> describe(text, [(0, 56)], 10, 10), describe(text, [(52, 56)], 1, 10)
    ('the whole text: 10 of 10 words, 100 %', 'the closing sentence: 1 of 10 words, 10 %')
    """
    paras = _paragraphs(text)
    share = words / total if total else 0.0
    amount = f"{words:,} of {total:,} words, {'<1' if 0 < share < 0.01 else round(share * 100)} %"
    if len(spans) == 1 and paras and spans[0][0] <= paras[0][0] and spans[0][1] >= paras[-1][1]:
        return f"the whole text: {amount}"
    parts = [_where(text, paras, a, b) for a, b in spans]
    said = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts) or "nothing"
    return f"{said}: {amount}"


_BLANK_LINE = r"\n[^\S\n]*\n"
_SENTENCE_END = r"(?<=[.!?][\"”’)\]]*)\s+(?=[\"“‘(\[]*[\p{Lu}\p{N}])"


@lru_cache(maxsize=4)
def _compiled(pattern: str) -> regex.Pattern[str]:
    import regex  # for the variable-width look-behind and Unicode classes; only when coverage is described

    return regex.compile(pattern)


def _pieces(text: str, start: int, end: int, boundary_pattern: str) -> list[tuple[int, int]]:
    """The spans of ``text[start:end]`` between matches of ``boundary_pattern``, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in [*_compiled(boundary_pattern).finditer(text, start, end), None]:
        stop = m.start() if m is not None else end
        core = text[pos:stop].strip()
        if core:
            begin = text.index(core, pos)
            out.append((begin, begin + len(core)))
        pos = m.end() if m is not None else end
    return out


def _sentences(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    """The sentences of one paragraph, by the rules of `collate.sentences` (an
    abbreviation such as "Mr." or an initialism ends none).

    >>> t = "I failed to convince Mr. Churchill, while Mr. Harriman of the U.S.A. supported him. We go."
    >>> [t[a:b][:12] for a, b in _sentences(t, (0, len(t)))]
    ['I failed to ', 'We go.']
    """
    from .sentences import sentences

    inside = [(s.start, min(s.end, para[1])) for s in sentences(text[: para[1]]) if para[0] <= s.start < para[1]]
    return inside or _pieces(text, *para, _SENTENCE_END)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The spans of the paragraphs of ``text`` (blank lines part them)."""
    return _pieces(text, 0, len(text), _BLANK_LINE)


def _where(text: str, paras: Sequence[tuple[int, int]], a: int, b: int) -> str:
    """One covered span in words: whole paragraphs, sentences of one, or a stretch across several."""
    touched = [k for k, (s, e) in enumerate(paras) if s < b and a < e]
    if not touched:
        return "nothing"
    p, q = touched[0], touched[-1]
    full_first, full_last = a <= paras[p][0], b >= paras[q][1]
    one = len(paras) == 1

    def name(k: int) -> str:
        return "the text" if one else f"paragraph {k + 1}"

    if p != q:
        if full_first and full_last:
            return f"paragraphs {p + 1}\u2013{q + 1}"
        return f"{'' if full_first else 'the end of '}{name(p)} to {'' if full_last else 'the opening of '}{name(q)}"
    if full_first and full_last:
        return name(p)
    sents = _sentences(text, paras[p])
    hit = [k for k, (s, e) in enumerate(sents) if s < b and a < e]
    s0, s1 = hit[0], hit[-1]
    whole = a <= sents[s0][0] and b >= sents[s1][1]
    if whole and s0 == s1 and (p, s0) in ((0, 0), (len(paras) - 1, len(sents) - 1)):
        return "the opening sentence" if (p, s0) == (0, 0) else "the closing sentence"
    of = "" if one else f" of paragraph {p + 1}"
    if len(sents) == 1:
        return f"part of {name(p)}"
    which = f"sentence {s0 + 1}" if s0 == s1 else f"sentences {s0 + 1}\u2013{s1 + 1}"
    return f"{which}{of}" if whole else f"part of {which}{of}"


def witness_coverage(alignment: Alignment, *, reference: str | None = None) -> dict[str, Coverage]:
    """Each witness's coverage as spans of one reference's text: the stretches
    of columns where its text is not lost.  The reference is ``reference``,
    else the witness that loses nothing and has the most words (the
    collation's yardstick).  Data for ``collation.json``'s ``coverage``.

    >>> from collate.align import align
    >>> al = align([Witness("a", "one two three four five six seven eight nine ten"), Witness("b", "three four [...] seven")])
    >>> {s: c.spans for s, c in witness_coverage(al).items()}
    {'a': ((0, 48),), 'b': ((8, 18), (28, 33))}
    """
    from .variants import lost_columns

    lost = lost_columns(alignment)
    n = len(alignment.witnesses)
    words = [sum(t.kind in _WORDS for t in toks) for toks in alignment.tokens]
    r = (
        alignment.sigla.index(reference)
        if reference is not None
        else min(range(n), key=lambda w: (len(lost[w]), -words[w], alignment.sigla[w]))
    )
    ref_tokens = alignment.tokens[r]
    where = {id(t): k for k, t in enumerate(ref_tokens)}
    out: dict[str, Coverage] = {}
    for w in range(n):
        covered = []
        run: list[int] = []
        for c, col in enumerate(alignment.columns):
            if c in lost[w]:
                if run:
                    covered.append((run[0], run[-1]))
                run = []
                continue
            run.extend(where[id(t)] for t in col[r] or () if not t.is_gap)
        if run:
            covered.append((run[0], run[-1]))
        out[alignment.sigla[w]] = coverage_spans(alignment.witnesses[r], ref_tokens, covered)
    return out


# ---------------------------------------------------------------- for `collate add`


@dataclass(frozen=True, slots=True)
class Comparison:
    """A partial witness measured against one stored witness, over what it covers."""

    siglum: str
    cer: float
    wer: float
    coverage: Coverage


def compare(witness: Witness, others: Sequence[Witness], *, normalization: str = "exact") -> tuple[Comparison, ...]:
    """CER and WER of ``witness`` against each of ``others`` over the stretch
    it covers there (`collate.fidelity.check`, the witness's partiality found
    as in a collation), closest first; ties keep the order of ``others``.

    >>> a = Witness("a", "As is well known, the organization of a second front in Europe was pre-decided "
    ...     "during the sojourn of Molotov in London.")
    >>> b = Witness("b", "the organisation of a second front")
    >>> [(c.siglum, round(c.cer, 4), c.coverage.summary) for c in compare(b, [a])]
    [('a', 0.0294, 'part of the text: 6 of 21 words, 29 %')]
    """
    from .fidelity import check

    out: list[Comparison] = []
    for other in others:
        report = check(other, witness, normalization=normalization, partial_share=PARTIAL_SHARE)
        out.append(Comparison(other.siglum, report.cer, report.wer, checked_coverage(report)))
    return tuple(sorted(out, key=lambda c: c.cer))


def checked_coverage(report: FidelityReport) -> Coverage:
    """What of the reference a check compared, said as a `Coverage` (for
    `collate check`'s summary: "CER over paragraph 4: 58 of 433 words").

    >>> from collate.fidelity import check
    >>> r = check(Witness("r", "One two. Three four."), Witness("w", "... Three four."))
    >>> checked_coverage(r).summary
    'the closing sentence: 2 of 4 words, 50 %'
    """
    from .tokenize import tokenize

    tokens = tokenize(report.reference_text)
    starts = [t.word_start for t in tokens]
    covered = [
        (bisect_left(starts, a), bisect_left(starts, b) - 1)
        for (a, b), _ in report.compared
        if bisect_left(starts, b) > bisect_left(starts, a)
    ]
    return coverage_spans(Witness(report.reference, report.reference_text), tokens, covered)


def found_meta(witness: Witness, reference: Witness, *, normalization: str = "exact") -> WitnessMeta:
    """The metadata to store with a partial witness: its losses found against
    ``reference`` (a complete witness: the closest, for `collate add`) merged
    with those it states, and its coverage of ``reference``'s text.

    Losses stated by hand win: a found loss where one is stated (the start,
    the end, or between the same two words) is dropped.  Found ones carry
    ``found = true`` in the TOML, for a human to check.  A stated lost start
    (end) where the witness begins (ends) with the reference is a
    contradiction, refused with a one-line `CollateError`.

    >>> ref = Witness("web", "The front held. The Soviet forces held the Eastern front in 1942. The Germans attacked.")
    >>> m = found_meta(Witness("x", "the Soviet forces held the Easter front in 1942."), ref)
    >>> [(loss.at, loss.origin.value, loss.stands_for) for loss in m.lost], m.coverage and m.coverage.summary
    ([(<Lost.START: 'start'>, 'found', (0, 15)), (<Lost.END: 'end'>, 'found', (66, 87))], 'sentence 2: 9 of 15 words, 60 %')
    """
    from .align import align

    spine = replace(reference, meta=WitnessMeta())
    probe = replace(witness, meta=replace(witness.meta, completeness=Completeness.FRAGMENT, lost=(), coverage=None))
    found = align([spine, probe], normalization=normalization).losses[1]
    stated = witness.meta.lost
    path = witness.path or witness.siglum
    for end in ("start", "end"):
        says = any(getattr(loss, f"is_{end}") for loss in stated)
        if says and not any(getattr(loss, f"is_{end}") for loss in found):
            raise CollateError(
                f"the {end} of the text is stated lost, but the witness {'begins' if end == 'start' else 'ends'}"
                f" where {reference.siglum} does: correct its [[lost]] entries",
                path=path,
            )
    kept = [loss for loss in found if loss.origin is LossOrigin.FOUND and not _stated_there(loss, stated, witness.text)]
    merged = tuple(sorted((*stated, *kept), key=lambda loss: loss.offset(witness.text)))
    final = replace(probe, meta=replace(witness.meta, lost=merged, coverage=None))
    alignment = align([spine, final], normalization=normalization)
    losses = tuple(
        replace(loss, origin=next((s.origin for s in merged if s.at == loss.at), loss.origin))
        for loss in alignment.losses[1]
        if loss.origin is not LossOrigin.MARKED
    )
    coverage = witness_coverage(alignment, reference=spine.siglum)[final.siglum]
    return replace(witness.meta, lost=losses, coverage=coverage)


def _stated_there(loss: LostStretch, stated: Sequence[LostStretch], text: str) -> bool:
    """Whether a stated loss sits where ``loss`` was found: the same end, or
    no word between them."""
    if loss.is_start or loss.is_end:
        return any(s.at == loss.at for s in stated)
    x = loss.offset(text)
    return any(not s.is_start and not s.is_end and not text[min(x, s.offset(text)) : max(x, s.offset(text))].split() for s in stated)
