"""Variant locations and their classes, on made-up and on the real witnesses."""

from dataclasses import dataclass, replace
from itertools import permutations
from pathlib import Path

import pytest

from collate.align import align
from collate.model import Completeness, Location, Lost, LostStretch, VariantClass, Witness, WitnessMeta
from collate.store import load_store
from collate.tokenize import tokenize
from collate.variants import base_order, classify, find_variants

STORE = Path(__file__).parent.parent / "witnesses"
FRAGMENT = WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END),))


def reading(loc: Location, siglum: str) -> tuple[str, VariantClass | None]:
    r = next(r for r in loc.readings if r.siglum == siglum)
    return r.text, r.cls


def find(locations: tuple[Location, ...], siglum: str, text: str) -> Location:
    return next(loc for loc in locations if reading(loc, siglum)[0] == text)


@pytest.fixture(scope="module")
def against_frus() -> tuple[Location, ...]:
    return find_variants(align(load_store(STORE)), base="frus")


@pytest.mark.parametrize(
    ("web", "frus", "cls"),
    [
        ("Easter", "Eastern", VariantClass.TYPO),
        ("192", "1942", VariantClass.TYPO),
        ("Germany", "German", VariantClass.TYPO),
        ("then", "the", VariantClass.TYPO),
        ("calculated", "calculates", VariantClass.TYPO),
        ("communique", "communiqué", VariantClass.ORTHOGRAPHIC),
        ("in as much", "inasmuch", VariantClass.SPACING),
        ("August 12th", "the 12th August", VariantClass.TRANSPOSITION),
        ("June 12th", "12th June", VariantClass.TRANSPOSITION),
        ("command", "Command", VariantClass.CASE),
    ],
)
def test_the_aide_memoire_against_frus(against_frus: tuple[Location, ...], web: str, frus: str, cls: VariantClass) -> None:
    loc = find(against_frus, "web", web)
    assert loc.base == "frus" and loc.base_text == frus
    assert reading(loc, "web")[1] is cls


def test_favourable_is_orthographic(against_frus: tuple[Location, ...]) -> None:
    loc = next(l for l in against_frus if "favorable" in reading(l, "web")[0] and "favourable" in l.base_text)
    assert reading(loc, "web")[1] is VariantClass.ORTHOGRAPHIC


def test_the_text_after_frus_breaks_off_is_a_lacuna_not_additions(against_frus: tuple[Location, ...]) -> None:
    alignment = align(load_store(STORE))
    frus = alignment.sigla.index("frus")
    last_frus_column = max(c for c, col in enumerate(alignment.columns) if col[frus])
    after = [loc for loc in against_frus if loc.first > last_frus_column]
    assert after, "web goes on after frus breaks off"
    for loc in after:
        assert reading(loc, "frus")[1] is VariantClass.LACUNA
        assert reading(loc, "web")[1] is not VariantClass.ADDITION
    # and the lacuna covers every column web has past that point
    covered = {c for loc in after for c in range(loc.first, loc.last + 1)}
    web = alignment.sigla.index("web")
    assert {c for c in range(last_frus_column + 1, len(alignment.columns)) if alignment.columns[c][web]} <= covered


def test_small_words_web_leaves_out_are_omissions(against_frus: tuple[Location, ...]) -> None:
    omitted = [l.base_text for l in against_frus if reading(l, "web")[1] is VariantClass.OMISSION]
    assert {"the", "of", "in"} <= set(omitted)


def test_a_different_translation_is_not_a_forest_of_typos(against_frus: tuple[Location, ...]) -> None:
    classes = [reading(l, "corr1957")[1] for l in against_frus]
    typos = classes.count(VariantClass.TYPO)
    substitutions = classes.count(VariantClass.SUBSTITUTION)
    assert substitutions >= 30
    assert typos <= substitutions / 5


def test_a_fragment_s_missing_end_is_a_lacuna_but_a_missing_word_is_an_omission() -> None:
    full = Witness("full", "one two three four five six")
    frag = Witness("frag", "one three four", FRAGMENT)
    locations = find_variants(align([full, frag]), base="full")
    classes = {loc.base_text: reading(loc, "frag")[1] for loc in locations}
    assert classes == {"two": VariantClass.OMISSION, "five six": VariantClass.LACUNA}


def test_the_same_gap_in_a_complete_witness_is_an_omission() -> None:
    locations = find_variants(align([Witness("full", "one two three four five six"), Witness("short", "one three four")]), base="full")
    assert {reading(l, "short")[1] for l in locations} == {VariantClass.OMISSION}


def test_without_a_base_the_best_attested_reading_is_the_base() -> None:
    ws = [Witness("a", "the Eastern front"), Witness("b", "the Easter front"), Witness("c", "the Eastern front")]
    (loc,) = find_variants(align(ws))
    assert loc.base_text == "Eastern"
    assert [reading(loc, s)[1] for s in "abc"] == [None, VariantClass.TYPO, None]


def test_a_lacunose_base_falls_back_to_the_best_attested_reading() -> None:
    ws = [Witness("base", "one two", FRAGMENT), Witness("x", "one two three four"), Witness("y", "one two three four")]
    (loc,) = find_variants(align(ws), base="base")
    assert loc.base in {"x", "y"} and loc.base_text == "three four"
    assert reading(loc, "base")[1] is VariantClass.LACUNA


def test_unknown_base_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of the witnesses"):
        find_variants(align([Witness("a", "x"), Witness("b", "y")]), base="z")


def _signature(locations: tuple[Location, ...]) -> set[tuple[str, tuple[tuple[str, str, str | None], ...]]]:
    return {
        (loc.base_text, tuple(sorted((r.siglum, r.text, r.cls.value if r.cls else None) for r in loc.readings)))
        for loc in locations
    }


def test_witness_order_does_not_change_the_variants() -> None:
    witnesses = load_store(STORE)
    expected = _signature(find_variants(align(witnesses)))
    for order in permutations(witnesses):
        assert _signature(find_variants(align(list(order)))) == expected


@pytest.mark.parametrize(
    ("base", "other", "cls"),
    [
        (",", "", VariantClass.PUNCTUATION),
        ("", ";", VariantClass.PUNCTUATION),
        ("London,", "London;", VariantClass.PUNCTUATION),
        ("organisation", "organization", VariantClass.ORTHOGRAPHIC),
        ("German-Fascist", "German Fascist", VariantClass.SPACING),
        ("forces", "troops", VariantClass.SUBSTITUTION),
        ("the best forces", "the forces best", VariantClass.TRANSPOSITION),
        ("inflicts", "inflict", VariantClass.TYPO),
    ],
)
def test_classify(base: str, other: str, cls: VariantClass) -> None:
    assert classify(tokenize(base), tokenize(other))[0] is cls


def test_a_typo_carries_its_similarity() -> None:
    cls, sim = classify(tokenize("1942"), tokenize("192"))
    assert cls is VariantClass.TYPO and sim == pytest.approx(6 / 7, abs=1e-4)


@pytest.mark.parametrize(("base", "slip"), [("from", "form"), ("that", "thta"), ("good", "g0od"), ("road", "roacl")])
def test_a_short_word_one_or_two_keystrokes_off_is_a_typo(base: str, slip: str) -> None:
    assert classify(tokenize(base), tokenize(slip))[0] is VariantClass.TYPO


# --- a base that stays in one text ---------------------------------------------


def test_where_the_base_is_lost_the_witness_most_like_it_serves() -> None:
    ws = load_store(STORE)
    al = align(ws)
    assert base_order(al, "frus") == ("frus", "web", "corr1957")
    after = [loc for loc in find_variants(al, base="frus") if reading(loc, "frus")[1] is VariantClass.LACUNA]
    assert after and {loc.base for loc in after} == {"web"}  # web, the same translation; never corr1957


def test_an_ordered_base_list_is_followed() -> None:
    ws = [replace(w, meta=replace(w.meta, family="")) for w in load_store(STORE)]  # no families: the order alone
    al = align(ws)
    after = [loc for loc in find_variants(al, base=("frus", "corr1957")) if reading(loc, "frus")[1] is VariantClass.LACUNA]
    # corr1957 where it survives; where it is lost too, the next witness: web
    assert {loc.base for loc in after if reading(loc, "corr1957")[1] is not VariantClass.LACUNA} == {"corr1957"}
    assert {loc.base for loc in after if reading(loc, "corr1957")[1] is VariantClass.LACUNA} == {"web"}
    # with the stored families, the base's own translation (web) serves before another one (corr1957)
    with_families = align(load_store(STORE))
    lost = [loc for loc in find_variants(with_families, base=("frus", "corr1957")) if reading(loc, "frus")[1] is VariantClass.LACUNA]
    assert lost and {loc.base for loc in lost} == {"web"}
    with pytest.raises(ValueError, match="at most once"):
        find_variants(al, base=("frus", "frus"))
    with pytest.raises(ValueError, match="not one of the witnesses"):
        find_variants(al, base=("frus", "z"))


@dataclass(frozen=True, slots=True)
class FamilyMeta(WitnessMeta):
    """Metadata with a family, as the translation-families work will add it."""

    family: str = ""


def test_the_base_is_never_filled_from_another_family_while_its_own_survives() -> None:
    ws = [
        Witness("b", "one two", FamilyMeta(completeness=Completeness.FRAGMENT, family="British")),
        Witness("s", "one two three four", FamilyMeta(family="Soviet")),
        Witness("t", "one two three four", FamilyMeta(family="British")),
        Witness("u", "one two three four", FamilyMeta(family="Soviet")),
    ]
    for order in (("b", "s", "t"), ("b", "u", "s", "t")):
        (loc,) = find_variants(align(ws), base=order)
        assert loc.base == "t"
