"""The data model: witnesses, tokens, alignments and variants.

Every stage of `collate` passes one of these frozen values to the next and never
mutates its input::

    Witness --tokenize--> tuple[Token, ...] --align--> Alignment
            --variants--> tuple[Location, ...] --render--> HTML / JSON / TEI

The model knows nothing of files, HTML or the command line.  A `Token` keeps its
exact original text (with the whitespace after it) and its character offsets in
its witness, so every output can point back into the transcription.

>>> tok = Token(t="Easter ", n="Easter", start=10, end=17, kind=TokenKind.WORD)
>>> tok.word, tok.word_start, tok.word_end
('Easter', 10, 16)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .readers.model import Extracted, Hyphens, SourceFormat, TeiChoice


class TokenKind(StrEnum):
    """What a token is made of; alignment weighs words above punctuation."""

    WORD = "word"
    NUMBER = "number"
    PUNCTUATION = "punctuation"
    SPACE = "space"  # only for a witness that holds nothing but whitespace
    GAP = "gap"  # an editorial gap mark ("[...]", "<...>", "[illegible]"): a lacuna, never text


class VariantClass(StrEnum):
    """The closed vocabulary of reading classes, shared by report and check.

    Each class carries its one abbreviation (for apparatus and marks) and its
    one description; every output takes them from here.

    >>> VariantClass.OMISSION.abbr, VariantClass.TYPO.label
    ('om.', 'Typo')
    >>> [c.value for c in CLASS_ORDER[:3]]
    ['substitution', 'omission', 'addition']
    """

    CASE = "case"
    PUNCTUATION = "punctuation"
    SPACING = "spacing"
    HYPHENATION = "hyphenation"  # a word broken at a line end with a hyphen: Mol-⏎otov
    GLYPH = "glyph"  # another typographic form: ligature, long s, quote or dash kind
    ORTHOGRAPHIC = "orthographic"
    TYPO = "typo"
    SUBSTITUTION = "substitution"
    OMISSION = "omission"
    ADDITION = "addition"
    TRANSPOSITION = "transposition"
    LACUNA = "lacuna"

    @property
    def abbr(self) -> str:
        """The conventional apparatus abbreviation: ``om.``, ``add.``, ``tr.``..."""
        return _CLASS_VOCABULARY[self][0]

    @property
    def description(self) -> str:
        return _CLASS_VOCABULARY[self][1]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_CLASS_VOCABULARY: dict[VariantClass, tuple[str, str]] = {
    VariantClass.SUBSTITUTION: ("subst.", "different words"),
    VariantClass.OMISSION: ("om.", "the witness lacks words the base has"),
    VariantClass.ADDITION: ("add.", "the witness has words the base lacks"),
    VariantClass.TRANSPOSITION: ("tr.", "the same words in another order"),
    VariantClass.TYPO: ("typo", "a near match: probably a transcription error"),
    VariantClass.ORTHOGRAPHIC: ("orth.", "spelling convention or diacritics (favourable / favorable)"),
    VariantClass.SPACING: ("sp.", "words split or merged (inasmuch / in as much)"),
    VariantClass.HYPHENATION: ("hyph.", "a word broken at a line end with a hyphen (Mol-⏎otov)"),
    VariantClass.CASE: ("case", "letter case only"),
    VariantClass.GLYPH: ("glyph", "another typographic form: ligature, long s, quote or dash kind (ﬁ / fi, ’ / ')"),
    VariantClass.PUNCTUATION: ("punct.", "punctuation only"),
    VariantClass.LACUNA: ("lac.", "text lost: the witness is a fragment"),
}

CLASS_ORDER: tuple[VariantClass, ...] = tuple(_CLASS_VOCABULARY)
"""The classes weightiest first: the order of every count and legend, and the
class whose colour a mark takes when it stands for several."""


class Completeness(StrEnum):
    COMPLETE = "complete"
    FRAGMENT = "fragment"


class Lost(StrEnum):
    """The two ends of a witness's text, where a loss need not be located by offset."""

    START = "start"
    END = "end"


class LossOrigin(StrEnum):
    """How a loss became known."""

    STATED = "stated"  # written by hand in the witness's TOML (or given to `collate add`)
    FOUND = "found"  # found by `collate.coverage` from the text, stored for a human to check
    MARKED = "marked"  # an editorial gap mark in the text itself


Span = tuple[int, int]
"""Character offsets, end exclusive."""


@dataclass(frozen=True, slots=True)
class LostStretch:
    """A stretch of the document that a witness lacks: one lacuna.

    ``at`` is where the loss sits in the witness's own text: `Lost.START`
    (before its first word), `Lost.END` (after its last word), or a character
    offset (the insertion point; inside the text).  ``None`` means "just
    after the words ``after``", which must then occur once in the text.
    ``after`` quotes the witness's words before the loss, for a reader (and
    is checked to occur in the text).  Once coverage is known, ``stands_for``
    is the span of the ``reference`` witness's text that the loss stands for.

    >>> end = LostStretch(Lost.END, after="have been")
    >>> end.offset("the best forces have been\\n"), end.is_end
    (26, True)
    >>> LostStretch(None, after="forces").offset("the best forces have been")
    15
    """

    at: int | Lost | None
    after: str = ""
    origin: LossOrigin = LossOrigin.STATED
    mark: str = ""
    reference: str = ""
    stands_for: Span | None = None
    note: str = ""

    @property
    def is_start(self) -> bool:
        return self.at is Lost.START

    @property
    def is_end(self) -> bool:
        return self.at is Lost.END

    def offset(self, text: str) -> int:
        """The insertion point in ``text``; ValueError if it cannot be placed there."""
        if self.at is Lost.START:
            return 0
        if self.at is Lost.END:
            return len(text)
        if self.at is not None:
            if not 0 <= self.at <= len(text):
                raise ValueError(f"lost at offset {self.at}, past the end of the text ({len(text)} characters)")
            return self.at
        ends = [m.end() for m in _words_pattern(self.after).finditer(text)] if self.after.strip() else []
        if len(ends) != 1:
            found = "does not occur in the text" if not ends else f"occurs {len(ends)} times in the text"
            raise ValueError(f"lost after {self.after!r}, which {found}: give 'at' (a character offset)")
        return ends[0]


def _words_pattern(words: str) -> re.Pattern[str]:
    """``words`` as a pattern that lets any whitespace stand for any whitespace."""
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def occurs(words: str, text: str) -> bool:
    """Whether ``words`` occur in ``text``, whitespace aside.

    >>> occurs("in 1942,  and", "front in 1942,\\nand")
    True
    """
    return _words_pattern(words).search(text) is not None


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which stretches of a reference text a partial witness covers.

    ``spans`` are character spans of the ``reference`` witness's text, in
    order; ``words`` of its ``total_words`` words lie inside them.
    ``summary`` says it in words ("paragraph 5 and the closing sentence:
    63 of 433 words, 15 %").
    """

    reference: str
    spans: tuple[Span, ...]
    words: int = 0
    total_words: int = 0
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark of a witness.

    ``t`` is the exact text, with the whitespace that follows it (and, for a
    witness's first token, any whitespace before it); ``start``/``end`` are the
    offsets of ``t`` in the witness text, so ``text[start:end] == t``.
    ``n`` is the normalized form used for matching.
    """

    t: str
    n: str
    start: int
    end: int
    kind: TokenKind

    @property
    def word(self) -> str:
        """The token without surrounding whitespace."""
        return self.t.strip()

    @property
    def word_start(self) -> int:
        return self.start + (len(self.t) - len(self.t.lstrip()))

    @property
    def word_end(self) -> int:
        return self.word_start + len(self.word)

    @property
    def is_punctuation(self) -> bool:
        return self.kind is TokenKind.PUNCTUATION

    @property
    def is_gap(self) -> bool:
        return self.kind is TokenKind.GAP


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The file a stored witness's text was extracted from, kept beside it in the store.

    ``name`` is the file's name in the store (``<siglum>.source.xml``, see
    `collate.witnessfile.source_name`), ``format`` the reader that extracted
    the text, ``sha256`` the checksum of the file's bytes; ``tei_choice``
    and ``hyphens`` are the reader options used, where the format has them
    (None where it does not).
    """

    name: str
    format: SourceFormat
    sha256: str
    tei_choice: TeiChoice | None = None
    hyphens: Hyphens | None = None


@dataclass(frozen=True, slots=True)
class WitnessMeta:
    """Provenance of a witness, as kept in ``witnesses/<siglum>.toml``.

    ``source_file`` is set when the text was extracted from a TEI, PAGE,
    ALTO, hOCR or Markdown file that the store keeps beside it.
    """

    title: str = ""
    source: str = ""
    translation: str = ""
    family: str = ""  # the translation or recension it belongs to; "" = a family of its own
    completeness: Completeness = Completeness.COMPLETE
    lost: tuple[LostStretch, ...] = ()
    note: str = ""
    sha256: str = ""
    coverage: Coverage | None = None
    source_file: SourceFile | None = None

    @property
    def is_fragment(self) -> bool:
        return self.completeness is Completeness.FRAGMENT

    @property
    def breaks_off_after(self) -> str:
        """The words a fragment breaks off after (its end loss's ``after``), or ""."""
        return next((loss.after for loss in self.lost if loss.is_end), "")


class Integrity(StrEnum):
    """Whether a witness's text is the one its metadata's checksum was taken of."""

    VERIFIED = "verified"  # it matches the sha256 recorded when it was stored
    MODIFIED = "modified"  # it does not, and was read anyway (allow_modified): a report should say so
    UNCHECKED = "unchecked"  # no checksum recorded (a plain file, or metadata without sha256)


@dataclass(frozen=True, slots=True)
class Witness:
    """A transcription: its siglum, its verbatim text and its provenance.

    ``integrity`` says whether the text was checked against the checksum in
    its metadata when it was read (see `collate.store.read_witness`).
    ``source`` is what a reader made of the file the text comes from (TEI,
    PAGE, ALTO, hOCR, Markdown), with its page/line positions, word
    confidences and TEI lacunae; None for plain text.
    """

    siglum: str
    text: str
    meta: WitnessMeta = field(default_factory=WitnessMeta)
    path: str = ""
    integrity: Integrity = Integrity.UNCHECKED
    source: Extracted | None = field(default=None, repr=False)

    @property
    def family(self) -> str:
        """Its family's name: the metadata's ``family``, or the siglum for a witness in none.

        >>> Witness("web", "text", WitnessMeta(family="frus1942")).family, Witness("x", "text").family
        ('frus1942', 'x')
        """
        return self.meta.family or self.siglum


Cell = tuple[Token, ...] | None
"""The tokens one witness has in one column, or None for a gap."""


@dataclass(frozen=True, slots=True)
class Transposition:
    """Words that two witnesses have in a different order within columns first..last."""

    sigla: tuple[str, str]
    first: int
    last: int
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Witnesses aligned into columns: ``columns[c][w]`` is witness w's cell in column c."""

    witnesses: tuple[Witness, ...]
    tokens: tuple[tuple[Token, ...], ...]
    columns: tuple[tuple[Cell, ...], ...]
    transpositions: tuple[Transposition, ...] = ()
    normalization: str = "exact"
    engine: str = "fast"
    losses: tuple[tuple[LostStretch, ...], ...] = ()
    """For each witness, the losses in effect: stated, found and marked
    (`collate.coverage`); empty for an alignment built by hand, whose losses
    are then those its witnesses state or mark."""

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(w.siglum for w in self.witnesses)

    def row(self, index: int) -> tuple[Cell, ...]:
        """Witness ``index``'s cells, one per column."""
        return tuple(col[index] for col in self.columns)


@dataclass(frozen=True, slots=True)
class Reading:
    """One witness's reading at a variant location, classed against the base."""

    siglum: str
    tokens: tuple[Token, ...]
    cls: VariantClass | None
    similarity: float | None = None

    @property
    def text(self) -> str:
        return render_tokens(self.tokens)


@dataclass(frozen=True, slots=True)
class Location:
    """A run of columns first..last where the witnesses do not all agree."""

    first: int
    last: int
    base: str
    base_tokens: tuple[Token, ...]
    readings: tuple[Reading, ...]

    @property
    def base_text(self) -> str:
        return render_tokens(self.base_tokens)


@dataclass(frozen=True, slots=True)
class Variants:
    """The variant locations of an alignment, classed against a base.

    ``base`` is the witness the caller asked for first, or None for the
    best-attested reading at each place; ``base_order`` is every witness in
    the order in which they serve where those before are lost (empty without
    a base).  Each `Location` records the witness that served there.
    Iterating gives the locations in text order.
    """

    alignment: Alignment
    base: str | None
    locations: tuple[Location, ...]
    base_order: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Location]:
        return iter(self.locations)

    def __len__(self) -> int:
        return len(self.locations)

    def __getitem__(self, index: int) -> Location:
        return self.locations[index]


def render_tokens(tokens: tuple[Token, ...]) -> str:
    """The words of ``tokens`` as they stand in the witness, outer whitespace trimmed.

    >>> render_tokens((Token("in ", "in", 0, 3, TokenKind.WORD), Token("as", "as", 3, 5, TokenKind.WORD)))
    'in as'
    """
    return "".join(tok.t for tok in tokens).strip()
