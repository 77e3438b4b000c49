"""Generated corpora for the corpus commands' tests and benchmarks.

`write_corpus` writes a corpus for ``collate corpus report``: one folder per
document, each holding a text from `collate.testing.prose.base_text` as
witness ``A`` and noisy copies of it (`collate.testing.synth.noisy_copy`):
copyists' errors in some, OCR's in others, and in every fifth document one
copy cut short and declared a fragment (``lost = ["end"]``).  Every seventh
document declares two translations (families) in its witnesses' provenance.
`BROKEN` documents are added on request, one per way a document can be bad.

`write_check_corpus` writes a reference folder and a transcription folder
for ``collate corpus check``: pages in volumes, OCR-like copies, a page
missing on each side, and a page whose transcription is not text.

Everything is deterministic by ``seed``.

>>> import shutil, tempfile
>>> root = Path(tempfile.mkdtemp())
>>> docs = write_corpus(root, documents=3, seed=1, words=(30, 60), broken=True)
>>> docs[:3], sorted(p.name for p in (root / "doc0000").iterdir())[:2]
(['doc0000', 'doc0001', 'doc0002'], ['A.txt', 'B.txt'])
>>> shutil.rmtree(root)
"""

from __future__ import annotations

import random
from pathlib import Path

from .prose import base_text
from .synth import NoiseKind, noisy_copy

OCR_KINDS = frozenset({NoiseKind.OCR, NoiseKind.TYPO, NoiseKind.PUNCTUATION, NoiseKind.SPLIT, NoiseKind.MERGE,
                       NoiseKind.CASE})
"""What an OCR engine gets wrong; the other copies get every kind (a copyist's and an editor's errors too)."""

BROKEN = ("broken-binary", "broken-empty", "broken-encoding", "broken-large", "broken-metadata", "broken-single")
"""The deliberately bad documents: a witness with NUL bytes, an empty one, one
not in UTF-8, one larger than ``large`` bytes, malformed provenance, and a
document with a single witness."""


def _document(rng: random.Random, folder: Path, index: int, words: tuple[int, int], witnesses: tuple[int, int]) -> None:
    text = base_text(rng.randint(*words), seed=rng.randrange(1 << 30))
    sigla = "ABCDEFGH"[: rng.randint(*witnesses)]
    texts = {"A": text}
    for siglum in sigla[1:]:
        kinds = OCR_KINDS if rng.random() < 0.5 else frozenset(NoiseKind)
        texts[siglum] = noisy_copy(text, seed=rng.randrange(1 << 30), rate=rng.uniform(0.02, 0.08), kinds=kinds).text
    meta = {s: "" for s in sigla}
    if index % 5 == 4:
        last = sigla[-1]
        cut = texts[last].split(" ")
        texts[last] = " ".join(cut[: max(3, int(len(cut) * rng.uniform(0.3, 0.7)))]) + "\n"
        meta[last] += 'completeness = "fragment"\nlost = ["end"]\n'
    if index % 7 == 6:
        for i, s in enumerate(sigla):
            meta[s] += f'translation = "{"first" if i % 2 == 0 else "second"}"\n'
    folder.mkdir(parents=True)
    for s in sigla:
        (folder / f"{s}.txt").write_text(texts[s], encoding="utf-8")
        if meta[s]:
            (folder / f"{s}.toml").write_text(meta[s], encoding="utf-8")


def write_corpus(
    root: Path,
    *,
    documents: int,
    seed: int,
    words: tuple[int, int] = (200, 2000),
    witnesses: tuple[int, int] = (3, 6),
    broken: bool = False,
    large: int = 1_100_000,
) -> list[str]:
    """Write ``documents`` documents (``doc0000``...) under ``root``, and the `BROKEN` ones if asked.

    Returns the names of the good documents.
    """
    rng = random.Random(seed)
    names = [f"doc{i:04d}" for i in range(documents)]
    for i, name in enumerate(names):
        _document(rng, root / name, i, words, witnesses)
    if broken:
        _broken(root, large)
    return names


def _broken(root: Path, large: int) -> None:
    good = base_text(60, seed=7)
    for name in BROKEN:
        (root / name).mkdir(parents=True)
        (root / name / "A.txt").write_text(good, encoding="utf-8")
    (root / "broken-binary" / "B.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    (root / "broken-empty" / "B.txt").write_bytes(b"")
    (root / "broken-encoding" / "B.txt").write_bytes(good.encode("utf-8") + "Lodz \u0141\u00f3d\u017a".encode("cp1250"))
    (root / "broken-large" / "B.txt").write_text((good * (large // len(good) + 1))[: large + 1], encoding="utf-8")
    (root / "broken-metadata" / "B.txt").write_text(good, encoding="utf-8")
    (root / "broken-metadata" / "B.toml").write_text('title = "unterminated\n', encoding="utf-8")


def write_check_corpus(
    root: Path, *, pages: int, seed: int, words: tuple[int, int] = (100, 400), broken: bool = True
) -> list[str]:
    """Write ``root/gt`` (references) and ``root/ocr`` (transcriptions) of ``pages`` pages in volumes of ten.

    Also: ``gt/extra/only-reference.txt`` and ``ocr/extra/only-ocr.txt``
    (unpaired), and, if ``broken``, a page whose transcription is binary
    (``vol0/bad``).  Returns the names of the good pages (``vol0/p000``...).
    """
    rng = random.Random(seed)
    names = [f"vol{i // 10}/p{i:03d}" for i in range(pages)]
    for name in names:
        text = base_text(rng.randint(*words), seed=rng.randrange(1 << 30))
        ocr = noisy_copy(text, seed=rng.randrange(1 << 30), rate=rng.uniform(0.01, 0.1), kinds=OCR_KINDS).text
        for side, content in (("gt", text), ("ocr", ocr)):
            (root / side / name).parent.mkdir(parents=True, exist_ok=True)
            (root / side / f"{name}.txt").write_text(content, encoding="utf-8")
    for side, name in (("gt", "only-reference"), ("ocr", "only-ocr")):
        (root / side / "extra").mkdir(parents=True, exist_ok=True)
        (root / side / "extra" / f"{name}.txt").write_text(base_text(20, seed=3), encoding="utf-8")
    if broken:
        (root / "gt" / "vol0" / "bad.txt").write_text(base_text(20, seed=4), encoding="utf-8")
        (root / "ocr" / "vol0" / "bad.txt").write_bytes(b"\x00\x01\x02")
    return names


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes: what two
    runs wrote, to compare byte for byte.

    >>> import shutil, tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = write_check_corpus(root, pages=2, seed=1, broken=False)
    >>> sorted(files_of(root))[:2]
    ['gt/extra/only-reference.txt', 'gt/vol0/p000.txt']
    >>> shutil.rmtree(root)
    """
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
