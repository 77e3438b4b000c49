"""Issue 11 and 15 measurements for bench_align.py: book length, many witnesses, one huge line.

Every case is timed as whole ``collate align`` commands (spawn to exit, peak
RSS of that process), for this tree and for the previous release side by
side, on the same files.  Ratios are what to read; the machine is shared.

- **Book length.**  Five witnesses (a base and four noisy copies, rate 0.05)
  of about 20,000 and 100,000 words of four kinds of text: the KJV (Debian's
  bible-kjv), the Jargon File 4.4.7 (jargon-text), generated prose
  (``base_text``), and a repetitive text in which no word occurs once
  (``corpora.repetitive``).  F1 of each command's JSON against the answer
  key.  Ratios: 100k / 20k per kind; repetitive / KJV at 100k.
- **Many witnesses.**  10, 20, 30 and 50 witnesses of 2,000 words (a base
  and noisy copies): the growth exponent between 10 and 50.
- **One huge line.**  A witness of 10 MB with no line break (KJV and Jargon
  File text, whitespace collapsed) beside the aide-mémoire's ``web``; with
  ``--huge-copy``, also that line against a noisy copy of itself.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import corpora
from corpora import correspondence_f1, noisy_set

from collate.model import Witness

Runner = Callable[..., Any]

KINDS: dict[str, Callable[[int], str]] = {
    "kjv": corpora.kjv,
    "jargon": corpora.jargon,
    "generated": lambda n: corpora.base_text(n, seed=1),
    "repetitive": lambda n: corpora.repetitive(n, seed=1),
}


def _case(work: Path, name: str, texts: dict[str, str], write_set: Runner) -> list[str]:
    return [str(p) for p in write_set(work / name, texts)]


def _score(out: Path, texts: dict[str, str], truth: dict[str, Any], alignment_from_json: Runner) -> float | None:
    if not out.exists() or not out.stat().st_size:
        return None
    al = alignment_from_json(out, [Witness(s, t) for s, t in texts.items()])
    return round(correspondence_f1(al, truth).f1, 5)


def _timed(run: Runner, cmd: list[str], out: Path, work: Path, repeats: int, timeout: float) -> dict[str, Any]:
    runs = [run(cmd, stdout=out, cwd=work, timeout=timeout) for _ in range(repeats)]
    ok = [r for r in runs if r.returncode == 0]
    return {
        "seconds": [round(r.seconds, 3) for r in runs],
        "median_seconds": round(statistics.median(r.seconds for r in ok), 3) if ok else None,
        "fastest_seconds": round(min(r.seconds for r in ok), 3) if ok else None,
        "max_rss_mib": round(max(r.max_rss_mib for r in runs), 1),
        "timed_out": any(r.timed_out for r in runs),
        "returncode": runs[-1].returncode,
    }


def book_length(
    work: Path, commands: dict[str, list[str]], *, sizes: Sequence[int], repeats: int, timeout: float, run: Runner, write_set: Runner,
    alignment_from_json: Runner, kinds: Sequence[str] = tuple(KINDS),
) -> tuple[dict[str, Any], list[str]]:
    """Five witnesses per kind and size, each command timed ``repeats`` times (the previous release once)."""
    res: dict[str, Any] = {}
    for kind in kinds:
        for size in sizes:
            texts, truth, _ = noisy_set(KINDS[kind](size), copies=4, seed=1)
            files = _case(work, f"book_{kind}_{size}", texts, write_set)
            entry: dict[str, Any] = {"words_per_witness": {s: len(t.split()) for s, t in texts.items()}}
            for name, cmd in commands.items():
                out = work / f"book_{kind}_{size}_{name}.json"
                entry[name] = _timed(run, [*cmd, "align", *files, "-q"], out, work, repeats if name == "this" else 1, timeout)
                entry[name]["f1"] = _score(out, texts, truth, alignment_from_json) if entry[name]["returncode"] == 0 else None
                out.unlink(missing_ok=True)
            res[f"{kind}/{size}"] = entry
    lines = [
        "## Book length: five witnesses (a base and four noisy copies), whole `collate align` commands",
        "",
        "| text | words per witness | this: median s | peak RSS MiB | F1 | previous release: s | peak RSS MiB | F1 | previous / this |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, e in res.items():
        t, p = e["this"], e.get("previous", {})
        speed = _ratio(p.get("median_seconds"), t["median_seconds"]) if p else "-"
        lines.append(
            f"| {key.split('/')[0]} | {int(key.split('/')[1]):,} | {t['median_seconds']} | {t['max_rss_mib']:.0f} | {t['f1']} | "
            f"{_or_timeout(p)} | {p.get('max_rss_mib', '-')} | {p.get('f1', '-')} | {speed} |"
        )
    ratios: dict[str, Any] = {}
    big, small = max(sizes), min(sizes)
    for kind in kinds:
        for name in commands:
            a, b = res[f"{kind}/{big}"][name]["median_seconds"], res[f"{kind}/{small}"][name]["median_seconds"]
            ratios[f"{kind} {big}/{small} ({name})"] = round(a / b, 2) if a and b else None
    if "repetitive" in kinds and "kjv" in kinds:
        for name in commands:
            a, b = res[f"repetitive/{big}"][name]["median_seconds"], res[f"kjv/{big}"][name]["median_seconds"]
            ratios[f"repetitive/kjv at {big} ({name})"] = round(a / b, 2) if a and b else None
    res["ratios"] = ratios
    res["targets"] = {"ratio_100k_over_20k": 5, "repetitive_over_real": 1.5, "f1": 0.99, "max_rss_mib": 500}
    lines += ["", "Ratios (medians): " + "; ".join(f"{k} {v}" for k, v in ratios.items()), ""]
    return res, lines


def many_witnesses(
    work: Path, commands: dict[str, list[str]], *, counts: Sequence[int], words: int, timeout: float, run: Runner, write_set: Runner,
    alignment_from_json: Runner,
) -> tuple[dict[str, Any], list[str]]:
    """``count`` witnesses of ``words`` words: time, RSS, F1; exponent of growth between the extremes."""
    res: dict[str, Any] = {}
    source = corpora.base_text(words, seed=7)
    for count in counts:
        texts, truth, _ = noisy_set(source, copies=count - 1, seed=7)
        files = _case(work, f"many_{count}", texts, write_set)
        entry: dict[str, Any] = {}
        for name, cmd in commands.items():
            out = work / f"many_{count}_{name}.json"
            entry[name] = _timed(run, [*cmd, "align", *files, "-q"], out, work, 1, timeout)
            entry[name]["f1"] = _score(out, texts, truth, alignment_from_json) if entry[name]["returncode"] == 0 else None
            out.unlink(missing_ok=True)
        res[str(count)] = entry
    lo, hi = str(min(counts)), str(max(counts))
    exponents = {}
    for name in commands:
        a, b = res[lo][name]["median_seconds"], res[hi][name]["median_seconds"]
        exponents[name] = round(math.log(b / a) / math.log(int(hi) / int(lo)), 2) if a and b else None
    res["growth_exponent"] = exponents
    res["target_seconds_50_witnesses"] = 10
    lines = [
        f"## Many witnesses of {words:,} words (a base and noisy copies), whole `collate align` commands",
        "",
        "| witnesses | this: s | peak RSS MiB | F1 | previous release: s | peak RSS MiB | F1 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count in counts:
        t, p = res[str(count)]["this"], res[str(count)].get("previous", {})
        lines.append(f"| {count} | {t['median_seconds']} | {t['max_rss_mib']:.0f} | {t['f1']} | {_or_timeout(p)} | {p.get('max_rss_mib', '-')} | {p.get('f1', '-')} |")
    lines += ["", f"Growth exponent of time between {lo} and {hi} witnesses: " + ", ".join(f"{k} {v}" for k, v in exponents.items()), ""]
    return res, lines


def huge_line(
    work: Path, commands: dict[str, list[str]], web: str, *, megabytes: float, timeout: float, run: Runner, write_set: Runner,
    with_copy: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """A witness of ``megabytes`` MB on one line, against web.txt and against a noisy copy of itself."""
    words = corpora.kjv(10**7).split() + corpora.jargon(10**7).split()
    line: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        for w in words:
            line.append(w)
            size += len(w) + 1
            if size >= megabytes * 1e6:
                break
    big = " ".join(line)
    res: dict[str, Any] = {"characters": len(big), "newlines": big.count("\n"), "words": len(line)}
    cases = {"line+web": {"line": big, "web": web}}
    if with_copy:
        cases["line+noisy copy"] = {"line": big, "copy": corpora.noisy_copy(big, seed=3, rate=0.02).text}
    for label, texts in cases.items():
        files = _case(work, "huge_" + label.replace("+", "_").replace(" ", "_"), texts, write_set)
        entry = {}
        for name, cmd in commands.items():
            entry[name] = _timed(run, [*cmd, "align", *files, "-q"], work / "huge.json", work, 1, timeout)
        res[label] = entry
        (work / "huge.json").unlink(missing_ok=True)
    lines = [
        f"## One line of {len(big) / 1e6:.1f} MB ({len(line):,} words, no line break), whole `collate align` commands",
        "",
        "| witnesses | this: s | peak RSS MiB | previous release: s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in cases:
        t, p = res[label]["this"], res[label].get("previous", {})
        lines.append(f"| {label} | {t['median_seconds']} | {t['max_rss_mib']:.0f} | {_or_timeout(p)} | {p.get('max_rss_mib', '-')} |")
    lines.append("")
    return res, lines


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}" if a and b else "-"


def _or_timeout(p: dict[str, Any]) -> str:
    if not p:
        return "-"
    if p.get("timed_out"):
        return f"> {max(p['seconds']):.0f} (killed)"
    return str(p.get("median_seconds"))
