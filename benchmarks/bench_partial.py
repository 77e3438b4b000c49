#!/usr/bin/env python3
"""Partial-witness benchmark for issue 7: coverage found, lacunae not omissions.

    python3 benchmarks/bench_partial.py [--per-source 40] [--seed 7] [--out benchmarks/results/partial.json]

The test set (`collate.testing.excerpts.excerpt_set`): from each stored witness (web,
frus, corr1957), ``--per-source`` excerpts cut at random word positions, in
turn an opening, a middle, an ending and two or three passages joined by a gap
mark (each of ``<...>``, ``[...]``, ``[…]``, ``...``, ``…``, ``[gap]``,
``[illegible]``, ``[?]`` in turn), errors keyed in inside each passage (about
6 % of words, every kind `collate.testing.synth` plants), half of them ending with a
full stop (the source's own, or one added), some with a leading or trailing
"...".  Each excerpt is declared a fragment, as `collate add --fragment` does.

Quality, each figure for three settings:

- *against its source*: the excerpt aligned with the witness it was cut from
  alone, as `collate check` and `collate add` do;
- *in the store*: aligned with all three stored witnesses in one alignment, as
  `collate align` does (its text is then placed in the spine, web, and its
  coverage of its source read through the columns: for an excerpt of
  corr1957, another translation, through web's wording);
- *in the report*: collated with the store as `collate report` does
  (`collate.synopsis`): its family proposed from its wording, and its coverage
  read in its family's alignment; an excerpt put in a family its source is not
  in counts as not placed.

Figures: omission readings of the excerpt outside its true coverage (base: the
source); lacuna readings inside it; coverage start and end within one word of
the truth (and exactly); CER of `collate.fidelity.check` equal to the CER of
each passage against the exact stretch it came from, to 1e-9.

The peer, measured in the same run: the same excerpts through the aligner
without coverage (whole-witness `align_pair` against the spine, gap marks read
as punctuation, the fragment's end lost: what `collate add --fragment` and
`collate report` did before this work), scored the same way.

Speed: `collate.align.align` with coverage against the peer (the same
alignment, coverage off) on the store, on the store plus one excerpt, and on a
20,000-word text with a 15,000-word fragment of it (its end stated lost);
best and median of ``--repeat`` runs, process CPU time (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.align import align, align_tokens, find_transpositions  # noqa: E402
from collate.testing.excerpts import Excerpt, evaluate, excerpt_set  # noqa: E402
from collate.model import Alignment, Completeness, Lost, LostStretch, VariantClass, Witness, WitnessMeta  # noqa: E402
from collate.store import load_store  # noqa: E402
from collate.testing.synth import base_text, noisy_copy  # noqa: E402
from collate.tokenize import tokenize  # noqa: E402
from collate.variants import find_variants  # noqa: E402

FRAGMENT = WitnessMeta(completeness=Completeness.FRAGMENT)
OLD_FRAGMENT = WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END),))


def without_coverage(witnesses: Sequence[Witness]) -> Alignment:
    """The peer: the aligner as it was, whole witnesses against the spine, no gap marks, a fragment's end lost."""
    tokens = tuple(tokenize(w.text, gap_marks=()) for w in witnesses)
    sigla = [w.siglum for w in witnesses]
    columns = align_tokens(tokens, sigla, fragments=[w.meta.is_fragment for w in witnesses])
    losses = tuple((LostStretch(Lost.END),) if w.meta.is_fragment else () for w in witnesses)
    return Alignment(tuple(witnesses), tokens, columns, find_transpositions(columns, sigla), losses=losses)


def peer_omissions(ex: Excerpt, context: Sequence[Witness]) -> tuple[int, int]:
    """Omissions of the excerpt outside its true coverage, and its lacunae inside, without coverage."""
    from collate.testing.excerpts import _truth_columns  # the same truth as `evaluate`

    wit = Witness("excerpt", ex.text, OLD_FRAGMENT)
    al = without_coverage([*context, wit])
    inside = _truth_columns(al.row(al.sigla.index(ex.source)), ex.passages)
    outside = lacunae = 0
    for loc in find_variants(al, base=ex.source):
        cls = next(r.cls for r in loc.readings if r.siglum == "excerpt")
        within = any(f <= loc.last and loc.first <= l for f, l in inside)
        outside += cls is VariantClass.OMISSION and not within
        lacunae += cls is VariantClass.LACUNA and within
    return outside, lacunae


def quality(excerpts: Sequence[Excerpt], store: dict[str, Witness], setting: str) -> dict[str, Any]:
    rows = []
    for ex in excerpts:
        context = [store[ex.source]] if setting == "against its source" else list(store.values())
        o = evaluate(ex, context, families=setting == "in the report")
        peer_out, peer_lac = peer_omissions(ex, context)
        rows.append((o, peer_out, peer_lac))
    n = len(rows)
    by_shape: dict[str, list[int]] = {}
    for o, _, _ in rows:
        by_shape.setdefault(o.excerpt.shape.value, []).append(o.edges_within_one)
    return {
        "cases": n,
        "omissions_outside_coverage": sum(o.omissions_outside for o, _, _ in rows),
        "cases_with_omissions_outside": sum(o.omissions_outside > 0 for o, _, _ in rows),
        "lacunae_inside_coverage": sum(o.lacunae_inside for o, _, _ in rows),
        "edges_within_one_word": sum(o.edges_within_one for o, _, _ in rows) / n,
        "edges_exact": sum(o.edges_exact for o, _, _ in rows) / n,
        "edges_within_one_by_shape": {k: sum(v) / len(v) for k, v in sorted(by_shape.items())},
        "cer_equal_to_1e-9": sum(abs(o.cer - o.true_cer) <= 1e-9 for o, _, _ in rows) / n,
        "cer_max_difference": max(abs(o.cer - o.true_cer) for o, _, _ in rows),
        "peer_omissions_outside_coverage": sum(p for _, p, _ in rows),
        "peer_cases_with_omissions_outside": sum(p > 0 for _, p, _ in rows),
        "peer_lacunae_inside_coverage": sum(q for _, _, q in rows),
    }


def issue_cases(store: dict[str, Witness]) -> dict[str, Any]:
    """The issue's own examples, with coverage and without (the peer)."""
    web = store["web"].text.split("\n\n")
    quote = (
        "It will be recalled that the decision to open a second front in Europe in 1942 was reached at the time "
        "of Molotov's visit to London, and found expression in the agreed Anglo-Soviet Communique released on "
        "June 12 last. <...> Needless to say, the Soviet High Command, in planning its sumer and autumn "
        "operations, counted on a second front being opened in Europe in 1942."
    )
    cases = {
        "first paragraph of web, ending with '.'": web[1].strip(),
        "first paragraph of web, without its final '.'": web[1].strip().rstrip("."),
        "two passages of the 1957 rendering joined by '<...>' (our own quotation)": quote,
    }
    out: dict[str, Any] = {}
    for name, text in cases.items():
        counts = {}
        for label, al in (
            ("coverage", align([*store.values(), Witness("x", text, FRAGMENT)])),
            ("peer", without_coverage([*store.values(), Witness("x", text, OLD_FRAGMENT)])),
        ):
            c = Counter(
                r.cls.value if r.cls else "agrees"
                for loc in find_variants(al, base="web")
                for r in loc.readings
                if r.siglum == "x"
            )
            counts[label] = {k: c[k] for k in ("omission", "lacuna", "substitution", "addition", "agrees")}
        out[name] = counts
    return out


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return {"best_s": min(times), "median_s": statistics.median(times)}


def speed(store: dict[str, Witness], excerpt: Excerpt, repeat: int) -> dict[str, Any]:
    src = base_text(20000, seed=1)
    cut = src[: int(len(src) * 0.75)]
    cut = cut[: cut.rfind(" ")]
    long = [Witness("a", src), Witness("b", noisy_copy(cut, seed=2, rate=0.05).text, OLD_FRAGMENT)]
    quote = Witness("excerpt", excerpt.text, FRAGMENT)
    cases = {
        "store (web, frus, corr1957)": list(store.values()),
        "store and one excerpt": [*store.values(), quote],
        "20,000 words and a 15,000-word fragment": long,
    }
    out: dict[str, Any] = {}
    for name, ws in cases.items():
        peer_ws = [w if not w.meta.is_fragment else Witness(w.siglum, w.text, OLD_FRAGMENT) for w in ws]
        reps = max(1, repeat // 3) if "20,000" in name else repeat
        mine = timed(lambda: align(ws), reps)
        peer = timed(lambda: without_coverage(peer_ws), reps)
        out[name] = {
            "coverage": mine,
            "peer": peer,
            "ratio_best": mine["best_s"] / peer["best_s"],
            "ratio_median": mine["median_s"] / peer["median_s"],
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--per-source", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "partial.json")
    args = ap.parse_args(argv)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()[0],
            "commit": commit.stdout.strip(),
        },
        "per_source": args.per_source,
        "seed": args.seed,
    }
    store = {w.siglum: w for w in load_store(ROOT / "witnesses")}
    excerpts = excerpt_set(list(store.values()), per_source=args.per_source, seed=args.seed)
    result["test_set"] = {
        "excerpts": len(excerpts),
        "by_shape": dict(Counter(e.shape.value for e in excerpts)),
        "by_mark": dict(Counter(e.mark for e in excerpts if e.mark)),
        "by_stop": dict(Counter(e.stop or "none" for e in excerpts)),
        "words": sum(b - a + 1 for e in excerpts for a, b in e.words),
    }
    result["quality"] = {s: quality(excerpts, store, s) for s in ("against its source", "in the store", "in the report")}
    result["issue_cases"] = issue_cases(store)
    result["speed"] = speed(store, excerpts[3], args.repeat)
    result["machine"]["load_average_at_end"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(report(result))
    return 0


def report(r: dict[str, Any]) -> str:
    lines = [f"{r['test_set']['excerpts']} excerpts ({r['test_set']['words']:,} words), commit {r['machine']['commit']}", ""]
    lines.append("| setting | omissions outside coverage (cases) | peer | edges within one word | exact | CER equal |")
    lines.append("|---|---|---|---|---|---|")
    for name, q in r["quality"].items():
        lines.append(
            f"| {name} | {q['omissions_outside_coverage']} ({q['cases_with_omissions_outside']}) | "
            f"{q['peer_omissions_outside_coverage']} ({q['peer_cases_with_omissions_outside']}) | "
            f"{q['edges_within_one_word']:.1%} | {q['edges_exact']:.1%} | {q['cer_equal_to_1e-9']:.1%} |"
        )
    lines += ["", "| issue case | coverage: omissions / lacunae | peer: omissions / lacunae |", "|---|---|---|"]
    for name, c in r["issue_cases"].items():
        lines.append(f"| {name} | {c['coverage']['omission']} / {c['coverage']['lacuna']} | {c['peer']['omission']} / {c['peer']['lacuna']} |")
    lines += ["", "| speed (CPU s) | coverage best | peer best | ratio best | ratio median |", "|---|---|---|---|---|"]
    for name, s in r["speed"].items():
        lines.append(
            f"| {name} | {s['coverage']['best_s']:.3f} | {s['peer']['best_s']:.3f} | {s['ratio_best']:.2f} | {s['ratio_median']:.2f} |"
        )
    m = r["machine"]
    lines.append(f"\nload average {m['load_average_at_start']:.1f} at start, {m['load_average_at_end']:.1f} at end")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
