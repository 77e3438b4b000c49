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
    VariantClass.CASE: ("case", "letter case only"),
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
    """Where a fragment's text is lost: before its first or after its last token."""

    START = "start"
    END = "end"


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
    completeness: Completeness = Completeness.COMPLETE
    lost: tuple[Lost, ...] = ()
    breaks_off_after: str = ""
    note: str = ""
    sha256: str = ""
    source_file: SourceFile | None = None

    @property
    def is_fragment(self) -> bool:
        return self.completeness is Completeness.FRAGMENT


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

    ``base`` is the witness the caller asked for, or None for the
    best-attested reading at each place; each `Location` records the witness
    that served there (another one where the base's text is lost).  Iterating
    gives the locations in text order.
    """

    alignment: Alignment
    base: str | None
    locations: tuple[Location, ...]

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
