"""Abbreviation detection benchmark on the Ab3P MED1250 half (``python -m benchmarks.abbreviations.run``)."""
