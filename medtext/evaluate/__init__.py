"""Evaluation of the pipeline against gold files (NER, negation, de-id, abbreviations)."""
