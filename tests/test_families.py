"""Families: the metadata field, and the proposal for a new witness."""

from __future__ import annotations

from pathlib import Path

from collate.families import SHARED_WORDING, families, propose_family, shared_wording
from collate.model import Witness
from collate.store import load_store, meta_to_dict, read_witness
try:
    from collate.testing.synth import noisy_copy
except ImportError:  # before issue 12 moved it
    from collate.synth import noisy_copy

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "passages"


def store() -> tuple[Witness, ...]:
    return load_store(ROOT / "witnesses")


def test_the_stored_witnesses_have_their_families() -> None:
    assert families(store()) == {"soviet1957": ["corr1957"], "frus1942": ["frus", "web"]}


def test_the_family_is_read_from_the_toml_and_written_back(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("Eastern front", encoding="utf-8")
    (tmp_path / "w.toml").write_text('family = " frus1942 "\n', encoding="utf-8")
    w = read_witness(tmp_path / "w.txt")
    assert (w.meta.family, w.family) == ("frus1942", "frus1942")
    assert meta_to_dict(w.meta)["family"] == "frus1942"
    (tmp_path / "v.txt").write_text("Eastern front", encoding="utf-8")
    assert read_witness(tmp_path / "v.txt").family == "v" and "family" not in meta_to_dict(read_witness(tmp_path / "v.txt").meta)


def test_each_stored_witness_is_proposed_the_family_it_has() -> None:
    ws = store()
    for w in ws:
        proposal = propose_family(w, [x for x in ws if x.siglum != w.siglum], new_family=w.family)
        assert proposal.family == w.family, proposal.reason
        assert proposal.joins == (w.family == "frus1942")  # corr1957 is alone in its family


def test_a_third_translation_starts_a_family_of_its_own_and_says_why() -> None:
    proposal = propose_family(read_witness(DATA / "rosarkhiv.txt"), store(), new_family="rosarkhiv")
    assert (proposal.family, proposal.joins) == ("rosarkhiv", False)
    assert proposal.closest is not None and proposal.closest.shared < SHARED_WORDING
    assert proposal.reason.startswith("new family rosarkhiv: shares at most ")
    assert "so it is another translation" in proposal.reason
    assert [s.siglum for s in proposal.similarities] == sorted(
        ["web", "frus", "corr1957"], key=lambda s: -next(x.shared for x in proposal.similarities if x.siglum == s)
    )


def test_a_noisy_transcription_of_web_joins_its_family() -> None:
    web = next(w for w in store() if w.siglum == "web")
    copy = Witness("ocr", noisy_copy(web.text, seed=7, rate=0.2).text)
    proposal = propose_family(copy, store())
    assert (proposal.family, proposal.joins) == ("frus1942", True)
    assert proposal.closest is not None and proposal.closest.siglum in ("web", "frus")
    assert proposal.reason.startswith("joins family frus1942: shares ")


def test_the_threshold_separates_the_stored_families() -> None:
    ws = {w.siglum: w for w in store()}
    within = shared_wording(ws["frus"], ws["web"]).shared
    across = max(shared_wording(ws["corr1957"], ws[s]).shared for s in ("web", "frus"))
    assert across < SHARED_WORDING < within


def test_a_first_witness_has_nothing_to_join() -> None:
    proposal = propose_family(Witness("x", "Some text."), [])
    assert (proposal.family, proposal.joins, proposal.closest) == ("x", False, None)
    assert proposal.reason == "new family x: no stored witness to compare it with."


def test_an_excerpt_joins_the_family_it_was_cut_from_wherever_it_was_cut() -> None:
    """Excerpts cut at random from each stored witness (openings, middles, endings,
    passages joined by gap marks; errors keyed in): each joins its source's family.
    Measured by sentences, an excerpt from the middle of one of corr1957's long
    sentences was paired with a short sentence elsewhere and started a family of its
    own (a quarter of these excerpts did); its words now find their place."""
    from collate.model import Completeness, WitnessMeta
    from collate.testing.excerpts import excerpt_set

    ws = {w.siglum: w for w in store()}
    wrong = []
    for ex in excerpt_set(list(ws.values()), per_source=8, seed=7):
        quote = Witness("excerpt", ex.text, WitnessMeta(completeness=Completeness.FRAGMENT))
        proposal = propose_family(quote, list(ws.values()), new_family="excerpt")
        if proposal.family != ws[ex.source].family:
            wrong.append((ex.source, ex.shape.value, proposal.reason))
    assert wrong == []
