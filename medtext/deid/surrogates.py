"""Realistic fake values for PHI, consistent within a document.

A :class:`SurrogateMaker` is made per document from a seed and the document's
id: the same original (case-insensitive) always gets the same surrogate, dates
move by one offset of days (intervals between dates are kept), and no
surrogate ever equals an original PHI string of the document.

Example:
    >>> maker = SurrogateMaker(seed=1, doc_key="note-1", originals=["Kay", "7/23"])
    >>> maker.value("NAME", "Kay") == maker.value("NAME", "KAY").title()
    True
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import re
from datetime import date, timedelta
from functools import lru_cache

from medtext.deid.dates import format_like, month_moved, parse_date
from medtext.pipeline.phi_lexicons import lexicons

# A word of letters of any script and their combining marks (``São``, ``Zürich`` are one word each; a
# surrogate keeps no letter of them), with an inner apostrophe.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:'[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)?")
_FACILITY_TAIL = re.compile(
    r"(?i)(?:\s+(?:hospital|hosp\.?|medical center|med(?:ical)? ctr|memorial|rehab(?:ilitation)?|center|nursing home|clinic|"
    r"health center|healthcare|hospice|infirmary))+$"
)
MIN_SHIFT_DAYS, MAX_SHIFT_DAYS = 30, 730
# A ZIP code, postcode or other code-like place (a unit number): digits, and no run of three letters
# ("62704", "02115-5804", "SW1A 1AA"); its surrogate keeps the layout, not a town's name.
_POSTAL = re.compile(r"(?=[^\d]*\d)(?![\s\S]*[A-Za-z]{3})[A-Za-z0-9][A-Za-z0-9 -]{2,9}")
# A post-office box: it keeps its words and gets a new number.
_PO_BOX = re.compile(r"(?i)(p\.?\s?o\.?\s*box\s*#?\s*)(\d+)")
# A word of a name with a possessive ending in a curly apostrophe (``Smith’s``; the ASCII one is inside ``_WORD``).
_NAME_PART = re.compile(rf"(?P<word>{_WORD.pattern})(?P<pos>[\u2019\u02bc][sS](?![^\W\d_]))?")
_POSSESSIVE = re.compile(r"(?<=[^\W\d_])'[sS]$")
# Words of a NAME span that name no one: titles, credentials, generations.
_KEPT_NAME_WORDS = frozenset("mr mrs ms miss mx dr drs prof rev md rn phd jr sr ii iii iv".split())
# A numeric date inside a longer DATE span ("8/2 - 8/10", "10/29. 10/30", "6/30-7/2"): a year follows only with the
# same separator and when no other number is glued to it ("10/03/10/04" is 10/03 and 10/04).
_DATE_PART = re.compile(r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}(?P<sep>[/.-])\d{1,2}(?:(?P=sep)(?:\d{4}|\d{2})(?![/.-]?\d))?)(?!\d)")
# What ``unread_date`` swaps: numeric dates first, then numbers and words.
_UNREAD_PARTS = re.compile(_DATE_PART.pattern + r"|\d+|[^\W\d_]+\.?")


@lru_cache(maxsize=1)
def _pools() -> tuple[list[str], list[str], list[str]]:
    """Common first names, surnames and towns to draw surrogates from."""
    lex = lexicons()
    first = sorted(w for w, r in lex.first_names.items() if r <= 1000 and len(w) > 2)
    last = sorted(w for w, r in lex.surnames.items() if r <= 5000 and len(w) > 2)
    towns = sorted(w for w, pop in lex.places.items() if 5_000 <= pop < 1_000_000 and w.isalpha())
    return first, last, towns


def match_case(template: str, word: str) -> str:
    """Write ``word`` in the case style of ``template`` (UPPER, lower or Title)."""
    if template.isupper():
        return word.upper()
    if template.islower():
        return word.lower()
    return word[:1].upper() + word[1:].lower()


# Labels whose surrogate is written in the case of each mention (``Mercy Hospital`` / ``MERCY HOSPITAL``).
_RECASED = frozenset({"NAME", "LOCATION", "HOSPITAL", "DATE"})


def recase(template: str, value: str) -> str:
    """``value`` in the case of ``template``, word by word when both have as many words, else as a whole.

    Example:
        >>> recase("MERCY HOSPITAL", "Christiana Hospital"), recase("John smith", "CATHY VALERIO")
        ('CHRISTIANA HOSPITAL', 'Cathy valerio')
    """
    words = _WORD.findall(template)
    spots = list(_WORD.finditer(value))
    if words and len(words) == len(spots):
        parts, last = [], 0
        for word, spot in zip(words, spots):
            parts += [value[last : spot.start()], match_case(word, spot.group())]
            last = spot.end()
        return "".join(parts) + value[last:]
    if template.isupper():
        return value.upper()
    if template.islower():
        return value.lower()
    return value


def _stable_seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()[:8], "big")


class SurrogateMaker:
    """Per-document surrogate generator (see module docstring)."""

    def __init__(self, seed: int = 0, doc_key: object = "", originals: list[str] | tuple[str, ...] = ()) -> None:
        self.rng = random.Random(_stable_seed(seed, doc_key))
        self.forbidden = {o.lower() for o in originals if o}
        self.forbidden_words = {w.lower() for o in originals for w in _WORD.findall(o)}
        self._words: dict[tuple[str, str], str] = {}
        self._values: dict[tuple[str, str], tuple[str, str]] = {}  # (label, lower) -> (first original, surrogate)
        self.shift_days = self._pick_shift([o for o in originals if o])

    # -- dates ------------------------------------------------------------------------------------
    def _pick_shift(self, originals: list[str]) -> int:
        """A non-zero day offset whose shifted dates (also those inside a range, ``8/2 - 8/10``) collide with no
        original PHI string and leave no date as it was (a shift of 366 days keeps ``7/23``)."""
        dates = [o for o in originals if parse_date(o) is not None]
        dates += [m.group() for o in originals if parse_date(o) is None for m in _DATE_PART.finditer(o)]
        for _ in range(50):
            days = self.rng.randint(MIN_SHIFT_DAYS, MAX_SHIFT_DAYS) * self.rng.choice((-1, 1))
            shifted = [(d, self._shift(d, days)) for d in dates]
            if not any(s is not None and (s.lower() in self.forbidden or s == d) for d, s in shifted):
                return days
        return days

    @staticmethod
    def _shift(text: str, days: int) -> str | None:
        parsed = parse_date(text)
        if parsed is None:
            return None
        value, style = parsed
        try:
            if style.kind == "year":
                return format_like(date(value.year + round(days / 365.25), 1, 1), style)
            return format_like(value + timedelta(days=days), style)
        except (OverflowError, ValueError):  # moved past year 1 or 9999 ("12/31/9999", a sentinel date): not shifted
            return None

    def date(self, text: str) -> str | None:
        """The date moved by the document's offset, in the same format; None when not a date."""
        return self._shift(text, self.shift_days)

    def unread_date(self, text: str) -> str:
        """A date in a format we cannot read as a whole: the numeric dates in it (a range ``8/2 - 8/10``) moved by
        the offset like any other date, years and month names too, other digits replaced.

        Example: ``"MARCH"`` -> ``"MAY"``; ``"Easter 2019, day 3"`` -> ``"Easter 2021, day 7"`` (other words kept).
        """
        years, months = round(self.shift_days / 365.25), round(self.shift_days / 30.44)

        def swap(m: re.Match[str]) -> str:
            part = m.group()
            if part[0].isalpha():
                return month_moved(part, months) or part
            if not part.isdigit():  # a numeric date
                shifted = self.date(part)
                return shifted if shifted is not None else re.sub(r"\d+", lambda n: swap(n), part)
            if len(part) == 4 and 1900 <= int(part) <= 2100:
                return str(int(part) + years)
            return "".join(str(self.rng.randint(0, 9)) for _ in part)

        for _ in range(20):
            out = _UNREAD_PARTS.sub(swap, text)
            if out.lower() not in self.forbidden:
                return out
        return out

    # -- names, places, numbers -----------------------------------------------------------------------
    def _word(self, kind: str, original: str) -> str:
        key = (kind, original.lower())
        if key not in self._words:
            first, last, towns = _pools()
            if len(original) == 1:
                letters = [c for c in "ABCDEFGHJKLMNPRSTW" if c.lower() != original.lower()]
                pick = self.rng.choice(letters)
            else:
                pool = towns if kind == "place" else first if kind == "first" else last
                pick = self.rng.choice(pool)
                for _ in range(20):
                    if pick not in self.forbidden_words and pick not in self._words.values():
                        break
                    pick = self.rng.choice(pool)
            self._words[key] = pick
        return match_case(original, self._words[key])

    def _name_word(self, word: str) -> str:
        """One word of a name: a first name for a first name, else a surname (the same word, the same fake)."""
        lex = lexicons()
        lower = word.lower()
        fr, sr = lex.first_rank(lower), lex.surname_rank(lower)
        return self._word("first" if fr and (not sr or fr * 20 < sr) else "last", word)

    def name(self, text: str) -> str:
        """Each word of a name replaced (first names by first names, others by surnames) and each digit; titles and
        credentials (``Mrs.``, ``MD``) and a possessive ``'s`` are kept, so ``SMITH's`` gets the fake of ``Smith``.

        Example: ``"Miss Margaret Gaudreau's"`` -> ``"Miss Lynne Whitmire's"``.
        """
        def swap(m: re.Match[str]) -> str:
            word, possessive = m.group("word"), m.group("pos") or ""
            if possessive == "" and (tail := _POSSESSIVE.search(word)):  # Smith's (the ASCII apostrophe is in the word)
                word, possessive = word[: tail.start()], tail.group()
            if word.lower() in _KEPT_NAME_WORDS:
                return word + possessive
            return self._name_word(word) + possessive

        out = _NAME_PART.sub(swap, text)
        return self.digits(out, letters=False) if any(c.isdigit() for c in out) else out

    def place(self, text: str) -> str:
        """A town for a location; a hospital keeps its facility word (``X HOSPITAL`` -> ``Y HOSPITAL``)."""
        tail = _FACILITY_TAIL.search(text)
        head, suffix = (text[: tail.start()], tail.group()) if tail else (text, "")
        words = _WORD.findall(head)
        if not words:
            return self._word("place", "Place") + suffix
        key = " ".join(w.lower() for w in words)
        town = self._word("place", key.replace(" ", "_"))
        return match_case(words[0], town.replace("_", " ")) + suffix

    def digits(self, text: str, letters: bool = True) -> str:
        """Every digit replaced (and letters in ids, unless ``letters`` is False), layout kept; never an original."""
        def swap(ch: str) -> str:
            if ch.isdigit():
                return str(self.rng.randint(0, 9))
            if letters and ch.isalpha():
                return match_case(ch, self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
            return ch

        for _ in range(20):
            out = "".join(swap(c) for c in text)
            if out.lower() not in self.forbidden:
                return out
        return out

    def postal(self, text: str) -> str | None:
        """A ZIP code or postcode with its digits and letters replaced, a P.O. box with a new number; None when
        ``text`` is neither."""
        if _POSTAL.fullmatch(text):
            return self.digits(text)
        box = _PO_BOX.fullmatch(text)
        return box.group(1) + self.digits(box.group(2)) if box else None

    def ip_address(self, text: str) -> str | None:
        """An address of the documentation ranges (``192.0.2.x``, ``2001:db8::x``) for an IP address; None when
        ``text`` is none."""
        try:
            version = ipaddress.ip_address(text).version
        except ValueError:
            return None
        for _ in range(20):
            host = self.rng.randint(1, 254)
            out = f"192.0.2.{host}" if version == 4 else f"2001:db8::{host:x}"
            if out.lower() not in self.forbidden:
                return out
        return out

    def value(self, label: str, text: str) -> str:
        """The surrogate of one PHI span (same original -> same surrogate within the document)."""
        key = (label, text.lower())
        if key in self._values:
            first, out = self._values[key]
            return out if text == first or label not in _RECASED else recase(text, out)
        if label == "NAME":
            out = self.name(text)
        elif label == "DATE":
            out = self.date(text) or self.unread_date(text)
        elif label in ("LOCATION", "HOSPITAL"):
            out = self.postal(text) or self.place(text)
        elif label == "AGE":
            out = "90"
        elif label == "EMAIL":
            out = self.email(text)
        elif label == "URL":
            out = self.ip_address(text) or "www.example.org"
        elif label == "PLACEHOLDER":
            out = self.placeholder(text)
        else:  # PHONE, ID and anything else with digits
            out = self.digits(text)
        self._values[key] = (text, out)
        return out

    def email(self, text: str) -> str:
        """An address at ``example.org`` whose name words are the fakes of the same words of the document's names
        (``john.smith@x.com`` beside ``John Smith`` -> ``alice.mcgrew@example.org``), never a word of its PHI.

        Example: ``"kay.mills@clinic.example.com"`` -> ``"nola.pinto@example.org"``.
        """
        local = text.split("@", 1)[0]
        words = _WORD.findall(local)
        if not words:
            first, last, _ = _pools()
            return f"{self._word('first', local + '#f').lower()}.{self._word('last', local + '#l').lower()}@example.org"
        fake = _WORD.sub(lambda m: self._name_word(m.group()).lower(), local)
        return self.digits(fake, letters=False) + "@example.org"

    def placeholder(self, text: str) -> str:
        """A fake for a de-identification placeholder, by what its tag says."""
        inner = text.strip("[]*")
        tag = inner.split("[", 1)[0].upper()
        shifted = self.date(inner)
        if shifted:
            return shifted
        if "NAME" in tag:
            first, last, _ = _pools()
            return match_case("Xx", self._word("first", inner + "#f")) + " " + match_case("Xx", self._word("last", inner + "#l"))
        if any(t in tag for t in ("HOSPITAL", "INSTITUTION", "LOCATION", "CITY", "STATE", "ADDRESS")):
            return match_case("Xx", self._word("place", inner)) + (" Hospital" if "HOSP" in tag or "INSTITUTION" in tag else "")
        return "[" + (tag or "PHI") + "]"
