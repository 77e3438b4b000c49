"""Synopsis: every witness side by side, passage by passage; word by word only within a family.

The stage after `collate.families` and before the outputs.  Witnesses of one
family (copies, editions, OCR of one translation) are aligned token by token
(`collate.align`) and their variants classed against the family's base
(`collate.variants`), exactly as a collation of one text.  Witnesses of
different families (different translations) are never compared word by
word: what holds the families together is the *passage*, a row of the
synopsis, which each family fills with its own columns.

- **The passage base** is the witness whose sentences make the rows and name
  them (``p7.2``: paragraph 7, sentence 2): the first base given that is
  complete, else the first complete witness of the base family by siglum (the
  base family is the given base's, or without one the largest, then one that
  has a complete witness), else its longest.  Ids come from its text alone, so adding or removing a witness
  never changes them; pin it with ``base=`` to keep them whatever the store
  holds.
- **The base family's rows** are its columns cut at the passage base's
  sentences (`collate.places.row_cuts`; where the passage base is lost, at
  the next witness's sentences, ``p7.2+1``).
- **Another family** is attached through its *pilot*: its base, or where that
  is lost the next of its witnesses.  The pilots' sentences are aligned with
  the passage base's (`collate.passages`, Gale-Church / Hunalign style); each
  of the family's columns goes to the passage its pilot's word there belongs
  to, and text the passage base has no sentence for becomes a row of its own
  after the passage it follows (``p7.2+soviet1957``).  A family's columns in
  a row are one unbroken run, so its collation reads on from row to row.

>>> from collate.model import Witness, WitnessMeta
>>> one, two = WitnessMeta(family="one"), WitnessMeta(family="two")
>>> s = synopsis([Witness("A", "The war goes on. We need a second front.", one),
...               Witness("B", "The war goes on. We need a secnd front.", one),
...               Witness("C", "The fighting continues. A second front is needed.", two)], base="A")
>>> [(row.id, s.reading("B", k), s.reading("C", k)) for k, row in enumerate(s.rows)]
[('p1.1', 'The war goes on.', 'The fighting continues.'), ('p1.2', 'We need a secnd front.', 'A second front is needed.')]
>>> [(f.name, f.sigla, len(f.variants)) for f in s.families]
[('one', ('A', 'B'), 1), ('two', ('C',), 0)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .families import UNSTATED, Assigned, Membership, assign_families, slug
from .losses import losses_of
from .model import Alignment, Cell, Coverage, Location, Lost, LostStretch, Span, Token, TokenKind, Variants, Witness
from .places import SentenceSource, row_cuts, row_order, sentences
from .synopsis_rows import Row, open_ends, passage_rows
from .tokenize import GAP_MARKS
from .variants import lost_columns

__all__ = [
    "Family", "Row", "RowState", "Synopsis", "coverage", "default_base", "from_variants", "is_complete", "passage_base",
    "synopsis",
]  # fmt: skip

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)

@dataclass(frozen=True, slots=True)
class Family:
    """The witnesses of one family, aligned and classed against the family's base, and
    the run of its columns in each row (``ranges[k]``: first and last column;
    last < first where the family has nothing in row k)."""

    name: str
    variants: Variants
    ranges: tuple[Span, ...]

    @property
    def alignment(self) -> Alignment:
        return self.variants.alignment

    @property
    def sigla(self) -> tuple[str, ...]:
        return self.variants.alignment.sigla


class RowState(StrEnum):
    """What a witness has in a row."""

    TEXT = "text"
    LOST = "lost"  # its text is lost there (a lacuna)
    NONE = "none"  # nothing, though its text is not lost: an omission, or a passage its translation lacks


@dataclass(frozen=True, slots=True)
class Synopsis:
    """Families side by side in rows of passages (see the module docstring).
    ``members`` says how each witness came by its family, in the synopsis's order
    (family by family, the base family first)."""

    families: tuple[Family, ...]
    rows: tuple[Row, ...]
    passage_base: str
    members: tuple[Membership, ...]

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        return tuple(w for f in self.families for w in f.alignment.witnesses)

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(s for f in self.families for s in f.sigla)

    @property
    def base_family(self) -> Family:
        return self.families[0]

    def locate(self, siglum: str) -> tuple[Family, int]:
        """The witness's family and its index in the family's alignment (KeyError if none)."""
        for f in self.families:
            if siglum in f.sigla:
                return f, f.sigla.index(siglum)
        raise KeyError(siglum)

    def tokens(self, siglum: str, row: int) -> tuple[Token, ...]:
        """The witness's tokens in ``row`` (gap marks left out)."""
        f, w = self.locate(siglum)
        first, last = f.ranges[row]
        return tuple(t for col in f.alignment.columns[first : last + 1] for t in (col[w] or ()) if not t.is_gap)

    def spans(self, siglum: str) -> tuple[Span | None, ...]:
        """The stretch of the witness's text in each row, or None where it has none there."""
        f, w = self.locate(siglum)
        return tuple(_span(f.alignment.columns, w, first, last) for first, last in f.ranges)

    def span(self, siglum: str, row: int) -> Span | None:
        """The stretch of the witness's text in ``row``, or None."""
        f, w = self.locate(siglum)
        return _span(f.alignment.columns, w, *f.ranges[row])

    def reading(self, siglum: str, row: int) -> str | None:
        """The witness's text in ``row``, or None where it has none."""
        f, w = self.locate(siglum)
        span = _span(f.alignment.columns, w, *f.ranges[row])
        return None if span is None else f.alignment.witnesses[w].text[span[0] : span[1]]

    def states(self, siglum: str) -> tuple[RowState, ...]:
        """For each row, whether the witness has text there, has lost it, or has none.

        A row where the witness's family has columns is lost when all of them are
        lost for it; a row where its family has none is lost when one of its losses
        (stated, found or marked) lies between its text before the row and after it.
        """
        f, w = self.locate(siglum)
        return _states(self, f, w, lost_columns(f.alignment)[w])

    def row_states(self) -> dict[str, tuple[RowState, ...]]:
        """`states` of every witness, computed family by family (each family's lost columns once)."""
        out: dict[str, tuple[RowState, ...]] = {}
        for f in self.families:
            lost = lost_columns(f.alignment)
            for w, s in enumerate(f.sigla):
                out[s] = _states(self, f, w, lost[w])
        return out

    def located(self) -> tuple[tuple[Family, Location, int], ...]:
        """Every family's variant locations, family by family in text order, each with the
        row it begins in: their place here is their id in every output.

        >>> from collate.align import align
        >>> from collate.variants import find_variants
        >>> s = from_variants(find_variants(align([Witness("A", "It rains. We stay."), Witness("B", "It rains. We go.")]), base="A"))
        >>> [(f.name, loc.base_text, s.rows[row].id) for f, loc, row in s.located()]
        [('unstated', 'stay', 'p1.2')]
        """
        out: list[tuple[Family, Location, int]] = []
        for f in self.families:
            row_of = [r for r, (first, last) in enumerate(f.ranges) for _ in range(first, last + 1)]
            for loc in sorted(f.variants.locations, key=lambda loc: (loc.first, loc.last)):
                out.append((f, loc, row_of[loc.first] if loc.first < len(row_of) else 0))
        return tuple(out)


def _span(columns: Sequence[Sequence[Cell]], w: int, first: int, last: int) -> Span | None:
    """Witness ``w``'s text in columns ``first..last``: from its first word there to its last (gap marks aside)."""
    start = next((t.word_start for c in range(first, last + 1) for t in (columns[c][w] or ()) if not t.is_gap), None)
    if start is None:
        return None
    end = next(t.word_end for c in range(last, first - 1, -1) for t in reversed(columns[c][w] or ()) if not t.is_gap)
    return (start, end)


def _states(syn: Synopsis, f: Family, w: int, lost: frozenset[int]) -> tuple[RowState, ...]:
    """One witness's `Synopsis.states`, its lost columns given."""
    al = f.alignment
    text = al.witnesses[w].text
    spans = [_span(al.columns, w, first, last) for first, last in f.ranges]
    out: list[RowState | None] = []
    for r, (first, last) in enumerate(f.ranges):
        if spans[r] is not None:
            out.append(RowState.TEXT)
        elif last >= first:
            out.append(RowState.LOST if all(c in lost for c in range(first, last + 1)) else RowState.NONE)
        else:
            out.append(None)
    if None not in out:
        return tuple(s or RowState.NONE for s in out)
    offsets = [_offset(loss, text) for loss in losses_of(al.witnesses, al.tokens, al.losses)[w]]
    base, b = syn.locate(syn.passage_base) if syn.passage_base in syn.sigla else (f, w)
    ends = open_ends(al, w, sum(t.kind in _WORDS for t in base.alignment.tokens[b]))
    offsets += ([0] if Lost.START in ends else []) + ([len(text)] if Lost.END in ends else [])
    for r, state in enumerate(out):
        if state is None:
            lo = next((s[1] for s in reversed(spans[:r]) if s is not None), 0)
            hi = next((s[0] for s in spans[r + 1 :] if s is not None), len(text))
            out[r] = RowState.LOST if any(lo <= x <= hi for x in offsets if x is not None) else RowState.NONE
    return tuple(s or RowState.NONE for s in out)


def _offset(loss: LostStretch, text: str) -> int | None:
    try:
        return loss.offset(text)
    except ValueError:
        return None


# ---------------------------------------------------------------- building it


def synopsis(
    witnesses: Sequence[Witness],
    *,
    base: str | Sequence[str] | None = None,
    normalization: str = "exact",
    engine: str = "fast",
    progress: Callable[[int, int], None] | None = None,
    gap_marks: tuple[str, ...] | None = None,
) -> Synopsis:
    """The synopsis of ``witnesses`` (see the module docstring).  ``base`` is a siglum
    or an ordered list of sigla: in each family, the first of them that belongs to
    it is its base (where it is lost, the next); a family none of them belongs to
    has its first complete witness by siglum as base.  None: each place is classed
    against its best-attested reading within the family.  ``progress(done, total)``
    is told as each witness is aligned with its family's spine, over all families.
    ``gap_marks``: the editorial marks that stand for a lacuna (None:
    `collate.tokenize.GAP_MARKS`)."""
    from .align import align
    from .variants import find_variants

    given = (base,) if isinstance(base, str) else tuple(base or ())
    members = assign_families(witnesses)
    groups = _groups(witnesses, members, given)
    variants = []
    done, total = 0, sum(len(ws) - 1 for _, ws in groups)  # a family's first witness is its spine
    for _, ws in groups:
        al = align(ws, normalization=normalization, engine=engine, progress=_told(progress, done, total),
                   gap_marks=GAP_MARKS if gap_marks is None else gap_marks)
        done += len(ws) - 1
        mine = [s for s in given if s in al.sigla] or ([default_base(ws).siglum] if given else [])
        variants.append(find_variants(al, base=mine or None))
    pbase = passage_base(groups[0][1], given)
    rows, ranges = passage_rows(variants, [slug(name) for name, _ in groups], pbase)
    families = tuple(Family(name, v, r) for (name, _), v, r in zip(groups, variants, ranges))
    by_siglum = {m.siglum: m for m in members}
    return Synopsis(families, rows, pbase, tuple(by_siglum[s] for f in families for s in f.sigla))


def _told(progress: Callable[[int, int], None] | None, before: int, total: int) -> Callable[[int, int], None] | None:
    """``progress`` told of one family's witnesses as a share of all of them."""
    if progress is None:
        return None
    tell = progress
    return lambda done, _: tell(before + done, total)


def is_complete(witness: Witness) -> bool:
    """Declared complete and stating no loss.

    >>> from collate.model import Completeness, WitnessMeta
    >>> is_complete(Witness("a", "x")), is_complete(Witness("b", "x", WitnessMeta(completeness=Completeness.FRAGMENT)))
    (True, False)
    """
    return not witness.meta.is_fragment and not witness.meta.lost


def default_base(witnesses: Sequence[Witness]) -> Witness:
    """A family's base when none is given: its first complete witness by siglum, else its longest.

    >>> from collate.model import Completeness, WitnessMeta
    >>> frag = WitnessMeta(completeness=Completeness.FRAGMENT)
    >>> default_base([Witness("b", "x y"), Witness("a", "x y z", frag), Witness("c", "x")]).siglum
    'b'
    """
    complete = sorted((w for w in witnesses if is_complete(w)), key=lambda w: w.siglum)
    if complete:
        return complete[0]
    return max(witnesses, key=lambda w: (len(w.text.split()), [-ord(ch) for ch in w.siglum]))


def passage_base(family: Sequence[Witness], given: Sequence[str]) -> str:
    """The witness of the base family whose sentences make the rows: the first of
    ``given`` in it that is complete, else `default_base`.

    >>> from collate.model import Completeness, WitnessMeta
    >>> frag = WitnessMeta(completeness=Completeness.FRAGMENT)
    >>> passage_base([Witness("frus", "x", frag), Witness("web", "x y")], ["frus"])
    'web'
    """
    mine = {w.siglum: w for w in family}
    for s in given:
        if s in mine and is_complete(mine[s]):
            return s
    return default_base(family).siglum


def _groups(
    witnesses: Sequence[Witness], members: Sequence[Membership], given: Sequence[str]
) -> list[tuple[str, list[Witness]]]:
    """The families and their witnesses: the base family first (the given base's, else
    the largest, then one with a complete witness, then the first met), then in the
    order met; in each, its base first (the given ones in their order), then the
    order given."""
    groups: dict[str, list[Witness]] = {}
    for w, m in zip(witnesses, members):
        groups.setdefault(m.family, []).append(w)
    family_of = {m.siglum: m.family for m in members}
    names = list(groups)
    first = family_of[given[0]] if given else max(
        names, key=lambda n: (len(groups[n]), any(is_complete(w) for w in groups[n]), -names.index(n))
    )
    out = []
    for name in [first, *(n for n in names if n != first)]:
        ws = groups[name]
        mine = [s for s in given if s in {w.siglum for w in ws}] or ([default_base(ws).siglum] if given else [])
        ordered = sorted(ws, key=lambda w: (mine.index(w.siglum) if w.siglum in mine else len(mine)))
        out.append((name, ordered))
    return out


def from_variants(variants: Variants, *, sentences_of: SentenceSource = sentences) -> Synopsis:
    """A synopsis of one family: the witnesses of ``variants``, whatever families their
    metadata names, in rows of the sentences of its base (`collate.places`).

    >>> from collate.align import align
    >>> from collate.variants import find_variants
    >>> s = from_variants(find_variants(align([Witness("A", "It rains. We stay."), Witness("B", "It rains. We go.")]), base="A"))
    >>> [row.id for row in s.rows], s.families[0].ranges, s.passage_base
    (['p1.1', 'p1.2'], ((0, 2), (3, 5)), 'A')
    """
    al = variants.alignment
    order = row_order(al, variants.base_order)
    cuts = row_cuts(al, order, sentences_of)
    named = {w.meta.family for w in al.witnesses}
    name = named.pop() if len(named) == 1 and "" not in named else UNSTATED
    members = tuple(
        Membership(w.siglum, name, Assigned.STATED if w.meta.family == name else Assigned.ASSUMED, "collated as one text")
        for w in al.witnesses
    )
    rows = tuple(Row(c.id, c.paragraph_end, c.aliases) for c in cuts)
    family = Family(name, variants, tuple((c.first, c.last) for c in cuts))
    return Synopsis((family,), rows, al.sigla[order[0]] if order else "", members)


def coverage(syn: Synopsis, states: dict[str, tuple[RowState, ...]] | None = None) -> dict[str, Coverage]:
    """Each witness's coverage of the passage base's text: within the base family word
    by word (`collate.partial.witness_coverage`), in another family passage by
    passage (the passage base's text of every row where the witness has text).

    >>> from collate.model import Witness, WitnessMeta
    >>> one, two = WitnessMeta(family="one"), WitnessMeta(family="two")
    >>> s = synopsis([Witness("A", "The war goes on. We need a second front. It is late.", one),
    ...               Witness("C", "A second front is needed.", two)], base="A")
    >>> {k: c.summary for k, c in coverage(s).items()}
    {'A': 'the whole text: 12 of 12 words, 100 %', 'C': 'sentence 2: 5 of 12 words, 42 %'}
    """
    from .partial import coverage_spans, witness_coverage

    base = syn.base_family
    out = dict(witness_coverage(base.alignment, reference=syn.passage_base))
    if len(syn.families) > 1:
        b = base.sigla.index(syn.passage_base)
        ref, ref_tokens = base.alignment.witnesses[b], base.alignment.tokens[b]
        index = {id(t): k for k, t in enumerate(ref_tokens)}
        rows = [[index[id(t)] for t in syn.tokens(syn.passage_base, r)] for r in range(len(syn.rows))]
        for f in syn.families[1:]:
            for s in f.sigla:
                mine = states[s] if states is not None else syn.states(s)
                covered = [(toks[0], toks[-1]) for toks, state in zip(rows, mine) if toks and state is RowState.TEXT]
                out[s] = coverage_spans(ref, ref_tokens, covered)
    return {s: out[s] for s in syn.sigla}
