"""A DATE span that holds several dates (``8/2 - 8/10``, a range in nursing notes) moves each of them by the
document's offset, like a date on its own: no invented month 91, no interval lost, no real date kept."""

from __future__ import annotations

import re

import pytest

from medtext.deid import apply_spans
from medtext.deid.dates import parse_date

# (span text, the dates in it) -- forms of the PhysioNet notes
RANGES = [("8/2 - 8/10", ["8/2", "8/10"]), ("6/30-7/2", ["6/30", "7/2"]), ("10/29. 10/30", ["10/29", "10/30"]),
          ("10/03/10/04", ["10/03", "10/04"]), ("2019-03-04 to 2019-03-09", ["2019-03-04", "2019-03-09"])]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("span", "dates"), RANGES)
def test_each_date_of_a_range_moves_by_the_document_offset(span, dates, seed):
    lone = dates[0]
    text = f"Seen {lone} | course {span} | end"
    spans = [{"start": 5, "end": 5 + len(lone), "label": "DATE"}]
    start = text.index(span)
    spans.append({"start": start, "end": start + len(span), "label": "DATE"})
    out = apply_spans(text, spans, "surrogate", seed=seed, doc_key="note")
    lone_out, range_out = (p.split(" ", 1)[1] for p in out.split(" | ")[:2])
    parts = re.findall(r"\d{4}-\d+-\d+|\d+[/.-]\d+", range_out)
    assert len(parts) == len(dates), range_out
    assert parts[0] == lone_out  # the same date, the same surrogate, in or out of the range
    moved = [parse_date(p) for p in parts]
    assert all(m is not None for m in moved), range_out  # real dates, not random digits
    before = [parse_date(d)[0] for d in dates]
    gap = ((moved[1][0] - moved[0][0]) - (before[1] - before[0])).days  # the interval is kept; dates without a
    if moved[0][1].year_digits:  # year are read in one leap year, so across February or New Year it may look 1 day
        assert gap == 0, (span, range_out)  # or a year off
    else:
        assert min(abs(gap - k) for k in (-366, -365, 0, 365, 366)) <= 1, (span, range_out)
    assert not set(parts) & set(dates), (span, range_out)
