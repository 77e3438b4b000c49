"""Lexicon: whether a reading is a word of the language, for typo against substitution.

A misread or mistyped word is a *typo* when the reading is not a word (``tbe``
for ``the``) and a *substitution* when it is another real word (``field`` for
``held``), so the classifier needs to know what is a word.  Two sources, no
hand-written list:

- English word frequencies from ``wordfreq`` (its "large" list, which it ships
  in its wheel), read directly from wordfreq's data file in its documented
  cBpack format (a gzipped msgpack list of frequency buckets, one per
  centibel).  Importing ``wordfreq`` itself takes a quarter of a second, more
  than a whole `collate check` of a page, so only its data file is read, once,
  and only when a judgement needs it.
- the vocabulary of the texts at hand (the reference's own words, and any
  other words a caller passes): names such as ``Molotov`` and archaic forms
  such as ``ye`` are words of their text whatever their frequency elsewhere.

Word frequencies on the web crowd short strings with abbreviations and OCR
debris (``tt``, ``lt``, ``bc``, ``en`` are all more frequent than ``foe``), so
the frequency a string needs to count as a word depends on its length, on the
Zipf scale (log10 of occurrences per billion words):

=============  ======================  ===========================================
letters        least Zipf frequency    so that
=============  ======================  ===========================================
1              (none: only a and I)    ``l``, ``s``, ``t`` are not words
2              4.6                     of, an, oh, ah are words; en, bc, ho, lt, tt are not
3              4.0                     arc, thy, tho, amy are words; alt, val, wes, thc are not
4 or more      2.5                     refuel, burs are words; tlie, rellef, fortes are not
=============  ======================  ===========================================

A reading with a digit is never judged a word (``18th``, ``1s``): a misread
digit is a typo.

>>> lex = Lexicon.of("Molotov went to London")
>>> [lex.is_word(w) for w in ("field", "tbe", "Molotov", "nolotov", "oh", "tt", "I", "l")]
[True, False, True, False, True, False, True, False]
"""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

ONE_LETTER_WORDS = frozenset({"a", "i"})
"""English's one-letter words; any other single letter is a misread (``l`` for ``I``)."""

LEAST_ZIPF = {2: 4.6, 3: 4.0}
"""Least Zipf frequency for a word of that many letters (see the module docstring)."""

LEAST_ZIPF_LONGER = 2.5
"""Least Zipf frequency for a word of four letters or more."""

_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’\-‐‑][\p{L}\p{M}\p{N}]+)*")
_DIGIT = regex.compile(r"\p{N}")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What counts as a word: wordfreq's English list plus ``vocabulary`` (casefolded)."""

    vocabulary: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *texts: str, words: Iterable[str] = ()) -> Lexicon:
        """A lexicon knowing the words of ``texts`` and ``words`` besides wordfreq's."""
        found = {_key(w) for text in texts for w in _WORDS.findall(text)}
        found.update(_key(w) for w in words)
        return cls(frozenset(found))

    def is_word(self, text: str) -> bool:
        """Whether ``text`` (one word, punctuation around it ignored) is a word."""
        key = _key(text.strip(".,;:!?\"'’‘“”()[]"))
        if not key or _DIGIT.search(key):
            return False
        if key in self.vocabulary:
            return True
        letters = sum(1 for c in key if c.isalpha())
        if letters <= 1:
            return key in ONE_LETTER_WORDS
        zipf = frequencies().get(key)
        return zipf is not None and zipf >= LEAST_ZIPF.get(letters, LEAST_ZIPF_LONGER)


def _key(word: str) -> str:
    return word.casefold().replace("’", "'")


@cache
def frequencies() -> dict[str, float]:
    """word -> Zipf frequency for every word of wordfreq's large English list
    at or above the lowest threshold used here."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a declared dependency
        raise ImportError("wordfreq is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
    import msgpack  # wordfreq's own dependency

    unpacker = msgpack.Unpacker(raw=False, max_buffer_size=0)
    unpacker.feed(gzip.decompress(path.read_bytes()))
    buckets = unpacker.read_array_header()
    header = unpacker.unpack()
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"unexpected wordfreq data header in {path}: {header!r}")
    lowest = min(min(LEAST_ZIPF.values()), LEAST_ZIPF_LONGER)
    out: dict[str, float] = {}
    for centibels in range(buckets - 1):  # bucket k holds the words at -k cB
        zipf = 9.0 - centibels / 100.0
        if zipf < lowest:
            break
        for word in unpacker.unpack():
            out.setdefault(word, zipf)
    return out
