"""Normalization: named presets composed from small ``str -> str`` steps.

A token's normalized form ``n`` decides what the aligner treats as the same
word.  Normalization is never silent: every entry point takes a preset name,
and the presets form a ladder, each folding more than the one before:

``exact``
    Unicode NFC only.  Every difference counts.
``typographic``
    ``exact`` plus typographic forms folded (`fold_glyphs`): ligatures as their
    letters (``ﬁ`` = ``fi``), the long s as s (``ſ`` = ``s``), curly quotes and
    apostrophes as straight ones, every kind of dash as a hyphen.
``case``
    ``typographic`` plus case folding (``Command`` = ``command``).
``punctuation``
    ``case`` plus punctuation set aside: a punctuation token normalizes to the
    empty string, and punctuation inside a word is dropped (``pre-decided`` =
    ``predecided``).
``orthographic``
    ``punctuation`` plus diacritics folded (``communiqué`` = ``communique``) and
    common British spellings mapped to American (``favourable`` = ``favorable``,
    ``organisation`` = ``organization``).

>>> normalize("Favourable", "orthographic")
'favorable'
>>> normalize("Communiqué", "case")
'communiqué'
>>> normalize("Communiqué", "orthographic")
'communique'
>>> normalize(",", "punctuation")
''
>>> normalize("ﬁrſt’s—", "typographic")
"first's-"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from functools import cache, lru_cache, reduce
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

Step = Callable[[str], str]


def nfc(text: str) -> str:
    """Unicode canonical composition.

    >>> nfc("e\\u0301") == "\\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text)


# Typographic forms of one letter sequence or mark (ligatures, the long s,
# quotes, dashes).  Unicode gives the ligatures a compatibility decomposition,
# but NFKC would also fold superscripts, fractions and full-width forms, which
# are not typographic variants, so the forms are listed.  Æ, œ and ĳ are
# letters in some languages, so they are not folded.
GLYPHS: dict[str, str] = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    "\u017f": "s", "\u1e9b": "\u1e61",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2e3a": "-", "\u2e3b": "-", "\u2e17": "-",
}
"""Each typographic form and the plain form it folds to."""

_GLYPH_TABLE = str.maketrans(GLYPHS)  # every typographic form is one character
_DASHES = re.compile(r"-{2,}")


def fold_glyphs(text: str) -> str:
    """Fold typographic forms: ligatures to letters, long s to s, curly quotes
    and apostrophes to straight ones, every dash (and a typist's ``--``) to a hyphen.

    >>> print(fold_glyphs("“ﬁnal” oﬃce—the Beſt -- ‘a’"))
    "final" office-the Best - 'a'
    """
    if not text.isascii():  # every typographic form is outside ASCII; only a typist's "--" is not
        text = text.translate(_GLYPH_TABLE)
    return _DASHES.sub("-", text)


def casefold(text: str) -> str:
    """Fold case.

    >>> casefold("STALIN")
    'stalin'
    """
    return text.casefold()


@cache
def _punctuation() -> regex.Pattern[str]:
    import regex  # Unicode's punctuation and symbol classes; imported on first use (start-up)

    return regex.compile(r"[\p{P}\p{S}]+")


def strip_punctuation(text: str) -> str:
    """Drop punctuation and symbols.

    >>> strip_punctuation("pre-decided,")
    'predecided'
    """
    return _punctuation().sub("", text)


def fold_diacritics(text: str) -> str:
    """Remove combining marks, then recompose.

    >>> fold_diacritics("communiqué")
    'communique'
    """
    if text.isascii():  # no combining marks, nothing to recompose
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


# Whole-word British -> American spellings that suffix rules cannot reach.
_WORDS = {
    "aeroplane": "airplane", "cheque": "check", "grey": "gray", "kerb": "curb",
    "manoeuvre": "maneuver", "manoeuvres": "maneuvers", "programme": "program",
    "programmes": "programs", "tyre": "tire", "tyres": "tires", "gaol": "jail",
    "connexion": "connection", "storey": "story", "whilst": "while", "amongst": "among",
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "practise": "practice", "enquiry": "inquiry", "enquire": "inquire", "sceptical": "skeptical",
    "ageing": "aging", "judgement": "judgment", "acknowledgement": "acknowledgment",
    "travelled": "traveled", "travelling": "traveling", "cancelled": "canceled",
    "labelled": "labeled", "modelled": "modeled", "signalled": "signaled",
    "calibre": "caliber", "fibre": "fiber", "sabre": "saber", "sombre": "somber",
}
# Suffix rules, tried in order on words long enough not to catch short stems.
_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("isation", "ization", 8), ("isations", "izations", 9), ("ise", "ize", 6),
    ("ised", "ized", 7), ("ises", "izes", 7), ("ising", "izing", 8),
    ("our", "or", 5), ("ours", "ors", 6), ("ourable", "orable", 8), ("ourably", "orably", 8),
    ("oured", "ored", 7), ("ouring", "oring", 8), ("ourite", "orite", 7), ("ourites", "orites", 8),
    ("tre", "ter", 5), ("tres", "ters", 6), ("logue", "log", 7), ("logues", "logs", 8),
)
# Words the suffix rules would wrongly change.
_KEEP = frozenset(
    "our ours four hour hours your yours pour tour tours sour flour devour devours "
    "contour contours paramour troubadour amour detour detours "
    "rise arise wise otherwise likewise precise concise premise promise promised promises "
    "exercise exercised exercises expertise enterprise enterprises surprise surprised surprises "
    "compromise compromised advise advised advises devise devised revise revised supervise "
    "televise despise despised disguise disguised franchise merchandise comprise comprised "
    "raise raised raises praise praised noise poise cruise bruise chemise excise "
    "entre".split()
)


def americanize(text: str) -> str:
    """Map common British spellings of a single word to American ones.

    >>> [americanize(w) for w in ("favourable", "organisation", "labour", "four", "realised")]
    ['favorable', 'organization', 'labor', 'four', 'realized']
    """
    word = text
    if word in _WORDS:
        return _WORDS[word]
    if word in _KEEP:
        return word
    for old, new, min_len in _SUFFIXES:
        if len(word) >= min_len and word.endswith(old):
            return word[: -len(old)] + new
    return word


def compose(*steps: Step) -> Step:
    """Chain steps left to right into one (jiwer's ``Compose``).

    >>> compose(casefold, strip_punctuation)("Anglo-Soviet")
    'anglosoviet'
    """
    return lambda text: reduce(lambda acc, step: step(acc), steps, text)


class Preset(StrEnum):
    """The normalization presets, in ladder order (each folds more than the one before)."""

    EXACT = "exact"
    TYPOGRAPHIC = "typographic"
    CASE = "case"
    PUNCTUATION = "punctuation"
    ORTHOGRAPHIC = "orthographic"


PRESETS: dict[Preset, tuple[Step, ...]] = {
    Preset.EXACT: (nfc,),
    Preset.TYPOGRAPHIC: (nfc, fold_glyphs),
    Preset.CASE: (nfc, fold_glyphs, casefold),
    Preset.PUNCTUATION: (nfc, fold_glyphs, casefold, strip_punctuation),
    Preset.ORTHOGRAPHIC: (nfc, fold_glyphs, casefold, strip_punctuation, fold_diacritics, americanize),
}
"""The steps of each preset."""

DESCRIPTIONS: dict[Preset, str] = {
    Preset.EXACT: "Unicode NFC only; every difference counts",
    Preset.TYPOGRAPHIC: "also ignore ligatures, long s, quote and dash forms",
    Preset.CASE: "also ignore letter case",
    Preset.PUNCTUATION: "also ignore case and punctuation",
    Preset.ORTHOGRAPHIC: "also ignore diacritics and British/American spelling",
}


def preset(name: str) -> Preset:
    """The preset called ``name``; ValueError names the valid presets.

    >>> preset("case") is Preset.CASE
    True
    """
    try:
        return Preset(name)
    except ValueError:
        raise ValueError(f"unknown normalization preset {name!r} (choose from {', '.join(PRESETS)})") from None


def normalizer(name: str) -> Step:
    """The composed step for the preset ``name``.

    >>> normalizer("case")("Soviet")
    'soviet'
    """
    return compose(*PRESETS[preset(name)])


def normalize(text: str, name: str) -> str:
    """Normalize one string with the preset ``name``."""
    return normalizer(name)(text)


_orthographic = normalizer(Preset.ORTHOGRAPHIC)


@lru_cache(maxsize=65536)
def orthographic_key(word: str) -> str:
    """A word with everything the ``orthographic`` preset folds folded away: the
    one spelling fold that matching, classing and transposition finding share.

    >>> orthographic_key("Favourable,"), orthographic_key("Communiqué")
    ('favorable', 'communique')
    """
    return _orthographic(word)
