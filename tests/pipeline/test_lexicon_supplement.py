"""The hand-written lexicon supplement (clinical_supplement.tsv): checked at build time, and the shipped lexicon
was built from the file as it is."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files

import pytest

LEXICONS = files("medtext.resources").joinpath("lexicons")


def test_shipped_lexicon_was_built_from_this_supplement():
    # Edit clinical_supplement.tsv, then rebuild: `python -m scripts.build_lexicons --shared ../shared`.
    meta = json.loads(LEXICONS.joinpath("meta.json").read_text(encoding="utf-8"))
    data = LEXICONS.joinpath("clinical_supplement.tsv").read_bytes()
    assert meta["sources"]["supplement"]["sha256_16"] == hashlib.sha256(data).hexdigest()[:16]


def test_every_supplement_term_is_in_the_shipped_lexicon_with_its_code():
    pytest.importorskip("simple_icd_10_cm")
    from medtext.pipeline.lexicon import shipped_lexicon
    from scripts.build_lexicons import keyer, read_supplement

    key, lexicon = keyer(), shipped_lexicon()
    for term, label, targets, cs in read_supplement():
        k, exact = key(term, as_written=cs)
        found = lexicon.lookup(k, label, loose=False, exact_key=k if exact else None)
        assert found is not None and found[0] == label, term
        if label == "DISEASE":
            assert {"system": "ICD10CM", "code": targets[0].replace(".", "")} in found[1], term
        else:
            assert found[1], term


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("subdural hematoma\tDISEASE\tI62.99\t", "not an ICD-10-CM code"),
        ("subdural hematoma\tDISEASE\tsubdural\t", "not an ICD-10-CM code"),
        ("subdural hematoma\tDISORDER\tI62.00\t", "expected term"),
        ("subdural hematoma\tDISEASE\tI62.00", "expected term"),
        ("Versed\tCHEMICAL\tmidazolam\tupper", "expected term"),
    ],
)
def test_a_bad_row_stops_the_build(tmp_path, row, message):
    pytest.importorskip("simple_icd_10_cm")
    from scripts.build_lexicons import SupplementError, read_supplement

    path = tmp_path / "supplement.tsv"
    path.write_text("# comment\nhernia\tDISEASE\tK46.9\t\n" + row + "\n", encoding="utf-8")
    with pytest.raises(SupplementError, match=message) as info:
        read_supplement(path)
    assert "line 3" in str(info.value)


def test_a_brand_whose_generic_has_no_codes_stops_the_build():
    from scripts.build_lexicons import SupplementError, supplement_codes

    table = {"lidocaine": {"codes": [("DRUGBANK", "DB00281")]}, "levalbuterol": {"codes": []}}
    assert supplement_codes("Xylocaine", "CHEMICAL", ["lidocaine"], table.get) == [("DRUGBANK", "DB00281")]
    for generics in (["levalbuterol"], ["lidocaine", "unknownine"]):
        with pytest.raises(SupplementError, match="has no coded CHEMICAL entry"):
            supplement_codes("Brand", "CHEMICAL", generics, table.get)
