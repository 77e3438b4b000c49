"""Benchmark material: long texts we did not write, a repetitive text, noisy copies.

- `kjv(words)`: the King James Bible from Debian's bible-kjv (``/usr/bin/bible``,
  data in ``/usr/lib/bible.data``), from Genesis 1:1 on, one paragraph per
  chapter, cut at the end of the sentence that reaches ``words`` words.
- `jargon(words)`: the Jargon File 4.4.7 (public domain) from Debian's
  jargon-text (``/usr/share/doc/jargon-text/jargon.txt.gz``): a glossary, so
  a different kind of text (headwords, short entries, cross references).
- `repetitive(words, seed)`: sentences drawn again and again from a small pool,
  so that no word occurs once and no sentence is unique: the case where
  anchoring on unique words has nothing to hold.
- `noisy_set(text, copies, seed, rate)`: the text as witness ``base`` and noisy
  copies with their answer key, from the project's noisy-copy generator.

The noisy-copy generator is imported here and nowhere else in benchmarks/ (it
is ``collate.testing.synth``).
"""

from __future__ import annotations

import gzip
import random
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from collate.testing.synth import (  # noqa: E402  the one import of the generator in benchmarks/
    NoiseKind,
    NoisyCopy,
    Origins,
    Score,
    base_text,
    correspondence_f1,
    identity_origins,
    noisy_copy,
    word_tokens,
)

__all__ = [
    "NoiseKind",
    "NoisyCopy",
    "Origins",
    "Score",
    "base_text",
    "correspondence_f1",
    "identity_origins",
    "noisy_copy",
    "word_tokens",
    "kjv",
    "jargon",
    "repetitive",
    "noisy_set",
    "available",
]

BIBLE = Path("/usr/bin/bible")
JARGON = Path("/usr/share/doc/jargon-text/jargon.txt.gz")
_REF = re.compile(r"^(\S*?)(\d+):(\d+) ")


def available() -> dict[str, bool]:
    """Which of the packaged texts are installed (apt-get install bible-kjv jargon-text)."""
    return {"kjv": BIBLE.exists() and shutil.which("bible") is not None, "jargon": JARGON.exists()}


def _cut(paragraphs: list[str], words: int) -> str:
    """The paragraphs up to ``words`` words, the last one cut after a sentence."""
    out: list[str] = []
    count = 0
    for para in paragraphs:
        n = len(para.split())
        if count + n <= words:
            out.append(para)
            count += n
            continue
        kept: list[str] = []
        for sentence in re.split(r"(?<=[.;:?!])\s+", para):
            if count + len(sentence.split()) > words and kept:
                break
            kept.append(sentence)
            count += len(sentence.split())
        out.append(" ".join(kept))
        break
    return "\n\n".join(out) + "\n"


@lru_cache(maxsize=1)
def _kjv_chapters() -> tuple[str, ...]:
    dump = subprocess.run([str(BIBLE), "-f", "Gen1:1-Rev22:21"], capture_output=True, text=True, check=True).stdout
    chapters: list[str] = []
    verses: list[str] = []
    current = None
    for line in dump.splitlines():
        m = _REF.match(line)
        if not m:
            continue
        key = (m.group(1), m.group(2))
        if key != current and verses:
            chapters.append(" ".join(verses))
            verses = []
        current = key
        verses.append(line[m.end() :].strip())
    if verses:
        chapters.append(" ".join(verses))
    return tuple(chapters)


def kjv(words: int) -> str:
    """The first ``words`` words (about) of the KJV, a paragraph per chapter."""
    return _cut(list(_kjv_chapters()), words)


@lru_cache(maxsize=1)
def _jargon_paragraphs() -> tuple[str, ...]:
    text = gzip.decompress(JARGON.read_bytes()).decode("utf-8", errors="replace")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return tuple(p for p in paras if p)


def jargon(words: int) -> str:
    """The first ``words`` words (about) of the Jargon File 4.4.7."""
    return _cut(list(_jargon_paragraphs()), words)


def repetitive(words: int, *, seed: int, pool: int = 24) -> str:
    """Sentences drawn at random from a pool of ``pool``, each used at least twice.

    Every word of the result occurs at least twice, and so does every
    sentence: no word, and hardly any phrase shorter than a sentence, is
    unique.  Liturgy, law and formulaic letters are like this.

    >>> text = repetitive(2000, seed=1)
    >>> from collections import Counter
    >>> min(Counter(text.split()).values()) >= 2
    True
    """
    source = base_text(max(pool * 12, 300), seed=seed)
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", source) if len(s.split()) >= 4][:pool]
    rng = random.Random(seed)
    order = sentences + sentences  # each at least twice
    rng.shuffle(order)
    count = sum(len(s.split()) for s in order)
    while count < words:
        s = rng.choice(sentences)
        order.append(s)
        count += len(s.split())
    paragraphs: list[str] = []
    para: list[str] = []
    for s in order:
        para.append(s)
        if len(para) >= rng.randint(3, 7):
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    return "\n\n".join(paragraphs) + "\n"


def noisy_set(
    source: str, *, copies: int, seed: int, rate: float = 0.05
) -> tuple[dict[str, str], dict[str, Origins], dict[str, NoisyCopy]]:
    """``source`` as witness ``base`` and ``copies`` noisy copies ``n1``.. (seed*1000+i)."""
    texts = {"base": source}
    truth: dict[str, Origins] = {"base": identity_origins(source)}
    made: dict[str, NoisyCopy] = {}
    for i in range(1, copies + 1):
        copy = noisy_copy(source, seed=seed * 1000 + i, rate=rate)
        texts[f"n{i}"], truth[f"n{i}"], made[f"n{i}"] = copy.text, copy.origins, copy
    return texts, truth, made
