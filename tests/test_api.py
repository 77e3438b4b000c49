"""The library's entry points: import collate, collate.collate, collate.check, collate.Store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import collate
from collate.model import Witness, WitnessMeta
from collate.render.tei import witness_texts

STORE = Path(__file__).parent.parent / "witnesses"


def test_importing_collate_loads_nothing_heavy() -> None:
    code = "import collate, sys; print(sorted(m for m in ('jinja2', 'regex', 'rapidfuzz', 'lxml', 'collate.api', 'collate.align') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_collate_two_strings_and_write_every_output(tmp_path: Path) -> None:
    c = collate.collate({"frus": "the Eastern front in 1942.", "web": "the Easter front in 192."}, base="frus")
    assert c.base == "frus" and c.variants.base == "frus"
    assert [loc.base for loc in c.locations] == ["frus", "frus"]
    paths = c.write(tmp_path / "out")
    assert [p.name for p in paths] == ["index.html", "collation.json", "apparatus.xml"]
    data = json.loads((tmp_path / "out" / "collation.json").read_text(encoding="utf-8"))
    assert data["base"]["siglum"] == "frus" and data["variants"][0]["classes"] == {"web": "typo"}
    assert witness_texts((tmp_path / "out" / "apparatus.xml").read_bytes()) == {
        "frus": "the Eastern front in 1942.",
        "web": "the Easter front in 192.",
    }
    assert c.to_csv().splitlines()[0] == "column,frus,web,varies"


def test_witnesses_with_provenance_and_the_store(tmp_path: Path) -> None:
    store = collate.Store(STORE)
    wits = store.witnesses(["web", "frus"])
    c = collate.collate(wits, base="frus", normalize="case", title="Aide-mémoire")
    assert c.alignment.normalization == "case"
    assert "<title>Aide-mémoire</title>" in c.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    frag = Witness("f", "the Eastern", WitnessMeta(title="a fragment"))
    assert collate.collate([frag, Witness("g", "the Eastern front")]).witnesses[0].meta.title == "a fragment"


@pytest.mark.parametrize(
    ("witnesses", "base", "message"),
    [
        ({"a": "x"}, None, "at least two witnesses"),
        ([Witness("a", "x"), Witness("a", "y")], None, "share a siglum: a"),
        ({"a": "x", "b": "y"}, "z", "base 'z' is not one of the witnesses"),
    ],
)
def test_bad_calls_raise_one_clear_error(witnesses: object, base: str | None, message: str) -> None:
    with pytest.raises(collate.CollateError, match=message):
        collate.collate(witnesses, base=base)  # type: ignore[arg-type]


def test_check_strings_and_write_its_reports(tmp_path: Path) -> None:
    result = collate.check("the Easter front, in 192.", "the Eastern front, in 1942.")
    assert [(e.cls.value, e.reference, e.witness) for e in result.errors] == [
        ("typo", "Eastern", "Easter"),
        ("typo", "1942", "192"),
    ]
    assert result.summary().startswith("witness against reference (exact): CER")
    assert json.loads(result.to_json())["errors"][0]["class"] == "typo"
    result.to_html(tmp_path / "check.html")
    assert "Easter" in (tmp_path / "check.html").read_text(encoding="utf-8")


def test_store_add_then_verify(tmp_path: Path) -> None:
    src = tmp_path / "copy.txt"
    src.write_text("the Eastern front\n", encoding="utf-8")
    store = collate.Store(tmp_path / "w")
    assert store.add(src, siglum="copy", title="A copy").meta.title == "A copy"
    assert [w.siglum for w in store.witnesses()] == ["copy"]
    assert store.verify() == ()
    (tmp_path / "w" / "copy.txt").write_text("changed\n", encoding="utf-8")
    assert [p.siglum for p in store.verify()] == ["copy"]


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        collate.nothing_here  # noqa: B018
    assert {"collate", "check", "Store", "Collation", "Check"} <= set(dir(collate))
