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

from dataclasses import dataclass, field
from enum import Enum


class TokenKind(Enum):
    """What a token is made of; alignment weighs words above punctuation."""

    WORD = "word"
    NUMBER = "number"
    PUNCTUATION = "punctuation"
    SPACE = "space"  # only for a witness that holds nothing but whitespace


class VariantClass(Enum):
    """The closed vocabulary of reading classes, shared by report and check."""

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


class Completeness(Enum):
    COMPLETE = "complete"
    FRAGMENT = "fragment"


class Lost(Enum):
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
class WitnessMeta:
    """Provenance of a witness, as kept in ``witnesses/<siglum>.toml``."""

    title: str = ""
    source: str = ""
    translation: str = ""
    family: str = ""  # the translation or recension it belongs to; "" = a family of its own
    completeness: Completeness = Completeness.COMPLETE
    lost: tuple[Lost, ...] = ()
    breaks_off_after: str = ""
    note: str = ""
    sha256: str = ""

    @property
    def is_fragment(self) -> bool:
        return self.completeness is Completeness.FRAGMENT


@dataclass(frozen=True, slots=True)
class Witness:
    """A transcription: its siglum, its verbatim text and its provenance."""

    siglum: str
    text: str
    meta: WitnessMeta = field(default_factory=WitnessMeta)
    path: str = ""

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


def render_tokens(tokens: tuple[Token, ...]) -> str:
    """The words of ``tokens`` as they stand in the witness, outer whitespace trimmed.

    >>> render_tokens((Token("in ", "in", 0, 3, TokenKind.WORD), Token("as", "as", 3, 5, TokenKind.WORD)))
    'in as'
    """
    return "".join(tok.t for tok in tokens).strip()
