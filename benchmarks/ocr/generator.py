#!/usr/bin/env python3
"""A second, independent error generator for `collate check` (issue 9).

``collate.testing.synth`` is the generator the classifier was tuned on.  This one
shares nothing with it, nor with ``collate``: its own source texts, its own
error model and its own dictionary.

Source texts
    Chapters of the King James Bible as Debian's ``bible-kjv`` prints them
    (``bible -f Ruth1:1-199``), a few verses to a paragraph; on some paragraphs the
    apostrophes are set curly and the speech after "said," is quoted in curly
    quotes, as a modern edition would print it; and the three stored witnesses
    (which bring hyphenated compounds and spaced dashes).
Dictionary
    ``/usr/share/dict/words`` (Debian's ``wamerican``), case-insensitive.  A
    planted typo must not be a word of it; a planted real-word error must be.
    ``collate`` decides "is a word" with ``wordfreq``: two independent lists.
Error model
    Each plant replaces one span of the source and records its kind, the class
    it should be reported as, and its spans and texts in both texts.  Plants
    never touch each other, except the two kinds that plant two errors side by
    side on purpose (``typo_beside_addition``, ``case_and_mark``).

=========================  ================  =========================================================
kind                       class             what
=========================  ================  =========================================================
ocr_confusion              typo              rn/m, cl/d, e/c, li/h, 0/O, 1/l, vv/w, ri/n, ii/u in a word
keyboard_slip              typo              a neighbouring key, a doubled, dropped or swapped letter
short_word_misread         typo              I→l/|/1, a→o/@/«, of→f/ol, is→1s/ls, the→tbe/thc, ...
real_word_misread          substitution      a short word read as another word: in→on, of→or, he→be
different_word             substitution      a word replaced by an unrelated word of the dictionary
line_end_hyphenation       hyphenation       a long word broken "head-⏎tail"
glued_mark                 punctuation       the space between two words read as a mark: "summer.and"
stray_mark                 punctuation       a speck read as a mark before or after a word
mark_changed               punctuation       a word's trailing mark changed or dropped
ligature                   glyph             fi ff fl ffi ffl as one ligature character
long_s                     glyph             a non-final s as ſ
quotes                     glyph             curly quotes and apostrophes as straight ones, and back
dash                       glyph             a hyphen or dash as another kind of dash
case                       case              a word's first letter, or the whole word, in the other case
split_word                 spacing           a space inside a word
merged_words               spacing           the space between two words lost
omission                   omission          a word lost
addition                   addition          a word of the text added
swapped_words              transposition     two neighbouring words in the other order
typo_beside_addition       addition + typo   a word added before a word with a slip: "fact" → "Mr. faet"
case_and_mark              case + punctuation "Command." → "command,"
=========================  ================  =========================================================

A copy can also have CRLF line endings (``crlf=True``): that is no error, and
`collate check` must list the same errors, with the same spans, as for LF.

    python3 benchmarks/ocr/generator.py [--seed N]    # prints one noisy copy and its plants
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DICTIONARY = Path("/usr/share/dict/words")

CHAPTERS = (
    "Ruth1", "Ruth2", "Ruth3", "Ruth4", "Mark1", "Mark4", "Mark5", "Luke15", "Acts27", "Acts28",
    "Genesis37", "Genesis41", "Exodus14", "1Samuel17", "Jonah1", "Jonah2", "Jonah3", "Jonah4",
    "Daniel3", "Daniel6", "Esther4", "Esther5", "John9", "John11", "Nehemiah2", "Job1",
)

KINDS: dict[str, tuple[str, ...]] = {
    "ocr_confusion": ("typo",), "keyboard_slip": ("typo",), "short_word_misread": ("typo",),
    "real_word_misread": ("substitution",), "different_word": ("substitution",),
    "line_end_hyphenation": ("hyphenation",), "glued_mark": ("punctuation",), "stray_mark": ("punctuation",),
    "mark_changed": ("punctuation",), "ligature": ("glyph",), "long_s": ("glyph",), "quotes": ("glyph",),
    "dash": ("glyph",), "case": ("case",), "split_word": ("spacing",), "merged_words": ("spacing",),
    "omission": ("omission",), "addition": ("addition",), "swapped_words": ("transposition",),
    "typo_beside_addition": ("addition", "typo"), "case_and_mark": ("case", "punctuation"),
}


@dataclass(frozen=True)
class Plant:
    """One planted error: ``source[source_span] -> text[noisy_span]``."""

    kind: str
    cls: str
    source_span: tuple[int, int]
    noisy_span: tuple[int, int]
    source: str
    noisy: str


@dataclass(frozen=True)
class NoisyText:
    source: str
    text: str
    plants: tuple[Plant, ...]
    crlf: bool = False


# ----------------------------------------------------------------------------- sources


@cache
def dictionary() -> frozenset[str]:
    if not DICTIONARY.exists():
        raise SystemExit(f"{DICTIONARY} is missing: apt-get install wamerican")
    return frozenset(w.strip().casefold() for w in DICTIONARY.read_text(encoding="utf-8", errors="replace").splitlines())


def is_word(text: str) -> bool:
    core = text.casefold().replace("’", "'")
    return core in dictionary() or (core.endswith("'s") and core[:-2] in dictionary())


def _typeset(paragraph: str) -> str:
    """Curly apostrophes, and the speech after "said," in curly quotes."""
    text = paragraph.replace("'", "\u2019")
    return re.sub(r"(said(?: unto \w+)?, )([A-Z][^.?!]*[.?!])", "\\1\u201c\\2\u201d", text)


@cache
def kjv_paragraphs() -> tuple[str, ...]:
    out = []
    for chapter in CHAPTERS:
        lines = subprocess.run(["bible", "-f", f"{chapter}:1-199"], capture_output=True, text=True, check=True).stdout
        verses = [re.sub(r"^\S+\s+", "", line).strip() for line in lines.splitlines() if re.match(r"^\S+\d+:\d+ ", line)]
        for i in range(0, len(verses), 4):
            out.append(" ".join(verses[i : i + 4]))
    return tuple(out)


def source_text(seed: int, words: int = 1500) -> str:
    """About ``words`` words of KJV paragraphs (every third typeset), a blank line between paragraphs."""
    rng = random.Random(seed)
    paras = list(kjv_paragraphs())
    start = rng.randrange(len(paras))
    out: list[str] = []
    count = 0
    i = start
    while count < words:
        para = paras[i % len(paras)]
        out.append(_typeset(para) if rng.random() < 0.35 else para)
        count += len(para.split())
        i += 1
    return "\n\n".join(out) + "\n"


def witness_sources() -> list[str]:
    return [(ROOT / "witnesses" / f"{s}.txt").read_text(encoding="utf-8") for s in ("web", "frus", "corr1957")]


# ----------------------------------------------------------------------------- error kinds

Edit = tuple[int, int, str]  # replace source[a:b] with the string
WordSpan = tuple[int, int]  # a word's letters (no punctuation around it)

CONFUSIONS = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("e", "c"), ("c", "e"), ("li", "h"), ("h", "li"),
              ("0", "O"), ("O", "0"), ("1", "l"), ("l", "1"), ("vv", "w"), ("w", "vv"), ("ri", "n"), ("n", "ri"),
              ("u", "ii"), ("ii", "u"), ("in", "m"), ("h", "b"), ("t", "f"), ("f", "t"))
KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
SHORT_MISREADS = {
    "I": ("l", "|", "1", "]"), "a": ("o", "@", "«", "u"), "A": ("4", "Λ"), "of": ("f", "ol", "0f"),
    "is": ("1s", "ls", "js"), "it": ("1t", "i1", "lt"), "in": ("ln", "iu", "m", "n"), "the": ("tbe", "thc", "tlie", "ihe"),
    "to": ("t0", "fo", "tc"), "and": ("aud", "arid", "nnd"), "he": ("hc", "lie", "ho"), "be": ("bc", "he'", "b6"),
    "As": ("Ap", "A5", "Aa"), "that": ("tbat", "thnt", "tliat"), "was": ("wns", "vvas", "wa5"),
}
REAL_MISREADS = {
    "in": ("on", "is", "an"), "of": ("or", "on", "if"), "is": ("as", "it", "in"), "he": ("be", "she", "we"),
    "the": ("she", "tho", "thy"), "and": ("any", "end", "an"), "to": ("so", "go", "no"), "it": ("at", "if", "is"),
    "was": ("way", "has", "war"), "his": ("him", "has", "this"), "them": ("then", "they", "thee"),
    "unto": ("into", "onto"), "that": ("than", "what", "this"), "him": ("his", "her", "aim"),
}
LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))
MARKS = ("‘", "“", ".", ",", ":", ";", "|", "*", "_", "'", "~", "-")
GLUE = (".", ",", "-", "'", ":", ";", "_")
QUOTE_SWAPS = {"’": "'", "'": "’", "“": '"', "”": '"', "‘": "'"}
DASH_SWAPS = {"-": ("\u2013", "\u2010"), "\u2013": ("-", "\u2014"), "\u2014": ("--", "\u2013")}


def _letters(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]+", word))


def _keep_case(new: str, old: str) -> str:
    return new[0].upper() + new[1:] if old[:1].isupper() and new[:1].islower() else new


def ocr_confusion(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    options = [(m.start(), a, b) for a, b in CONFUSIONS for m in re.finditer(re.escape(a), word)]
    rng.shuffle(options)
    for at, a, b in options:
        new = word[:at] + b + word[at + len(a) :]
        if not is_word(new) and new != word:
            return [(w[0] + at, w[0] + at + len(a), b)]
    return None


def keyboard_slip(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if len(word) < 3 or not _letters(word):
        return None
    for _ in range(8):
        i = rng.randrange(len(word))
        how = rng.choice(("neighbour", "double", "drop", "swap"))
        if how == "neighbour":
            row = next((r for r in KEYS if word[i].lower() in r), None)
            if row is None:
                continue
            j = row.index(word[i].lower())
            key = row[j + rng.choice((-1, 1))] if 0 < j < len(row) - 1 else row[1 if j == 0 else j - 1]
            new, edit = word[:i] + key + word[i + 1 :], (w[0] + i, w[0] + i + 1, key)
        elif how == "double":
            new, edit = word[: i + 1] + word[i] + word[i + 1 :], (w[0] + i, w[0] + i + 1, word[i] * 2)
        elif how == "drop":
            new, edit = word[:i] + word[i + 1 :], (w[0] + i, w[0] + i + 1, "")
        else:
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            new, edit = word[:i] + word[i + 1] + word[i] + word[i + 2 :], (w[0] + i, w[0] + i + 2, word[i + 1] + word[i])
        if not is_word(new):
            return [edit]
    return None


def short_word_misread(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    options = [o for o in SHORT_MISREADS.get(word, ()) if not is_word(o.strip("'"))]
    if not options:
        return None
    return [(w[0], w[1], rng.choice(options))]


def osa(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from ``a`` to ``b``."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def real_word_misread(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    """Only real words that are not a slip of one edit from a word of four
    letters or more: by the classes' definition (benchmarks/ocr/README.md)
    ``them`` read as ``then`` is a typo, ``in`` read as ``on`` a substitution."""
    word = text[w[0] : w[1]]
    options = [o for o in REAL_MISREADS.get(word.lower(), ())
               if is_word(o) and not (osa(o, word.lower()) == 1 and max(len(o), len(word)) >= 4)]
    if not options:
        return None
    return [(w[0], w[1], _keep_case(rng.choice(options), word))]


@cache
def _dictionary_by_length() -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for word in sorted(dictionary()):
        if _letters(word) and word.islower():
            out.setdefault(len(word), []).append(word)
    return {k: tuple(v) for k, v in out.items()}


def different_word(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if len(word) < 4 or not _letters(word):
        return None
    pool = _dictionary_by_length().get(len(word) + rng.choice((-1, 0, 1)), ())
    for _ in range(20):
        new = rng.choice(pool)
        if len(set(new) & set(word.lower())) <= len(word) // 3:  # unrelated in form
            return [(w[0], w[1], _keep_case(new, word))]
    return None


def line_end_hyphenation(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if len(word) < 7 or not _letters(word):
        return None
    cut = rng.randrange(3, len(word) - 2)
    return [(w[0] + cut, w[0] + cut, "-\n")]


def glued_mark(rng: random.Random, text: str, w: WordSpan, nxt: WordSpan | None) -> list[Edit] | None:
    if nxt is None or text[w[1] : nxt[0]] != " ":
        return None
    return [(w[1], nxt[0], rng.choice(GLUE))]


def stray_mark(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    mark = rng.choice(MARKS)
    if rng.random() < 0.5:
        if w[0] > 0 and not text[w[0] - 1].isspace():
            return None
        return [(w[0], w[0], mark)]
    if w[1] < len(text) and not text[w[1]].isspace():
        return None
    return [(w[1], w[1], mark)]


def mark_changed(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    if w[1] >= len(text) or text[w[1]] not in ".,;:?!":
        return None
    mark = text[w[1]]
    return [(w[1], w[1] + 1, rng.choice([m for m in ("", ".", ",", ";", ":") if m != mark]))]


def ligature(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    for plain, lig in LIGATURES:
        at = word.find(plain)
        if at >= 0:
            return [(w[0] + at, w[0] + at + len(plain), lig)]
    return None


def long_s(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    places = [i for i, c in enumerate(word[:-1]) if c == "s"]
    if not places:
        return None
    i = rng.choice(places)
    return [(w[0] + i, w[0] + i + 1, "\u017f")]


def quotes(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    lo, hi = max(0, w[0] - 1), min(len(text), w[1] + 1)
    places = [i for i in range(lo, hi) if text[i] in QUOTE_SWAPS]
    if not places:
        return None
    i = rng.choice(places)
    return [(i, i + 1, QUOTE_SWAPS[text[i]])]


def dash(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    lo, hi = w[0], min(len(text), w[1] + 3)
    places = [i for i in range(lo, hi) if text[i] in DASH_SWAPS]
    if not places:
        return None
    i = rng.choice(places)
    return [(i, i + 1, rng.choice(DASH_SWAPS[text[i]]))]


def case(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if not word[:1].isalpha():
        return None
    if len(word) > 1 and rng.random() < 0.2:
        new = word.upper() if not word.isupper() else word.lower()
    else:
        new = word[0].swapcase() + word[1:]
    return [(w[0], w[1], new)] if new != word else None


def split_word(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if len(word) < 5 or not _letters(word):
        return None
    cut = rng.randrange(2, len(word) - 1)
    return [(w[0] + cut, w[0] + cut, " ")]


def merged_words(rng: random.Random, text: str, w: WordSpan, nxt: WordSpan | None) -> list[Edit] | None:
    if nxt is None or text[w[1] : nxt[0]] != " ":
        return None
    return [(w[1], nxt[0], "")]


def omission(rng: random.Random, text: str, w: WordSpan, nxt: WordSpan | None) -> list[Edit] | None:
    if nxt is None or text[w[1] : nxt[0]] != " " or not _letters(text[w[0] : w[1]]):
        return None
    return [(w[0], nxt[0], "")]


def addition(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    if w[0] == 0 or text[w[0] - 1] != " ":
        return None
    words = re.findall(r"\b[a-z]{2,}\b", text)
    return [(w[0], w[0], rng.choice(words) + " ")]


def swapped_words(rng: random.Random, text: str, w: WordSpan, nxt: WordSpan | None) -> list[Edit] | None:
    if nxt is None or text[w[1] : nxt[0]] != " ":
        return None
    a, b = text[w[0] : w[1]], text[nxt[0] : nxt[1]]
    if a.lower() == b.lower() or not (_letters(a) and _letters(b)):
        return None
    return [(w[0], nxt[1], f"{b} {a}")]


def typo_beside_addition(rng: random.Random, text: str, w: WordSpan, nxt: WordSpan | None) -> list[Edit] | None:
    slip = keyboard_slip(rng, text, w, nxt) or ocr_confusion(rng, text, w, nxt)
    added = addition(rng, text, w, nxt)
    if not slip or not added:
        return None
    return added + slip


def case_and_mark(rng: random.Random, text: str, w: WordSpan, _next: WordSpan | None) -> list[Edit] | None:
    word = text[w[0] : w[1]]
    if not word[:1].isupper() or w[1] >= len(text) or text[w[1]] not in ".,;:":
        return None
    mark = text[w[1]]
    new_mark = rng.choice([m for m in (".", ",", ";", ":") if m != mark])
    return [(w[0], w[0] + 1, word[0].lower()), (w[1], w[1] + 1, new_mark)]


PLANTERS: dict[str, Callable[[random.Random, str, WordSpan, WordSpan | None], list[Edit] | None]] = {
    name: globals()[name] for name in KINDS
}
WEIGHTS = {name: 1.0 for name in KINDS} | {"ocr_confusion": 2.0, "keyboard_slip": 1.5, "stray_mark": 1.5, "dash": 3.0}
"""How often each kind is drawn.  Dashes are found only in the witnesses (the KJV text has none), hence their weight."""


# ----------------------------------------------------------------------------- assembly


def noisy(source: str, *, seed: int, rate: float = 0.06, crlf: bool = False) -> NoisyText:
    """A noisy copy of ``source`` with about ``rate`` of its words touched.

    The kind of each error is drawn first (by ``WEIGHTS``) and then planted on
    the first word from there on where it applies, so that rare chances (a
    ligature, a dash) are planted as often as common ones.
    """
    rng = random.Random(seed)
    words = [m.span() for m in re.finditer(r"[\w’']+(?:[-–][\w’']+)*", source)]
    edits: list[tuple[int, int, str, str, str]] = []  # a, b, new, kind, cls
    names, weights = list(PLANTERS), [WEIGHTS[n] for n in PLANTERS]
    pending: list[tuple[str, int]] = []  # kinds drawn and not yet planted, with the word they were drawn at
    skip_until = -1
    for i, w in enumerate(words):
        if rng.random() < rate:
            pending.append((rng.choices(names, weights)[0], i))
        pending = [(kind, at) for kind, at in pending if i - at < 400]  # nowhere to plant it: give up
        if i <= skip_until:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        for k, (kind, _) in enumerate(pending):
            done = PLANTERS[kind](rng, source, w, nxt)
            if done and not (edits and min(a for a, _, _ in done) <= edits[-1][1]):
                for (a, b, new), cls in zip(sorted(done), KINDS[kind]):
                    edits.append((a, b, new, kind, cls))
                del pending[k]
                skip_until = i + 2  # keep one untouched word between plants
                break
    return _assemble(source, edits, crlf)


def _assemble(source: str, edits: list[tuple[int, int, str, str, str]], crlf: bool) -> NoisyText:
    out: list[str] = []
    plants: list[Plant] = []
    pos = length = 0
    for a, b, new, kind, cls in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(source[pos:a])
        length += a - pos
        plants.append(Plant(kind, cls, (a, b), (length, length + len(new)), source[a:b], new))
        out.append(new)
        length += len(new)
        pos = b
    out.append(source[pos:])
    text = "".join(out)
    if crlf:  # every offset moves by the line feeds before it
        def moved(offset: int) -> int:
            return offset + text.count("\n", 0, offset)

        plants = [
            Plant(p.kind, p.cls, p.source_span, (moved(p.noisy_span[0]), moved(p.noisy_span[1])), p.source,
                  p.noisy.replace("\n", "\r\n"))
            for p in plants
        ]
        text = text.replace("\n", "\r\n")
    for p in plants:
        assert text[p.noisy_span[0] : p.noisy_span[1]] == p.noisy, (p, text[p.noisy_span[0] : p.noisy_span[1]])
    return NoisyText(source, text, tuple(plants), crlf)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    copy = noisy(source_text(args.seed, 300), seed=args.seed)
    print(copy.text)
    for p in copy.plants:
        print(f"{p.kind:22s} {p.cls:13s} {p.source!r} -> {p.noisy!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
