"""Finding the documents of a corpus, and pairing transcriptions with their references.

A corpus for ``collate corpus report`` holds one folder per document, each a
witness store (``<siglum>.txt`` and ``<siglum>.toml``); folders may nest
(``vol1/doc001``), and a document is named by its folder's path relative to
the corpus.  For ``collate corpus check`` two folders are paired file by file:
``gt/vol1/p001.txt`` with ``ocr/vol1/p001.<any supported suffix>``, by
relative path and stem.  Both are pure functions of a file listing
(`collate.corpus.sources.list_files`), so they are tested without files.

>>> find_documents(["a/A.txt", "a/A.toml", "a/B.txt", "notes.md", "b/x.txt"]).documents[0]
Document(name='a', texts=('A.txt', 'B.txt'), metas=('A.toml',))
>>> p = pair_files(["p1.txt", "p2.txt"], ["p1.txt", "p3.txt"])
>>> [x.document for x in p.pairs], p.unpaired_references, p.unpaired_witnesses
(['p1'], ('p2.txt',), ('p3.txt',))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from .sources import META_SUFFIX, is_transcription, sidecar, stem

RESERVED = frozenset({"index.html", "corpus.json", "manifest.json"})
"""Names the corpus commands write at the top of the output folder; no document may take one."""


@dataclass(frozen=True, slots=True)
class Document:
    """One document of a corpus to collate: its folder, its transcriptions and their provenance files."""

    name: str
    texts: tuple[str, ...]
    metas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A document that cannot be processed at all, and why (it is listed as failed)."""

    document: str
    error: str


@dataclass(frozen=True, slots=True)
class Documents:
    """What `find_documents` found: documents, problems, and files outside any document."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...] = ()
    ignored: tuple[str, ...] = ()


def _reserved(name: str) -> Problem | None:
    top = name.split("/")[0]
    if top in RESERVED:
        return Problem(name, f"the name {top!r} is taken by the corpus's own {top}; rename the folder")
    return None


def find_documents(files: Iterable[str]) -> Documents:
    """Group a corpus's files (relative paths) into documents, one per folder holding transcriptions.

    Transcriptions at the top of the corpus belong to no document and are
    ignored (and listed as such); so are files of other kinds.
    """
    by_folder: dict[str, list[str]] = defaultdict(list)
    ignored: list[str] = []
    for f in files:
        path = PurePosixPath(f)
        if path.parent == PurePosixPath("."):
            if is_transcription(f):
                ignored.append(f)
            continue
        by_folder[str(path.parent)].append(path.name)
    documents: list[Document] = []
    problems: list[Problem] = []
    for folder in sorted(by_folder):
        names = sorted(by_folder[folder])
        texts = tuple(n for n in names if is_transcription(n))
        if not texts:
            continue
        problem = _reserved(folder)
        if problem is not None:
            problems.append(problem)
            continue
        present = set(names)
        metas = tuple(sidecar(t) for t in texts if sidecar(t) in present)
        documents.append(Document(folder, texts, metas))
    return Documents(tuple(documents), tuple(problems), tuple(ignored))


# ---------------------------------------------------------------- pairing


@dataclass(frozen=True, slots=True)
class Pair:
    """A transcription and its reference, as paths relative to their folders."""

    document: str
    reference: str
    witness: str
    reference_meta: str | None = None
    witness_meta: str | None = None


@dataclass(frozen=True, slots=True)
class Pairing:
    """What `pair_files` made of two folders."""

    pairs: tuple[Pair, ...]
    unpaired_references: tuple[str, ...] = ()
    unpaired_witnesses: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def _by_stem(files: Sequence[str]) -> tuple[dict[str, list[str]], set[str]]:
    stems: dict[str, list[str]] = defaultdict(list)
    for f in files:
        if is_transcription(f):
            stems[stem(f)].append(f)
    return stems, {f for f in files if f.endswith(META_SUFFIX)}


def pair_files(references: Sequence[str], witnesses: Sequence[str]) -> Pairing:
    """Pair two folders' transcriptions (relative paths) by relative path and stem.

    ``vol1/p001.txt`` pairs with ``vol1/p001.txt`` or with ``vol1/p001`` in
    any other format `read_witness` reads (``vol1/p001.alto.xml``,
    ``vol1/p001.hocr``: `collate.corpus.sources.stem`).  Two files of one stem on one side
    (``p001.txt`` and ``p001.xml``) make the document ambiguous: it is listed
    as a problem, not guessed.  Files of other kinds (images, ``.toml``
    provenance) are not transcriptions and are never unpaired.

    >>> p = pair_files(["v/p1.txt", "v/p1.toml", "index.txt"], ["v/p1.txt", "v/p1.png"])
    >>> p.pairs
    (Pair(document='v/p1', reference='v/p1.txt', witness='v/p1.txt', reference_meta='v/p1.toml', witness_meta=None),)
    >>> p.unpaired_references
    ('index.txt',)
    >>> [x.witness for x in pair_files(["v/p1.page.xml", "v/p2.txt"], ["v/p1.alto.xml", "v/p2.hocr"]).pairs]
    ['v/p1.alto.xml', 'v/p2.hocr']
    >>> [(x.document, x.error) for x in pair_files(["p1.txt"], ["p1.txt", "p1.TXT"]).problems]
    [('p1', 'more than one transcription file with this name: p1.TXT, p1.txt')]
    """
    refs, ref_metas = _by_stem(references)
    wits, wit_metas = _by_stem(witnesses)
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for name in sorted(refs.keys() & wits.keys()):
        r, w = sorted(refs[name]), sorted(wits[name])
        if len(r) > 1 or len(w) > 1:
            many = ", ".join(r if len(r) > 1 else w)
            side = "reference" if len(r) > 1 else "transcription"
            problems.append(Problem(name, f"more than one {side} file with this name: {many}"))
            continue
        problem = _reserved(name)
        if problem is not None:
            problems.append(problem)
            continue
        pairs.append(
            Pair(
                name,
                r[0],
                w[0],
                sidecar(r[0]) if sidecar(r[0]) in ref_metas else None,
                sidecar(w[0]) if sidecar(w[0]) in wit_metas else None,
            )
        )
    return Pairing(
        tuple(pairs),
        tuple(sorted(f for stem in refs.keys() - wits.keys() for f in refs[stem])),
        tuple(sorted(f for stem in wits.keys() - refs.keys() for f in wits[stem])),
        tuple(problems),
    )
