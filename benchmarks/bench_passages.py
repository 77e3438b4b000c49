#!/usr/bin/env python3
"""Passage alignment and families (issue 8): quality against hand-made golds, the
family threshold, and the cost next to token alignment.

    python3 benchmarks/bench_passages.py [--quick] [--out benchmarks/results/passages.json]

1. **Gold alignments.**  Links right over links in the gold (recall) and over links
   predicted (precision), a link being a pair of sentences of two witnesses that one
   passage holds: the stored aide-mémoire witnesses (tests/data/passages/
   aide_memoire_gold.json), the third translation written for the tests
   (rosarkhiv_gold.json), and the KJV/WEB Bible sample checked by hand
   (bible/gold.json: Ruth 1 and Jonah, used in development; Ruth 2, held out).
2. **Whole books** (needs Debian's libsword-utils, sword-text-kjv, sword-text-web):
   Ruth, Jonah and Genesis 1-50, KJV as the base, WEB aligned with it.  No hand gold
   at this size: reported is the share of predicted links whose two sentences share
   a verse (a link outside every common verse is certainly wrong), and the time.
3. **Family threshold.**  Shared wording (`collate.families.shared_wording`) of pairs
   of one family (web/frus; the KJV of the SWORD module against the ``bible-kjv``
   package's edition, whole books and first chapters; noisy copies of web at 5-30 %
   of words changed) and of different families (web or frus against corr1957 and the
   rosarkhiv rendering; KJV against WEB, whole books and first chapters).
4. **Cost.**  Five witnesses of 2,000 and of 20,000 words (`base_text` and four noisy
   copies at rate 0.05, as bench_align.py's scaling case): CPU time in this process
   of `collate.align.align` and of `collate.passages.align_passages`, interleaved,
   the fastest of the repeats; the passages' share of the token alignment and how
   much they change its 2,000-to-20,000 scaling ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bible_corpus  # noqa: E402
from collate.align import align  # noqa: E402
from collate.families import SHARED_WORDING, shared_wording  # noqa: E402
from collate.model import Witness  # noqa: E402
from collate.passages import PassageAlignment, align_passages, sentence_links  # noqa: E402
from collate.store import read_witness  # noqa: E402
try:
    from collate.testing.synth import base_text, noisy_copy
except ImportError:  # before issue 12 moved it
    from collate.synth import base_text, noisy_copy  # noqa: E402

DATA = ROOT / "tests" / "data" / "passages"


def links(pa: PassageAlignment, a: str, b: str) -> set[tuple[str, str]]:
    ia, ib = pa.sentences[a], pa.sentences[b]
    return {(ia[i].id, ib[j].id) for i, j in sentence_links(pa, a, b)}


def score(pairs: list[tuple[set[tuple[str, str]], set[tuple[str, str]]]]) -> dict[str, Any]:
    """Recall and precision over (gold, predicted) link sets, summed."""
    right = sum(len(g & p) for g, p in pairs)
    gold = sum(len(g) for g, _ in pairs)
    predicted = sum(len(p) for _, p in pairs)
    return {"links_in_gold": gold, "links_predicted": predicted, "right": right,
            "recall": round(right / gold, 4), "precision": round(right / predicted, 4) if predicted else 0.0}


def bead_links(gold: dict[str, Any], a: str, b: str) -> set[tuple[str, str]]:
    return {(x, y) for bead in gold["beads"] for x in bead.get(a, []) for y in bead.get(b, [])}


def gold_alignments() -> dict[str, Any]:
    out: dict[str, Any] = {}
    gold = json.loads((DATA / "aide_memoire_gold.json").read_text(encoding="utf-8"))
    sigla = ["web", "frus", "corr1957"]
    pa = align_passages([read_witness(ROOT / "witnesses" / f"{s}.txt") for s in sigla], base="web")
    pairs = {f"{a}-{b}": (bead_links(gold, a, b), links(pa, a, b)) for a, b in combinations(sigla, 2)}
    out["aide_memoire"] = {"all": score(list(pairs.values())), **{k: score([v]) for k, v in pairs.items()}}
    gold = json.loads((DATA / "rosarkhiv_gold.json").read_text(encoding="utf-8"))
    pa = align_passages([read_witness(ROOT / "witnesses" / "web.txt"), read_witness(DATA / "rosarkhiv.txt")], base="web")
    out["rosarkhiv"] = score([(bead_links(gold, "web", "rosarkhiv"), links(pa, "web", "rosarkhiv"))])
    gold = json.loads((DATA / "bible" / "gold.json").read_text(encoding="utf-8"))
    per_doc = {}
    for name, entry in gold.items():
        ws = [Witness(s, (DATA / "bible" / f"{name}.{s}.txt").read_text(encoding="utf-8")) for s in ("kjv", "web")]
        per_doc[name] = ({tuple(x) for x in entry["links"]}, links(align_passages(ws, base="kjv"), "kjv", "web"))
    dev = [v for k, v in per_doc.items() if k not in bible_corpus.HELD_OUT]
    held = [v for k, v in per_doc.items() if k in bible_corpus.HELD_OUT]
    out["bible_sample"] = {
        "all": score(list(per_doc.values())), "development": score(dev), "held_out": score(held),
        **{k: score([v]) for k, v in per_doc.items()},
    }
    return out


def whole_books(quick: bool) -> dict[str, Any]:
    if not shutil.which("mod2imp"):
        return {"skipped": "mod2imp not found (apt-get install libsword-utils sword-text-kjv sword-text-web)"}
    verses = {sig: bible_corpus.sword_verses(module) for sig, module in bible_corpus.MODULES.items()}
    out: dict[str, Any] = {}
    for book in ("Ruth", "Jonah") if quick else ("Ruth", "Jonah", "Genesis"):
        docs = {sig: bible_corpus.document(verses[sig], book) for sig in verses}
        ws = [Witness(sig, docs[sig].text) for sig in ("kjv", "web")]
        start = time.process_time()
        pa = align_passages(ws, base="kjv")
        seconds = time.process_time() - start
        predicted = links(pa, "kjv", "web")
        consistent = predicted & bible_corpus.verse_links(docs["kjv"], docs["web"])
        out[book] = {
            "words": {s: len(docs[s].text.split()) for s in docs},
            "sentences": {s: len(pa.sentences[s]) for s in docs},
            "links_predicted": len(predicted),
            "share_within_a_common_verse": round(len(consistent) / len(predicted), 4),
            "cpu_seconds": round(seconds, 3),
        }
    return out


def family_threshold(quick: bool) -> dict[str, Any]:
    def w(siglum: str, text: str) -> Witness:
        return Witness(siglum, text)

    stored = {s: read_witness(ROOT / "witnesses" / f"{s}.txt") for s in ("web", "frus", "corr1957")}
    ros = read_witness(DATA / "rosarkhiv.txt")
    within: dict[str, float] = {"web/frus": shared_wording(stored["frus"], stored["web"]).shared}
    across: dict[str, float] = {
        f"{x}/{y}": shared_wording(stored[y] if y != "rosarkhiv" else ros, stored[x]).shared
        for x, y in (("web", "corr1957"), ("frus", "corr1957"), ("web", "rosarkhiv"), ("frus", "rosarkhiv"), ("corr1957", "rosarkhiv"))
    }
    for rate in (0.05, 0.1, 0.2, 0.3):
        copy = w("copy", noisy_copy(stored["web"].text, seed=11, rate=rate).text)
        within[f"web/noisy copy {rate:.0%}"] = shared_wording(copy, stored["web"]).shared
    if shutil.which("mod2imp") and shutil.which("bible"):
        verses = {sig: bible_corpus.sword_verses(module) for sig, module in bible_corpus.MODULES.items()}
        for book, chapters in (("Ruth", (1, 2, 3, 4)), ("Jonah", (1, 2, 3, 4))) + (() if quick else (("Genesis", tuple(range(1, 12))),)):
            kjv = w("kjv", bible_corpus.document(verses["kjv"], book, chapters).text)
            web = w("webbible", bible_corpus.document(verses["web"], book, chapters).text)
            other_kjv = w("bible-kjv", bible_corpus.bible_kjv(book, chapters))
            first = chapters[:1]
            within[f"KJV SWORD/bible-kjv {book}"] = shared_wording(other_kjv, kjv).shared
            within[f"KJV SWORD/bible-kjv {book} {first[0]} (fragment)"] = shared_wording(w("f", bible_corpus.bible_kjv(book, first)), kjv).shared
            across[f"KJV/WEB {book} {chapters[0]}-{chapters[-1]}"] = shared_wording(web, kjv).shared
            across[f"KJV/WEB {book} {first[0]} (fragment)"] = shared_wording(w("f", bible_corpus.document(verses["web"], book, first).text), kjv).shared
    lowest, highest = min(within.values()), max(across.values())
    return {
        "within_family": {k: round(v, 4) for k, v in within.items()},
        "across_families": {k: round(v, 4) for k, v in across.items()},
        "lowest_within": round(lowest, 4), "highest_across": round(highest, 4),
        "midpoint": round((lowest + highest) / 2, 4), "threshold_in_code": SHARED_WORDING,
        "separates": highest < SHARED_WORDING <= lowest,
    }


def fastest(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def cost(quick: bool) -> dict[str, Any]:
    repeat = 3 if quick else 7
    out: dict[str, Any] = {"repeats": repeat, "clock": "time.process_time (CPU of this process), fastest repeat"}
    for words in (2000, 20000):
        src = base_text(words, seed=1)
        ws = [Witness("w0", src)] + [Witness(f"w{k}", noisy_copy(src, seed=k, rate=0.05).text) for k in range(1, 5)]
        align(ws), align_passages(ws, base="w0")  # warm caches and imports
        tokens, passages = [], []
        for _ in range(repeat):  # interleaved, so both see the same load
            tokens.append(fastest(lambda: align(ws)))
            passages.append(fastest(lambda: align_passages(ws, base="w0")))
        out[str(words)] = {
            "align_seconds": round(min(tokens), 4), "passages_seconds": round(min(passages), 4),
            "passages_over_align": round(min(passages) / min(tokens), 4),
            "all_align": [round(t, 4) for t in tokens], "all_passages": [round(t, 4) for t in passages],
        }
    small, large = out["2000"], out["20000"]
    ratio_alone = large["align_seconds"] / small["align_seconds"]
    ratio_with = (large["align_seconds"] + large["passages_seconds"]) / (small["align_seconds"] + small["passages_seconds"])
    out["scaling_ratio_align"] = round(ratio_alone, 3)
    out["scaling_ratio_align_and_passages"] = round(ratio_with, 3)
    out["scaling_ratio_change"] = round(ratio_with / ratio_alone - 1, 4)
    out["time_added_at_20000"] = large["passages_over_align"]
    return out


def markdown(r: dict[str, Any]) -> str:
    g = r["gold"]
    rows = [
        "| gold | links | recall | precision |", "|---|---|---|---|",
        *(f"| {name} | {s['links_in_gold']} | {s['recall']:.3f} | {s['precision']:.3f} |" for name, s in (
            ("aide-mémoire, web/frus/corr1957", g["aide_memoire"]["all"]), ("rosarkhiv (written for the tests) / web", g["rosarkhiv"]),
            ("KJV/WEB Ruth 1 + Jonah (development)", g["bible_sample"]["development"]),
            ("KJV/WEB Ruth 2 (held out)", g["bible_sample"]["held_out"]),
        )),
    ]
    c = r["cost"]
    rows += ["", f"Cost, 5 witnesses, CPU seconds (fastest of {c['repeats']}):", "",
             "| words | align | passages | passages/align |", "|---|---|---|---|",
             *(f"| {w} | {c[w]['align_seconds']:.3f} | {c[w]['passages_seconds']:.3f} | {c[w]['passages_over_align']:.1%} |" for w in ("2000", "20000")),
             "", f"Scaling ratio 20,000/2,000: align {c['scaling_ratio_align']}, align + passages "
             f"{c['scaling_ratio_align_and_passages']} ({c['scaling_ratio_change']:+.1%}).",
             "", f"Family threshold: lowest within a family {r['families']['lowest_within']}, highest across "
             f"{r['families']['highest_across']}, midpoint {r['families']['midpoint']} (code: {r['families']['threshold_in_code']})."]
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats; Ruth and Jonah only")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "passages.json")
    args = ap.parse_args()
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average_at_start": os.getloadavg()},
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "quick": args.quick,
    }
    result["gold"] = gold_alignments()
    result["whole_books"] = whole_books(args.quick)
    result["families"] = family_threshold(args.quick)
    result["cost"] = cost(args.quick)
    result["load_average_at_end"] = os.getloadavg()
    result["markdown"] = markdown(result)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(result["markdown"])
    print(json.dumps(result["whole_books"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
