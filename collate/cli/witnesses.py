"""``collate add``, ``collate verify`` and ``collate list``: the witness store
from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import visible
from .common import EXIT_FAIL, EXIT_OK, reader_options

if TYPE_CHECKING:
    from ..model import Witness


def cmd_add(args: argparse.Namespace) -> int:
    from ..addition import plan_addition, say
    from ..compare import compare_with_store, count_words
    from ..incoming import read_incoming
    from ..model import Completeness, Lost, LostStretch, WitnessMeta
    from ..store import add_witness, stored_witnesses

    args.outcome.text = "nothing stored"

    def stored(witness: Witness) -> None:
        args.outcome.text = f"{witness.siglum} is stored in {args.store}; only the comparison with the stored witnesses was cut short"

    options = reader_options(args)
    incoming = read_incoming(args.file, siglum=args.siglum, options=options)
    others, skipped = stored_witnesses(args.store, exclude=args.siglum)
    stated = (LostStretch(Lost.END, after=args.breaks_off_after),) if args.breaks_off_after and args.fragment else ()
    meta = WitnessMeta(completeness=Completeness.FRAGMENT if args.fragment else Completeness.COMPLETE, lost=stated)
    addition = plan_addition(incoming.witness(meta), others, family=args.family or "")
    witness = add_witness(
        args.file,
        siglum=args.siglum,
        store=args.store,
        title=args.title,
        citation=args.source,
        translation=args.translation,
        fragment=args.fragment,
        breaks_off_after=args.breaks_off_after,
        note=args.note,
        family=addition.meta.family,
        lost=addition.meta.lost if addition.partial else None,
        coverage=addition.meta.coverage,
        replace=args.replace,
        options=options,
        on_commit=stored,
        incoming=incoming,
    )
    words = count_words(witness.text)
    src = witness.meta.source_file
    kept = f" (read as {src.format.label}; the source is kept as {src.name})" if src is not None else ""
    print(visible(f"stored {witness.siglum}: {len(witness.text):,} characters, {words:,} words in {args.store}{kept}"), flush=True)
    for line in say(addition, witness.siglum, args.store / f"{witness.siglum}.toml"):
        print(visible(line), flush=True)
    if not addition.partial:
        ranked, skipped = compare_with_store(witness, args.store)
        if ranked:
            best = ranked[0]
            how = ", estimated from sampled passages" if best.estimated else ""
            print(visible(f"closest witness: {best.siglum} (CER {best.cer:.2%} against it{how})"))
            for c in ranked:
                print(visible(f"  CER against {c.siglum:<12} {c.cer:8.2%}" + ("  (estimated)" if c.estimated else "")))
    for reason in skipped:
        print(visible(f"  not compared with {reason}"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..store import list_sigla, verify_store

    problems = verify_store(args.store)
    for p in problems:
        print(visible(f"{p.path}: {p.problem}"))
    if problems:
        print(visible(f"collate: {len(problems)} problem(s) in {args.store}"), file=sys.stderr)
        return EXIT_FAIL
    print(visible(f"{len(list_sigla(args.store))} witnesses in {args.store}: all match their checksums, "
                  "and every stored source gives its text again"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ..addition import covers
    from ..compare import count_words
    from ..model import Integrity, LossOrigin
    from ..store import load_store

    for w in load_store(args.store, allow_modified=True):  # a list shows a modified witness, marked
        kind = w.meta.completeness.value
        mark = "  [modified since stored: see collate verify]" if w.integrity is Integrity.MODIFIED else ""
        family = w.meta.family or "(no family)"
        print(visible(f"{w.siglum:<12} {kind:<9} {count_words(w.text):>7,} words  {family:<14} {w.meta.title}{mark}"))
        if w.meta.coverage is not None:
            print(visible(f"{'':<12} {covers(w.meta.coverage)}"))
        found = sum(loss.origin is LossOrigin.FOUND for loss in w.meta.lost)
        if found:
            print(visible(f"{'':<12} {found} found lost stretch{'es' if found != 1 else ''} to check (found = true in {w.siglum}.toml)"))
    return EXIT_OK
