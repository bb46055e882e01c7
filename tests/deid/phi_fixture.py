"""A small synthetic de-identification fixture, written for these tests (no real patient).

Each template has one PHI slot per ``{kind}``; VALUES are the made-up PHI strings
that may fill each slot. A note is a sequence of filled templates; its gold PHI
are the strings put in the slots.
"""

from __future__ import annotations

import re

TEMPLATES = (
    "Pt seen by Dr. {surname} this morning, plan unchanged.",
    "DR. {surname_upper} AWARE OF LABS.",
    "{first} {surname}, RN",
    "Daughter {first} called at {phone} for an update.",
    "Pt was admitted on {date} with chest pain.",
    "Contact: {email}",
    "MRN: {mrn}",
    "SSN {ssn} on file.",
    "She is a {age} year old woman.",
    "Records at [**{placeholder_date}**] and **NAME[{placeholder_name}].",
    "Pager # {pager} for questions.",
)

VALUES = {
    "surname": ("Brannigan", "Pellowski", "Castellano", "Okonkwo", "Whitcombe", "Lindqvist"),
    "surname_upper": ("KLEIN", "FABENS", "ZELINSKAS", "GIAMBRONE", "VANTERPOOL"),
    "first": ("Marguerite", "Genevieve", "Henrietta", "Marisol", "Ottilie"),
    "phone": ("410-555-0199", "(617) 555-0142", "301-680-6286"),
    "date": ("7/23", "8/28", "11/15/97", "2101-10-3"),
    "email": ("jane.roe@example.org", "kay.mills@clinic.example.com"),
    "mrn": ("00123456", "7654321"),
    "ssn": ("123-45-6789", "987-65-4321"),
    "age": ("91", "97", "103"),
    "placeholder_date": ("2101-10-3", "2099-1-15"),
    "placeholder_name": ("AAA, BBB", "CCC"),
    "pager": ("54321", "12345"),
}


def fill(template: str, choice: dict[str, str]) -> tuple[str, list[str]]:
    """The filled template and the PHI strings it contains (placeholders count as one PHI each)."""
    text = template.format(**choice)
    gold = []
    for kind, value in choice.items():
        if "{" + kind + "}" not in template:
            continue
        if kind == "placeholder_date":
            gold.append(f"[**{value}**]")
        elif kind == "placeholder_name":
            gold.append(f"**NAME[{value}]")
        else:
            gold.append(value)
    return text, gold


def leaked(value: str, out: str) -> bool:
    """The PHI value appears whole: not as part of a longer number or word (a shifted date ``2103-5-20``
    does not leak the age ``103``, nor a surrogate SSN ``468-97-7879`` the age ``97``; ``MRN00123456``
    leaks ``00123456`` and ``a 97-year-old`` the age ``97``)."""
    before = r"(?<!\d)(?<!\d[-/.])" if value[0].isdigit() else r"(?<![A-Za-z])" if value[0].isalpha() else ""
    after = r"(?!\d)(?![-/.]\d)" if value[-1].isdigit() else r"(?![A-Za-z])" if value[-1].isalpha() else ""
    return re.search(before + re.escape(value) + after, out) is not None
