"""TermPairClassifier: estimator contract, numpy path == scikit-learn path, save/load round trip."""

import random

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from medtext.features.term_pair_tfidf import TermPairTfidf
from medtext.features.tfidf import ClinicalTfidf
from medtext.learn.linear import LinearClassifier
from medtext.learn.linear_numpy import NumpyModel
from medtext.learn.models import export_spec
from medtext.learn.persist import load_spec, save_spec
from medtext.learn.term_pair_model import TermPairClassifier

DRUGS = ["zorbitrol", "quexamine", "plavodin", "aspirin", "methotrexate"]
EFFECTS = ["purple toes", "green ears", "hepatitis", "rash", "seizures"]
CUES = ["induced", "caused", "was associated with", "led to"]
NEUTRAL = ["was given for", "was started before", "and", "was compared with"]


def _rows(n=60, seed=0):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        d, e = rng.choice(DRUGS), rng.choice(EFFECTS)
        ade = i % 3 == 0
        text = f"{d.capitalize()} {rng.choice(CUES if ade else NEUTRAL)} {e} in patient {i}."
        rows.append({"text": text, "label": "ade" if ade else "no_ade", "group": f"doc{i // 2}",
                     "drugs": [d] if ade else [], "effects": [e] if ade else []})
    return rows


def _est(pair_head=False):
    return TermPairClassifier(features=ClinicalTfidf(word_ngram_range=(1, 2), char_ngram_range=(2, 4)),
                              pairs=TermPairTfidf(min_df=1, folds=3, weight=0.7),
                              head=LinearClassifier(C=3.0, class_weight="balanced"),
                              pair_head=LinearClassifier(C=1.0, class_weight="balanced") if pair_head else None,
                              mix=0.6, positive="ade")


def _fit(rows, pair_head=False):
    return _est(pair_head).fit([r["text"] for r in rows], [r["label"] for r in rows], drugs=[r["drugs"] for r in rows],
                      effects=[r["effects"] for r in rows], groups=[r["group"] for r in rows])


TEXTS = ["Zorbitrol induced purple toes.", "Plavodin was given for rash.", "", "nothing known here",
         "Quexamine-induced green ears and hepatitis after aspirin."]


def test_contract_params_clone_and_not_fitted():
    est = _est()
    assert clone(est).get_params()["pairs__weight"] == 0.7
    with pytest.raises(NotFittedError):
        est.predict(["x"])
    fitted = _fit(_rows())
    assert fitted is not None and list(fitted.classes_) == ["ade", "no_ade"]
    names = fitted.get_feature_names_out()
    assert len(names) == fitted.transform(["x"]).shape[1] and any(n.startswith("term_pairs__") for n in names)
    assert fitted.pairs_.analyzer_.drugs == tuple(sorted(DRUGS))


def test_learns_the_task_and_labels_must_match_texts():
    est = _fit(_rows())
    assert list(est.predict(["Quexamine caused rash in patient 99.", "Quexamine was compared with rash."])) == ["ade", "no_ade"]
    with pytest.raises(ValueError, match="labels"):
        _est().fit(["a", "b"], ["x"])


@pytest.mark.parametrize("pair_head", [False, True])
def test_numpy_path_equals_sklearn_and_survives_save_load(tmp_path, pair_head):
    est = _fit(_rows(), pair_head)
    spec = export_spec(est, "classify")
    assert [b["name"] for b in spec["blocks"]] == ["word", "char", "term_pairs"]
    assert ("unit_head" in spec) == pair_head
    ref = est.predict_proba(TEXTS)
    assert np.abs(NumpyModel(spec).predict_proba(TEXTS) - ref).max() < 1e-9
    folder = save_spec(spec, tmp_path / "ade", {"name": "ade"})
    _meta, loaded = load_spec(folder)
    model = NumpyModel(loaded)
    assert np.abs(model.predict_proba(TEXTS) - ref).max() < 1e-9
    assert model.predict(TEXTS) == list(est.predict(TEXTS))


def test_pair_head_mixes_the_best_pair_into_texts_with_pairs():
    est = _fit(_rows(), pair_head=True)
    plain = est.head_.predict_proba(est.transform(TEXTS))
    mixed = est.predict_proba(TEXTS)
    has_pairs = [bool(est.pairs_.analyzer_.units(t)) for t in TEXTS]
    assert has_pairs == [True, True, False, False, True]
    assert np.allclose(mixed[2:4], plain[2:4]) and not np.allclose(mixed[[0, 1, 4]], plain[[0, 1, 4]])
    assert np.allclose(mixed.sum(axis=1), 1.0)
    est.mix = 1.0
    assert np.allclose(est.predict_proba(TEXTS), plain)


def test_pair_head_needs_a_positive_label():
    rows = _rows()
    est = _est(pair_head=True).set_params(positive="yes")
    with pytest.raises(ValueError, match="positive"):
        est.fit([r["text"] for r in rows], [r["label"] for r in rows], drugs=[r["drugs"] for r in rows],
                effects=[r["effects"] for r in rows])


def test_corrupt_unit_head_is_refused():
    spec = export_spec(_fit(_rows(), pair_head=True), "classify")
    spec["unit_head"]["positive"] = 2
    with pytest.raises(ValueError, match="positive"):
        NumpyModel(spec)
