"""Start-up data read from the disk cache: the shipped lexicon and the PHI word lists are the same as parsed from
their files, the pipeline's records do not depend on the cache, and what documents would load is loaded before
workers fork."""

import json
from pathlib import Path

import pytest

from medtext.pipeline import lexicon as lexicon_module
from medtext.pipeline import phi_lexicons
from medtext.pipeline.lexicon import cache_shipped_lexicon, shipped_lexicon

REPO = Path(__file__).resolve().parents[2]
PHI_CACHES = (phi_lexicons.common_counts, phi_lexicons.drug_words, phi_lexicons.lexicons, phi_lexicons.world_places)


def clear_caches():
    shipped_lexicon.cache_clear()
    for cached in PHI_CACHES:
        cached.cache_clear()


@pytest.fixture
def fresh_caches(monkeypatch, tmp_path):
    """An empty cache folder, and the process's loaded copies dropped before and after the test."""
    monkeypatch.setenv("MEDTEXT_CACHE", str(tmp_path))
    clear_caches()
    yield tmp_path
    clear_caches()


def tables(lexicon):
    return lexicon.entries, lexicon.exact, lexicon.low_precision, lexicon.high_precision, lexicon._loose, lexicon._tries


def test_the_shipped_lexicon_restored_from_the_cache_is_the_parsed_one(fresh_caches):
    import spacy.strings  # noqa: F401  (the tries hold spaCy's hashes)

    parsed = shipped_lexicon()
    assert not parsed.restored
    cache_shipped_lexicon()
    assert (fresh_caches / "lexicon.marshal").is_file()
    shipped_lexicon.cache_clear()
    restored = shipped_lexicon()
    assert restored.restored and restored is not parsed
    assert tables(restored) == tables(parsed)
    assert restored.lookup("Breast tumours", "DISEASE") == parsed.lookup("Breast tumours", "DISEASE")
    assert restored.match(["has", "type", "2", "diabetes"]) == parsed.match(["has", "type", "2", "diabetes"])


def test_a_changed_lexicon_file_is_parsed_again(fresh_caches, monkeypatch):
    shipped_lexicon()
    cache_shipped_lexicon()
    monkeypatch.setattr(lexicon_module, "CACHE_FORMAT", "another format")  # stands for any change of the key's parts
    shipped_lexicon.cache_clear()
    assert not shipped_lexicon().restored


def test_cached_tries_are_kept_only_for_the_same_string_hash(fresh_caches):
    lexicon = shipped_lexicon()
    cache_shipped_lexicon()
    state = list(lexicon.snapshot())
    state[1] += 1  # spaCy hashing strings differently
    copy = lexicon_module.Lexicon()
    assert copy.restore(tuple(state))
    assert copy._tries is None and copy.entries == lexicon.entries
    assert copy.tries() == lexicon.tries()  # built again
    assert not lexicon_module.Lexicon().restore(("not", "a", "snapshot"))


def test_the_longest_key_length_comes_from_the_cache(fresh_caches, monkeypatch):
    # The NER's head-code lookup asks the shipped lexicon for its longest key at the first entity: the
    # first-token -> length tables were built from all 110k keys in every run (about 0.07 s).
    parsed = shipped_lexicon()
    cache_shipped_lexicon()
    expected = parsed.longest_key()
    assert expected > 1
    shipped_lexicon.cache_clear()

    def no_note(lengths, key):
        raise AssertionError("the key lengths were noted again")

    with monkeypatch.context() as patch:
        patch.setattr(lexicon_module, "note_key_length", no_note)
        restored = shipped_lexicon()
        assert restored.restored and restored is not parsed
        assert restored.longest_key() == expected
    assert restored._lengths() == parsed._lengths()  # the tables themselves, built when a match needs them
    assert restored.match(["has", "type", "2", "diabetes"]) == parsed.match(["has", "type", "2", "diabetes"])


@pytest.mark.parametrize("damage", [None, -1, 0, "3", True, 2.0])
def test_a_damaged_longest_key_length_is_computed_again(fresh_caches, damage):
    lexicon = shipped_lexicon()
    cache_shipped_lexicon()
    state = list(lexicon.snapshot())
    expected = lexicon.longest_key()
    state[8] = damage
    copy = lexicon_module.Lexicon()
    assert copy.restore(tuple(state))
    assert copy._longest is None and copy.longest_key() == expected


def test_phi_word_lists_from_the_cache_equal_the_parsed_ones(fresh_caches):
    parsed = [phi_lexicons.lexicons(), phi_lexicons.drug_words(), phi_lexicons.world_places()]
    assert {p.name for p in fresh_caches.iterdir()} >= {"phi-surnames.marshal", "phi-drug_words.marshal", "phi-world_places.marshal"}
    for cached in PHI_CACHES:
        cached.cache_clear()
    assert [phi_lexicons.lexicons(), phi_lexicons.drug_words(), phi_lexicons.world_places()] == parsed
    assert phi_lexicons.world_places().town_population("lyon") > 100_000


def annotate(texts, exclude=("ner",)):
    from medtext.batch.job import PipelineSettings
    from medtext.batch.worker import _build_pipeline
    from medtext.pipeline.record import doc_to_record

    nlp = _build_pipeline(PipelineSettings(exclude=exclude))
    return [json.dumps(doc_to_record(doc, str(i)), ensure_ascii=False) for i, doc in enumerate(nlp.pipe(texts))]


def sample_texts():
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora").rglob("*.txt"))][:20]
    return texts + ["Seen by Dr. Kessler in Lyon, France. HISTORY: No fever. Breast tumours. Pt on Lasix 20mg p.o. b.i.d."]


def test_records_do_not_depend_on_the_cache(fresh_caches, monkeypatch):
    from medtext.pipeline.regex_cache import precompiled_regexes

    texts = sample_texts()
    monkeypatch.setenv("MEDTEXT_CACHE", "off")
    clear_caches()
    without = annotate(texts)
    monkeypatch.setenv("MEDTEXT_CACHE", str(fresh_caches))
    for _ in range(2):  # the first build fills the cache, the second reads it
        clear_caches()
        with precompiled_regexes():
            assert annotate(texts) == without
    assert shipped_lexicon().restored


def test_the_world_place_list_is_loaded_before_workers_fork(fresh_caches):
    from medtext.batch.job import PipelineSettings
    from medtext.batch.worker import _build_pipeline

    _build_pipeline(PipelineSettings(exclude=("ner",)))
    assert phi_lexicons.world_places.cache_info().currsize == 1
