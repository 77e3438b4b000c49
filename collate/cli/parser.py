"""The argument parser of the ``collate`` command: one function per command
adds its arguments and names the function that runs it.  Building the parser
imports no command module: a parsed command names its function
(``args.run``, "collation.cmd_align"), which `collate.cli.main` imports
only then, and each command imports the heavy modules it needs when it runs."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..errors import visible
from ..normalize import DESCRIPTIONS, PRESETS
from .common import EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of `collate`."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, visible(f"collate: {message} (see {self.prog} --help)") + "\n")


if TYPE_CHECKING:
    # what `add_subparsers()` returns: where each command adds its parser
    Commands = argparse._SubParsersAction[_Parser]


def threshold(text: str) -> float:
    """A CER or WER threshold: a fraction in [0, 1] ("0.02") or a percentage ("2%"), the same number.

    >>> threshold("2%"), threshold("0.02"), threshold(" 100% ")
    (0.02, 0.02, 1.0)
    >>> threshold("2")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '2' is over 1: give a fraction (0.02) or a percentage (2%)
    >>> threshold("nan")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'nan' is not a finite number: give a fraction (0.02) or a percentage (2%)
    """
    how = "give a fraction (0.02) or a percentage (2%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.removesuffix("%").strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: {how}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number: {how}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative: {how}")
    if percent:
        value /= 100
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text!r} is over {'100%' if percent else '1'}: {how}")
    return float(value)


def gap_mark(text: str) -> str:
    """An editorial mark that stands for a lacuna (``--gap-mark``): not empty, not beginning with a letter or digit.

    >>> gap_mark("[damaged]")
    '[damaged]'
    >>> gap_mark("damaged")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'damaged' begins with a letter or digit: a gap mark must not (it would swallow words)
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("a gap mark cannot be empty")
    if text[0].isalnum():
        raise argparse.ArgumentTypeError(f"{text!r} begins with a letter or digit: a gap mark must not (it would swallow words)")
    return text


GAP_MARKS_HELP = "..., \u2026, <...>, <\u2026>, [...], [\u2026], [. . .], (...), (\u2026), [gap], [lacuna], [illegible], [illeg.], [?]"
"""`collate.tokenize.GAP_MARKS` for the help (the parser imports no tokenizer; a test keeps the two the same)."""


def _gap_marks(p: argparse.ArgumentParser, *, none: bool = False) -> None:
    """``--gap-mark MARK`` (repeatable), and for check ``--no-gap-marks``."""
    p.add_argument("--gap-mark", action="append", type=gap_mark, default=[], metavar="MARK",
                   help="also read MARK as an editorial gap mark, a lacuna of unknown length (repeat for several; "
                   f"recognised always: {GAP_MARKS_HELP})")
    if none:
        p.add_argument("--no-gap-marks", action="store_true",
                       help="read '...', '[...]', '[gap]' and the other gap marks as text, not as lacunae (e.g. OCR output)")


LIMITS_HELP = (
    "Limits: COLLATE_MAX_WITNESS_SIZE (default 256M), COLLATE_MAX_METADATA_SIZE (default 1M) and "
    "COLLATE_MAX_TOML_DEPTH (default 16) in the environment. Exit codes: 0 done, 1 a check failed its "
    "threshold or verify found problems, 2 bad input, 3 internal error, 128+N killed by signal N."
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="collate",
        description="Collate transcriptions of one document token by token: variant reports, "
        "critical apparatus, transcription fidelity.",
        epilog="Witnesses are files, or sigla of witnesses in the store (default ./witnesses). "
        f"Run 'collate COMMAND --help' for each command. {LIMITS_HELP}",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"collate {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (_align, _report, _check, _add, _verify, _list, _corpus):
        add(sub)
    return parser


def _readers(p: argparse.ArgumentParser, what: str) -> None:
    """The options that say how witness files are read (``what`` names them in the help)."""
    from ..readers.model import SourceFormat

    formats = [f.value for f in SourceFormat]
    g = p.add_argument_group("input formats", f"{what} may be plain text, Markdown, TEI P5, PAGE-XML, ALTO or hOCR, "
                             "told apart by their content.")
    g.add_argument("--input-format", choices=formats, metavar="FORMAT",
                   help=f"read {what} as FORMAT ({', '.join(formats)}) whatever their content")
    g.add_argument("--tei-choice", choices=["source", "editorial"], default="source",
                   help="TEI <choice>: source reads abbr/orig/sic, editorial reads expan/reg/corr (default: %(default)s)")
    g.add_argument("--hyphens", choices=["join", "keep"], default="join",
                   help="PAGE, ALTO, hOCR: join a word hyphenated across a line end where the format marks it, "
                   "or keep the hyphen and the line break (default: %(default)s)")


def _common(p: argparse.ArgumentParser, *, normalize: bool = True, modified: bool = False,
            quiet: str = "no progress messages") -> None:
    """The options of every store-reading command: the store, the preset, modified witnesses, -q/-v, --debug."""
    presets = "; ".join(f"{name}: {DESCRIPTIONS[name]}" for name in PRESETS)
    p.add_argument("--witnesses", dest="store", type=Path, default=Path("witnesses"), metavar="DIR",
                   help="the witness store (default: %(default)s)")
    if normalize:
        p.add_argument("--normalize", choices=list(PRESETS), default="exact", metavar="PRESET",
                       help=f"what counts as the same word (default: %(default)s). {presets}")
    if modified:
        p.add_argument("--allow-modified", action="store_true",
                       help="use a witness whose text no longer matches its recorded checksum (refused by default)")
    p.add_argument("-q", "--quiet", action="store_true", help=quiet)
    p.add_argument("-v", "--verbose", action="store_true", help="progress messages even when stderr is not a terminal")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show the traceback of an unexpected error")


def _align(sub: Commands) -> None:
    p = sub.add_parser("align", help="align witnesses and print the alignment table",
                       description="Align witnesses token by token and write the alignment to stdout.")
    p.add_argument("witnesses", nargs="+", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla")
    p.add_argument("--format", choices=["json", "tei", "csv", "tsv", "table"], default="json",
                   help="json: CollateX-compatible table with offsets; tei: TEI parallel segmentation; "
                   "csv/tsv: the alignment table for spreadsheets; table: one line per column (default: %(default)s)")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast",
                   help="fast: our aligner; collatex: CollateX itself, much slower (default: %(default)s)")
    p.add_argument("--base", metavar="SIGLUM[,SIGLUM...]",
                   help="for --format tei: class readings against this witness (where it is lost, the next one given)")
    _common(p, modified=True)
    _gap_marks(p, none=True)
    _readers(p, "witness files")
    p.set_defaults(run="collation.cmd_align")


def _report(sub: Commands) -> None:
    p = sub.add_parser("report", help="write the variant report (HTML, JSON, TEI)",
                       description="Collate witnesses (by default every witness in the store) and write "
                       "index.html, collation.json and apparatus.xml into --out.")
    p.add_argument("witnesses", nargs="*", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla (default: the whole store)")
    p.add_argument("--base", metavar="SIGLUM[,SIGLUM...]",
                   help="class readings against this witness; where its text is lost, against the next one given, "
                   "then the others most like it (default: the best-attested reading at each place)")
    p.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default: %(default)s)")
    p.add_argument("--title", help="the report's title (default: 'Collation of N witnesses: ...')")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast", help="aligner (default: %(default)s)")
    _common(p, modified=True)
    _gap_marks(p, none=True)
    _readers(p, "witness files")
    p.set_defaults(run="collation.cmd_report")


def _check(sub: Commands) -> None:
    p = sub.add_parser("check", help="check a transcription against a reference: CER, WER, classified errors",
                       description="Compare WITNESS with REFERENCE: print a summary (CER, WER, errors by class, the first "
                       "errors with their page, line and column), and write the reports asked for. Exit 0 within the "
                       "thresholds, 1 past them (one line on stderr says which, in the summary's percentages), 2 for "
                       "bad input. With -q only the reports asked for are written: no summary, nothing on stdout "
                       "unless a report goes there (-), only errors and warnings on stderr, and the exit code.")
    p.add_argument("witness", metavar="WITNESS", help="the transcription to check (file or siglum)")
    p.add_argument("--against", required=True, metavar="REFERENCE", help="the reference (file or siglum)")
    p.add_argument("--json", metavar="PATH", help="write the JSON report to PATH ('-' for stdout)")
    p.add_argument("--html", metavar="PATH", help="write the HTML report to PATH ('-' for stdout): both texts side by "
                   "side, the errors marked and linked both ways, the corrections to copy")
    p.add_argument("--corrections", metavar="PATH",
                   help="write the corrections to make, in the witness's reading order, to PATH ('-' for stdout): "
                   "a table with the columns page,line,column,witness,correction,class for a .csv or .tsv path, "
                   "else one line each ('l. 14: Easter \u2192 Eastern', 'p. 2, l. 3: insert \u2018the\u2019 before \u2018Soviet\u2019')")
    p.add_argument("--max-cer", type=threshold, metavar="X",
                   help="fail (exit 1) if the CER exceeds X: a fraction (0.02) or a percentage (2%%)")
    p.add_argument("--max-wer", type=threshold, metavar="X", help="fail (exit 1) if the WER exceeds X (0.1 or 10%%)")
    p.add_argument("--partial", action="store_true",
                   help="treat a side with clearly fewer words as partial: measure only what it covers "
                   "(by default only a declared fragment, stated losses or gap marks make a side partial)")
    _gap_marks(p, none=True)
    p.add_argument("--list-errors", action="store_true",
                   help="list every error, with its page, line and column in the witness (default: the first 10)")
    _common(p, modified=True, quiet="quiet: no summary (only the reports asked for, one-line errors and warnings on "
            "stderr, and the exit code)")
    _readers(p, "WITNESS and REFERENCE files")
    p.set_defaults(run="check.cmd_check")


def _add(sub: Commands) -> None:
    p = sub.add_parser("add", help="add a witness to the store, with its provenance",
                       description="Validate FILE and store it verbatim as SIGLUM with its metadata and checksum, "
                       "its family (proposed from the wording it shares with the stored witnesses, or --family) and, "
                       "for a partial witness, what it covers. "
                       "A TEI, PAGE, ALTO, hOCR or Markdown file is kept verbatim as SIGLUM.source.xml (.hocr, .md) "
                       "beside its reading text, SIGLUM.txt.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--siglum", required=True, help="short name: letters, digits, '-', '_'")
    p.add_argument("--title", default="", help="title of the witness")
    p.add_argument("--source", default="", help="bibliographic citation of where the text comes from")
    p.add_argument("--translation", default="", help="which translation or version it is")
    p.add_argument("--fragment", action="store_true",
                   help="the witness is partial: what it covers is found (and stored, for a human to check), the rest is lacuna")
    p.add_argument("--breaks-off-after", default="", metavar="TEXT", help="for a fragment: the words it breaks off after")
    p.add_argument("--note", default="", help="free-text note")
    p.add_argument("--family", metavar="NAME",
                   help="the translation (or recension) it belongs to; by default the family of the stored witness "
                   "whose wording it shares (82%% or more), else a new family named after its siglum")
    p.add_argument("--replace", action="store_true", help="replace a witness with the same siglum")
    _common(p, normalize=False)
    _readers(p, "FILE")
    p.set_defaults(run="witnesses.cmd_add")


def _verify(sub: Commands) -> None:
    p = sub.add_parser("verify", help="check every stored witness against its checksum",
                       description="Report stored witnesses whose text no longer matches its checksum, or whose "
                       "stored source no longer matches its checksum or no longer gives the stored text (exit 1 if any).")
    _common(p, normalize=False)
    p.set_defaults(run="witnesses.cmd_verify")


def _list(sub: Commands) -> None:
    p = sub.add_parser("list", help="list the stored witnesses",
                       description="List the stored witnesses: siglum, completeness, words, family, title; for a partial "
                       "witness, what it covers and how many found losses await a check.")
    _common(p, normalize=False)
    p.set_defaults(run="witnesses.cmd_list")


def _corpus(sub: Commands) -> None:
    p = sub.add_parser("corpus", help="whole corpora: report on or check many documents, in parallel or on a Dask cluster",
                       description="Run report or check over a whole corpus, document by document, in worker processes "
                       "or on a Dask cluster. Only documents whose files changed since the last run are redone. "
                       "Exit 0 when every document succeeded, 1 when some failed (or a threshold is passed), 2 for bad input.")
    corpus = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND", required=True)
    c = corpus.add_parser("report", help="collate every document of a corpus and write a corpus index",
                          description="CORPUS holds one folder per document, each a witness store (<siglum>.txt and "
                          "<siglum>.toml). Writes DIR/<document>/index.html, collation.json and apparatus.xml, and the "
                          "corpus index DIR/index.html and DIR/corpus.json.")
    c.add_argument("corpus", metavar="CORPUS", help="the corpus folder, or an fsspec URL (s3://bucket/corpus)")
    c.add_argument("--base", metavar="SIGLUM", help="class readings against this witness in the documents that have it")
    c.add_argument("--engine", choices=["fast", "collatex"], default="fast", help="aligner (default: %(default)s)")
    _corpus_options(c)
    c.set_defaults(run="corpus.cmd_corpus_report")
    c = corpus.add_parser("check", help="check every transcription in a folder against its reference",
                          description="Pairs REFERENCE_DIR/a/p1.txt with WITNESS_DIR/a/p1.txt (by relative path and stem), "
                          "writes each check to DIR/<document>/ and a summary with pooled CER/WER to DIR/index.html "
                          "and DIR/corpus.json. Unpaired files are listed.")
    c.add_argument("references", metavar="REFERENCE_DIR", help="the references (ground truth): a folder or an fsspec URL")
    c.add_argument("witnesses", metavar="WITNESS_DIR", help="the transcriptions to check: a folder or an fsspec URL")
    c.add_argument("--max-cer", type=float, metavar="X", help="fail (exit 1) if the pooled CER exceeds X (a fraction)")
    c.add_argument("--max-wer", type=float, metavar="X", help="fail (exit 1) if the pooled WER exceeds X")
    _corpus_options(c)
    c.set_defaults(run="corpus.cmd_corpus_check")


def _corpus_options(p: argparse.ArgumentParser) -> None:
    """What both corpus commands share: where they write, how they run, what they redo."""
    from ..corpus import MAX_BYTES

    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder, or an fsspec URL: DIR/<document>/ for each document, DIR/index.html and "
                   "DIR/corpus.json for the corpus, DIR/manifest.json for the next run")
    p.add_argument("--normalize", choices=list(PRESETS), default="exact", metavar="PRESET",
                   help="what counts as the same word (default: %(default)s)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="documents processed at once, in worker processes (default: one per core; 1: in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs "
                   "'pip install collate[dask]', and workers that reach the corpus at the same path or URL")
    p.add_argument("--force", action="store_true", help="redo every document, even those unchanged since the last run")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                   help="refuse transcription files larger than N bytes (default: %(default)s; 0: no limit)")
    p.add_argument("--log", metavar="PATH", help="append a JSON-lines log of the run to PATH (one line per document)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on the terminal")

