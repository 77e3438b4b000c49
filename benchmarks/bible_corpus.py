"""Two public-domain English Bible translations as a sentence-alignment corpus.

The texts come from Debian packages, read with their own tools:

- the King James Version, ``sword-text-kjv`` (SWORD module engKJV2006eb), and the
  World English Bible, ``sword-text-web`` (engWEB2015eb), exported verse by verse
  with ``mod2imp`` from ``libsword-utils``;
- the KJV again, another edition, from ``bible-kjv`` (``/usr/bin/bible``): a second
  copy of one translation, for the family threshold.

    apt-get install libsword-utils sword-text-kjv sword-text-web bible-kjv

A document is a book or a chapter: chapters become paragraphs (a blank line
between), verses are joined by a space, footnotes and OSIS markup are dropped
(their words, and only theirs), and each verse's character span is kept.  The
verse numbers give the gold: a KJV sentence and a WEB sentence correspond when
they share a verse.  That is too coarse where both translations have two or more
sentences inside one verse (KJV "K1 K2", WEB "W1 W2" links K1 to W2 as well);
those links were read by hand and the wrong ones are listed in `HAND_REMOVED`.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.sentences import sentences  # noqa: E402

MODULES = {"kjv": "engKJV2006eb", "web": "engWEB2015eb"}

DOCUMENTS = {"ruth1": ("Ruth", (1,)), "jonah": ("Jonah", (1, 2, 3, 4)), "ruth2": ("Ruth", (2,))}
"""The hand-checked sample: Ruth 1 and the whole of Jonah, used while developing the
aligner, and Ruth 2, checked by hand afterwards (`HELD_OUT`; see
tests/data/passages/SOURCES.md for what changed after its first measurement)."""

HELD_OUT = ("ruth2",)

HAND_REMOVED: dict[str, list[tuple[str, str]]] = {
    # (KJV sentence, WEB sentence) pairs that share a verse but do not correspond:
    # both translations have two or more sentences in the verse, read and paired by hand.
    "ruth1": [
        ("p1.1", "p1.2"), ("p1.2", "p1.1"),                     # 1:1
        ("p1.3", "p1.5"), ("p1.4", "p1.3"), ("p1.4", "p1.4"),   # 1:2
        ("p1.11", "p1.17"), ("p1.12", "p1.16"),                 # 1:9
        ("p1.15", "p1.23"), ("p1.16", "p1.22"),                 # 1:12
        ("p1.21", "p1.35"), ("p1.22", "p1.34"),                 # 1:19
    ],
    "jonah": [
        ("p1.4", "p1.7"), ("p1.5", "p1.5"), ("p1.5", "p1.6"),   # 1:5
        ("p1.7", "p1.13"), ("p1.8", "p1.11"), ("p1.8", "p1.12"),  # 1:7
        ("p1.11", "p1.21"), ("p1.12", "p1.20"),                 # 1:10
        ("p2.8", "p2.20"), ("p2.9", "p2.18"), ("p2.9", "p2.19"),  # 2:9
        ("p3.2", "p3.3"), ("p3.3", "p3.2"),                     # 3:3
        ("p4.2", "p4.3"), ("p4.3", "p4.2"),                     # 4:2
        ("p4.7", "p4.8"), ("p4.8", "p4.7"),                     # 4:6
        ("p4.11", "p4.13"), ("p4.12", "p4.12"),                 # 4:9
    ],
    "ruth2": [
        ("p1.2", "p1.3"), ("p1.3", "p1.2"),                     # 2:2
        ("p1.5", "p1.6"), ("p1.6", "p1.5"),                     # 2:4
        ("p1.9", "p1.12"), ("p1.10", "p1.11"),                  # 2:8
        ("p1.15", "p1.21"), ("p1.15", "p1.22"), ("p1.16", "p1.20"),  # 2:14
        ("p1.20", "p1.32"), ("p1.21", "p1.29"), ("p1.21", "p1.30"), ("p1.21", "p1.31"),  # 2:19
        ("p1.22", "p1.34"), ("p1.23", "p1.33"),                 # 2:20
    ],
}

_NOTE = re.compile(r"<note\b[^>]*>.*?</note>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Document:
    """One translation of one document: its text and each verse's span in it."""

    text: str
    verses: tuple[tuple[str, int, int], ...]


def sword_verses(module: str) -> dict[str, str]:
    """Every verse of a SWORD module as plain text, by reference ("Ruth 1:1")."""
    raw = subprocess.run(["mod2imp", module], capture_output=True, text=True, check=True).stdout
    verses: dict[str, str] = {}
    key = None
    for line in raw.splitlines():
        if line.startswith("$$$"):
            key = line[3:]
            verses[key] = ""
        elif key is not None:
            verses[key] += line
    return {k: _plain(v) for k, v in verses.items()}


def _plain(fragment: str) -> str:
    """OSIS markup and footnotes out; a footnote between two words leaves a space."""
    text = _NOTE.sub("\x00", fragment)
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"(?<=\w)\x00(?=\w)", " ", text).replace("\x00", "")
    return " ".join(text.split())


def document(verses: dict[str, str], book: str, chapters: tuple[int, ...] | None = None) -> Document:
    """The chapters of ``book`` (all but its introduction, chapter 0, by default)."""
    text = ""
    spans: list[tuple[str, int, int]] = []
    refs = [(ref, int(ref.rsplit(" ", 1)[1].split(":")[0])) for ref in verses if ref.rsplit(" ", 1)[0] == book]
    for chapter in sorted({c for _, c in refs}):
        if chapter == 0 or (chapters and chapter not in chapters):
            continue
        text += "\n\n" if text else ""
        first = True
        for ref, c in refs:
            if c != chapter or not verses[ref]:
                continue
            text += "" if first else " "
            first = False
            spans.append((ref, len(text), len(text) + len(verses[ref])))
            text += verses[ref]
    return Document(text + "\n", tuple(spans))


def bible_kjv(book: str, chapters: tuple[int, ...]) -> str:
    """The same chapters from the ``bible-kjv`` package's edition of the KJV."""
    out = []
    for chapter in chapters:
        lines = subprocess.run(["bible", "-f", f"{book} {chapter}:1-200"], capture_output=True, text=True, check=True).stdout
        out.append(" ".join(re.sub(r"^\S+\s*\d+:\d+\s", "", line) for line in lines.splitlines() if line.strip()))
    return "\n\n".join(out) + "\n"


def verse_links(a: Document, b: Document) -> set[tuple[str, str]]:
    """Pairs (sentence of a, sentence of b), by id, that share a verse."""
    sa, sb = sentences(a.text), sentences(b.text)

    def by_verse(doc: Document, segs: tuple) -> dict[str, list[str]]:  # type: ignore[type-arg]
        out: dict[str, list[str]] = {}
        for s in segs:
            for ref, start, end in doc.verses:
                if s.start < end and start < s.end:
                    out.setdefault(ref, []).append(s.id)
        return out

    va, vb = by_verse(a, sa), by_verse(b, sb)
    return {(x, y) for ref in va for x in va[ref] for y in vb.get(ref, [])}


def gold(name: str, a: Document, b: Document) -> list[tuple[str, str]]:
    """The hand-checked links of a sample document: verse links less `HAND_REMOVED`."""
    links = verse_links(a, b)
    removed = set(HAND_REMOVED[name])
    missing = removed - links
    if missing:
        raise ValueError(f"{name}: hand corrections that are not verse links: {sorted(missing)}")
    return sorted(links - removed, key=lambda p: (_key(p[0]), _key(p[1])))


def _key(sentence_id: str) -> tuple[int, int]:
    p, s = sentence_id[1:].split(".")
    return int(p), int(s)


def write_test_data(folder: Path) -> None:
    """The sample documents and their gold, as kept in tests/data/passages/bible/."""
    verses = {sig: sword_verses(module) for sig, module in MODULES.items()}
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {}
    for name, (book, chapters) in DOCUMENTS.items():
        docs = {sig: document(verses[sig], book, chapters) for sig in MODULES}
        for sig, doc in docs.items():
            (folder / f"{name}.{sig}.txt").write_text(doc.text, encoding="utf-8")
        links = gold(name, docs["kjv"], docs["web"])
        out[name] = {
            "book": book,
            "chapters": list(chapters),
            "verses": {sig: [list(v) for v in doc.verses] for sig, doc in docs.items()},
            "sentences": {sig: [[s.id, s.start, s.end] for s in sentences(doc.text)] for sig, doc in docs.items()},
            "links": [list(p) for p in links],
            "hand_removed": [list(p) for p in HAND_REMOVED[name]],
        }
    (folder / "gold.json").write_text(compact_json(out), encoding="utf-8")


def compact_json(value: object) -> str:
    """Indented JSON with each innermost list on one line (a sentence, a verse, a link)."""
    text = json.dumps(value, indent=1, ensure_ascii=False)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text) + "\n"


if __name__ == "__main__":
    write_test_data(ROOT / "tests" / "data" / "passages" / "bible")
