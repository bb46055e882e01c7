"""The report's bootstrap computes each resample's metrics from label counts; it must give the intervals that
scikit-learn's metrics (classification_metrics) give on the same resamples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtext.learn import bootstrap
from medtext.learn.bootstrap import bootstrap_ci
from medtext.learn.metrics import classification_metrics

LABELS = ["a", "b", "c", "d"]


def reference_ci(gold, pred, kind, labels, n_boot, seed, groups=None):
    """The report's intervals as computed before: classification_metrics on each resample's records."""
    rng = np.random.default_rng(seed)
    members = bootstrap._members(len(gold), groups)
    keys = bootstrap.CLASSIFICATION_KEYS
    samples = {k: [] for k in keys}
    for _ in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        idx = pick if groups is None else np.concatenate([members[j] for j in pick])
        m = classification_metrics([gold[i] for i in idx], [pred[i] for i in idx], labels,
                                   multilabel=kind == "multilabel")
        for k in keys:
            samples[k].append(m[k])
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for k, v in samples.items()}


def assert_same(ci, ref):
    for key, (low, high) in ref.items():
        assert ci[key]["low"] == pytest.approx(low, abs=1e-12), key
        assert ci[key]["high"] == pytest.approx(high, abs=1e-12), key


single = st.lists(st.tuples(st.sampled_from(LABELS[:3]), st.sampled_from(LABELS)), min_size=1, max_size=30)
label_sets = st.lists(st.sampled_from(LABELS), max_size=3, unique=True)
multi = st.lists(st.tuples(label_sets, label_sets), min_size=1, max_size=30)


@settings(max_examples=20, deadline=None)
@given(single, st.integers(0, 5))
def test_single_label_intervals_equal_per_resample_metrics(rows, seed):
    gold, pred = [g for g, _ in rows], [p for _, p in rows]
    ci = bootstrap_ci(gold, pred, "classifier", ["a", "b", "c"], n_boot=25, seed=seed)
    assert_same(ci, reference_ci(gold, pred, "classifier", ["a", "b", "c"], 25, seed))


@settings(max_examples=20, deadline=None)
@given(multi, st.integers(0, 5))
def test_multi_label_intervals_equal_per_resample_metrics(rows, seed):
    gold, pred = [g for g, _ in rows], [p for _, p in rows]
    ci = bootstrap_ci(gold, pred, "multilabel", ["a", "b"], n_boot=25, seed=seed)
    assert_same(ci, reference_ci(gold, pred, "multilabel", ["a", "b"], 25, seed))


@settings(max_examples=15, deadline=None)
@given(single, st.integers(1, 6))
def test_grouped_intervals_equal_per_resample_metrics(rows, n_groups):
    gold, pred = [g for g, _ in rows], [p for _, p in rows]
    groups = sorted(i % n_groups for i in range(len(rows)))
    ci = bootstrap_ci(gold, pred, "sentences", LABELS, n_boot=40, seed=3, groups=groups)
    assert_same(ci, reference_ci(gold, pred, "sentences", LABELS, 40, 3, groups))
    assert ci["accuracy"]["unit"] == "abstract" and ci["accuracy"]["n_units"] == len(set(groups))


def test_more_resamples_than_a_block_and_no_gold_labels():
    gold = [[] for _ in range(7)]
    pred = [["a"], [], [], ["b"], [], [], []]
    ci = bootstrap_ci(gold, pred, "multilabel", ["a", "b"], n_boot=bootstrap.BLOCK + 17, seed=2)
    assert_same(ci, reference_ci(gold, pred, "multilabel", ["a", "b"], bootstrap.BLOCK + 17, 2))
    assert ci["macro_f1"]["n_defined"] == bootstrap.BLOCK + 17
