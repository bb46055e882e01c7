"""nlp.evaluate scores the entities and sentences of medtext's components (they defined no ``score``: a
pipeline of spacy.blank("en") + medtext components gave no ents_* or sents_* figures)."""

from __future__ import annotations

import spacy
from spacy.training import Example


def test_evaluate_gives_entity_and_sentence_scores():
    nlp = spacy.blank("en")
    nlp.add_pipe("medtext_sentences", name="sentences")
    nlp.add_pipe("medtext_concepts", name="concepts")
    text = "The patient has asthma. She takes aspirin daily."
    predicted = nlp(text)
    reference = nlp.make_doc(text)
    gold_ents = [(e.start_char, e.end_char, e.label_) for e in predicted.ents]
    assert gold_ents, "the example needs entities"
    example = Example.from_dict(reference, {"entities": gold_ents,
                                            "sent_starts": [1 if t.is_sent_start else 0 for t in predicted]})
    scores = nlp.evaluate([example])
    assert scores["ents_f"] == 1.0 and scores["sents_f"] == 1.0
    assert set(scores["ents_per_type"]) == {label for _, _, label in gold_ents}


def test_a_missed_entity_lowers_recall():
    nlp = spacy.blank("en")
    nlp.add_pipe("medtext_concepts", name="concepts")
    text = "The patient has asthma and zorblax disease."
    reference = nlp.make_doc(text)
    found = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    start = text.index("zorblax")
    example = Example.from_dict(reference, {"entities": found + [(start, start + len("zorblax disease"), "DISEASE")]})
    scores = nlp.evaluate([example])
    assert scores["ents_p"] == 1.0 and scores["ents_r"] < 1.0
