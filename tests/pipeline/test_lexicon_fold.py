"""Accented spellings of vocabulary terms find the ASCII entry (the vocabularies write terms in ASCII)."""

from medtext.pipeline.lexicon import Lexicon, ascii_fold


def test_accented_keys_find_their_ascii_entry():
    lex = Lexicon()
    lex.add_key("guillain-barre syndrome", "DISEASE", (("ICD10CM", "G61.0"),), "test")
    found = lex.lookup("Guillain-Barré syndrome")
    assert found is not None and found[0] == "DISEASE" and found[1] == (("ICD10CM", "G61.0"),)
    assert lex.lookup("Guillain-Barré syndrome", label="CHEMICAL") is None
    assert lex.lookup("Guillain-Barrè neuropathy") is None


def test_ascii_fold_only_drops_marks():
    assert ascii_fold("Sjögren") == "Sjogren" and ascii_fold("plain") == "plain"
    assert ascii_fold("Ménière") == "Meniere"
