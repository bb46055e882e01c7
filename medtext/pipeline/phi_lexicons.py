"""The word lists of the ``phi`` component (``medtext/resources/phi/*.tsv``), read once.

Each list maps a lower-case entry to a number (a Census rank, a population, a
count); see ``medtext/resources/phi/README.md`` for sources and licences.

Example:
    >>> lex = lexicons()
    >>> lex.first_rank("mary") <= 10, lex.is_place("baltimore")
    (True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from medtext.pipeline.disk_cache import read_cached, source_key, write_cached

# Words that mark a hospital or care facility name next to them.
FACILITY_WORDS = frozenset(
    "hospital hosp hosp. medical center clinic rehab rehabilitation memorial nursing home manor infirmary "
    "healthcare health institute hospice".split()
)


CACHE_FORMAT = "medtext phi word list v1"


def _read_tsv(name: str) -> dict[str, int]:
    """A word list as {word: number}, from the disk cache (:mod:`medtext.pipeline.disk_cache`) when it holds
    this file's parse (0.1 s less start-up for the four lists the ``phi`` component reads)."""
    data = files("medtext.resources").joinpath("phi", name).read_bytes()
    key = source_key(CACHE_FORMAT, name, data, Path(__file__))
    cached = read_cached(f"phi-{Path(name).stem}", key)
    if isinstance(cached, dict):
        return cached
    out: dict[str, int] = {}
    for line in data.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, value = line.partition("\t")
        out[word] = int(value or 0)
    write_cached(f"phi-{Path(name).stem}", key, out)
    return out


@lru_cache(maxsize=1)
def common_counts() -> dict[str, int]:
    """Words written in lower case at least 3 times in MTSamples transcriptions, with that count; read once
    (:func:`lexicons` and the concepts component share it).

    Example:
        >>> "tourniquet" in common_counts(), "kniest" in common_counts()
        (True, False)
    """
    return _read_tsv("common_words.tsv")


@dataclass(frozen=True)
class Lexicons:
    """First names, surnames, US places and common words (all lower case)."""

    first_names: dict[str, int]
    surnames: dict[str, int]
    places: dict[str, int]
    common: dict[str, int]
    not_phi: dict[str, str]

    def first_rank(self, word: str) -> int:
        """Census rank of a first name (0 when absent)."""
        return self.first_names.get(word, 0)

    def surname_rank(self, word: str) -> int:
        """Census rank of a surname (0 when absent)."""
        return self.surnames.get(word, 0)

    def is_place(self, word: str) -> bool:
        return word in self.places

    def never_phi(self, word: str) -> bool:
        """A word that is not PHI on its own (weekdays, languages, US states, kin words)."""
        return self.not_phi.get(word) == "never"

    def common_count(self, word: str) -> int:
        """How often the word was written in lower case in ordinary clinical text."""
        return self.common.get(word, 0)


@lru_cache(maxsize=1)
def drug_words() -> frozenset[str]:
    """One-word drug names (lower case) of the shipped concept lexicon, which the model may take for names.

    Example:
        >>> "motrin" in drug_words(), "marder" in drug_words()
        (True, False)
    """
    return frozenset(_read_tsv("drug_words.tsv"))


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """The shipped lexicons (loaded on first use, shared by every component in the process)."""
    return Lexicons(
        first_names=_read_tsv("first_names.tsv"),
        surnames=_read_tsv("surnames.tsv"),
        places=_read_tsv("us_places.tsv"),
        common=common_counts(),
        not_phi=_read_kinds("not_phi.tsv"),
    )


@dataclass(frozen=True)
class WorldPlaces:
    """Non-US towns (lower-case ASCII name -> population) and country names, from ``world_places.tsv``."""

    towns: dict[str, int]
    countries: frozenset[str]

    def town_population(self, name: str) -> int:
        """Population of the largest non-US town of that name (0 when none)."""
        return self.towns.get(name, 0)


@lru_cache(maxsize=1)
def world_places() -> WorldPlaces:
    """The world place list, read on first use only: the cues after the model ask for it when a note has a
    capitalised word after a place cue (the model's features never read it).

    Example:
        >>> places = world_places()
        >>> places.town_population("lyon") > 100_000, "kenya" in places.countries, "kenya" in places.towns
        (True, True, False)
    """
    data = files("medtext.resources").joinpath("phi", "world_places.tsv").read_bytes()
    key = source_key(CACHE_FORMAT, "world_places.tsv", data, Path(__file__))
    cached = read_cached("phi-world_places", key)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], dict) and isinstance(cached[1], frozenset):
        return WorldPlaces(*cached)
    towns: dict[str, int] = {}
    countries: set[str] = set()
    for line in data.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, population, kind = line.split("\t")
        if kind == "country":
            countries.add(name)
        else:
            towns[name] = int(population)
    write_cached("phi-world_places", key, (towns, frozenset(countries)))
    return WorldPlaces(towns, frozenset(countries))


def _read_kinds(name: str) -> dict[str, str]:
    text = files("medtext.resources").joinpath("phi", name).read_text(encoding="utf-8")
    return {w: k for w, _, k in (line.partition("\t") for line in text.splitlines() if line and not line.startswith("#"))}
