#!/usr/bin/env python3
"""Helpers for reading the OCR pages' differences by hand (see benchmarks/ocr/README.md).

    python3 benchmarks/ocr/gold_tool.py draft PAGE     # the page's differences, numbered, to read
    python3 benchmarks/ocr/gold_tool.py resolve        # reading/*.txt -> gold.jsonl, every span computed

``draft`` lists where the page's OCR text and its witness differ, word by word
(``difflib.SequenceMatcher`` over whitespace-separated words, autojunk off),
with a character-level view of each chunk.  It proposes no class: it only
saves typing.  Deliberately it uses nothing of ``collate``, the tool under
test.

The decisions are kept in ``reading/<page>.txt``, one line per gold error, in
reading order:

``N CLASS [ # note]``
    draft chunk N is one error of that class, located as the draft locates it;
``CLASS<TAB>REF_AT<TAB>WIT_AT[<TAB>#note]``
    an error located by hand (a chunk holding two errors gives two such lines).

Blank lines and lines starting with ``#`` are comments.

A gold line locates its error by context, one per side: ``"ref_at": "As the
⟦result of⟧ an"`` is the text ``result of`` preceded by ``As the`` and followed
by ``an``, where any run of whitespace in the context matches any run of
whitespace in the text (the OCR breaks lines where the reference has spaces).
An empty ``⟦⟧`` is an insertion point.  Lines are in reading order; each
context is searched from where the previous line's was found, so a context
need only be unique from there on (the next search starts where this
context starts).  ``resolve`` fills ``reference_span`` /
``witness_span`` (character offsets, end exclusive) and ``reference`` /
``witness`` (the texts at those spans) and fails on a context that is not
found.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLD = HERE / "gold.jsonl"
OPEN, CLOSE = "\u27e6", "\u27e7"


def texts(page: str) -> tuple[str, str]:
    meta = json.loads((HERE / "pages" / page / "page.json").read_text(encoding="utf-8"))
    ref = (ROOT / "witnesses" / f"{meta['witness']}.txt").read_text(encoding="utf-8")
    ocr = (HERE / "pages" / page / "ocr.txt").read_text(encoding="utf-8")
    return ref, ocr


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", text))


def _context(text: str, words: list[re.Match[str]], i1: int, i2: int) -> str:
    start = words[i1].start() if i1 < len(words) else len(text)
    end = words[i2 - 1].end() if i2 > i1 else start
    before = " ".join(w.group() for w in words[max(0, i1 - 2) : i1])
    after = " ".join(w.group() for w in words[i2 : i2 + 2])
    inner = " ".join(text[start:end].split())
    return f"{before} {OPEN}{inner}{CLOSE} {after}".strip()


def chunks(page: str) -> list[dict[str, str]]:
    ref, ocr = texts(page)
    rw, ow = _words(ref), _words(ocr)
    matcher = difflib.SequenceMatcher(None, [w.group() for w in rw], [w.group() for w in ow], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        r = " ".join(w.group() for w in rw[i1:i2])
        o = " ".join(w.group() for w in ow[j1:j2])
        chars = difflib.SequenceMatcher(None, r, o, autojunk=False)
        detail = " ".join(f"{t[0]}:{r[a:b]!r}->{o[c:d]!r}" for t, a, b, c, d in chars.get_opcodes() if t != "equal")
        out.append({"ref_at": _context(ref, rw, i1, i2), "wit_at": _context(ocr, ow, j1, j2), "draft": detail})
    return out


def draft(page: str) -> None:
    for n, c in enumerate(chunks(page), 1):
        print(f"{n}\t{c['ref_at']}\t{c['wit_at']}\t{c['draft']}")


def read_decisions(path: Path) -> list[dict[str, str]]:
    page = path.stem
    drafted = chunks(page)
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "\t" in raw:
            fields = raw.split("\t")
            note = fields.pop()[1:] if fields[-1].startswith("#") else ""
        else:
            body, _, note = raw.partition(" # ")
            fields = body.split()
        if len(fields) == 2 and fields[0].isdigit():
            c = drafted[int(fields[0]) - 1]
            g = {"page": page, "class": fields[1], "ref_at": c["ref_at"], "wit_at": c["wit_at"]}
        elif len(fields) >= 3:
            g = {"page": page, "class": fields[0], "ref_at": fields[1], "wit_at": fields[2]}
        else:
            raise SystemExit(f"{path}:{n}: cannot read {raw!r}")
        if note.strip():
            g["note"] = note.strip()
        out.append(g)
    return out


def _pattern(context: str) -> re.Pattern[str]:
    if context.count(OPEN) != 1 or context.count(CLOSE) != 1:
        raise ValueError(f"context needs one {OPEN}...{CLOSE}: {context!r}")
    before, rest = context.split(OPEN)
    inner, after = rest.split(CLOSE)

    def loose(s: str) -> str:
        return r"\s+".join(re.escape(part) for part in re.split(r"\s+", s))

    parts = []
    if not inner:  # an insertion point: right after the context before it
        spaced = before.endswith(" ") or after.startswith(" ")
        parts = [loose(before.strip()) if before.strip() else "", "()"]
        if after.strip():
            parts.append((r"\s+" if spaced else "") + loose(after.strip()))
        return re.compile("".join(parts))
    if before.strip():
        parts.append(loose(before.strip()) + (r"\s+" if before.endswith(" ") else ""))
    parts.append("(" + loose(inner) + ")")
    if after.strip():
        parts.append((r"\s+" if after.startswith(" ") else "") + loose(after.strip()))
    return re.compile("".join(parts))


def locate(text: str, context: str, start: int) -> tuple[int, int, int]:
    """The span of the bracketed part, and where its context starts."""
    match = _pattern(context).search(text, start)
    if match is None:
        raise LookupError(f"not found after offset {start}: {context!r}")
    return match.start(1), match.end(1), match.start()


def resolve() -> list[dict[str, Any]]:
    lines = [g for path in sorted((HERE / "reading").glob("*.txt")) for g in read_decisions(path)]
    cursor: dict[str, tuple[int, int]] = {}
    cache: dict[str, tuple[str, str]] = {}
    out = []
    for n, g in enumerate(lines, 1):
        page = g["page"]
        ref, ocr = cache.setdefault(page, texts(page))
        at_r, at_w = cursor.get(page, (0, 0))
        try:
            rs = locate(ref, g["ref_at"], at_r)
            ws = locate(ocr, g["wit_at"], at_w)
        except LookupError as exc:
            raise SystemExit(f"{page} line {n}: {exc}") from None
        if g["class"] == "?":
            raise SystemExit(f"{page} line {n}: no class decided")
        cursor[page] = (rs[2], ws[2])
        rs, ws = rs[:2], ws[:2]
        g = {k: v for k, v in g.items() if k not in ("reference_span", "witness_span", "reference", "witness", "draft")}
        g.update(reference_span=list(rs), witness_span=list(ws), reference=ref[rs[0] : rs[1]], witness=ocr[ws[0] : ws[1]])
        out.append(g)
    return out


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "draft":
        for page in argv[1:]:
            draft(page)
        return 0
    if argv == ["resolve"]:
        gold = resolve()
        order = ["page", "class", "reference", "witness", "reference_span", "witness_span", "ref_at", "wit_at", "note"]
        body = "".join(
            json.dumps({k: g[k] for k in order if k in g} | {k: v for k, v in g.items() if k not in order},
                       ensure_ascii=False) + "\n"
            for g in gold
        )
        GOLD.write_text(body, encoding="utf-8")
        print(f"{len(gold)} gold errors on {len({g['page'] for g in gold})} pages", file=sys.stderr)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
