"""The lexicons of the ``concepts`` component: the user's terms, the shipped lexicon, and looking keys up.

:class:`ConceptLexicons` is a base class of :class:`~medtext.pipeline.concepts.ConceptMatcher`; it
expects ``self.user`` (the user's :class:`~medtext.pipeline.lexicon.Lexicon`), ``self.user_terms``,
``self.use_shipped_lexicon``, ``self.tokenizer`` and ``self.name``.

Example:
    >>> import spacy
    >>> from medtext.pipeline.concepts import ConceptMatcher
    >>> concepts = ConceptMatcher(spacy.blank("en"), use_shipped_lexicon=False)
    >>> concepts.add_terms([{"term": "stent thrombosis", "label": "DISEASE", "codes": []}])
    >>> concepts.lookup("stent thrombosis")
    ('DISEASE', (), 'user')
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from medtext.errors import Errors, RuleError
from medtext.pipeline.lexicon import (
    Code,
    Lexicon,
    cache_shipped_lexicon,
    check_entry,
    is_word,
    make_key,
    read_user_lexicon,
    shipped_lexicon,
)
from medtext.pipeline.rule_files import describe, rule_list


class ConceptLexicons:
    """The user's and the shipped lexicon of the ``concepts`` component: adding terms, looking keys up."""

    @property
    def shipped(self) -> Lexicon | None:
        return shipped_lexicon() if self.use_shipped_lexicon else None

    def load_lexicons(self) -> None:
        """Load now what the first documents would: the shipped lexicon, its token tries and loose index
        (batch jobs call this before forking workers, so that they share one copy)."""
        self.user.tries()
        self.user.loose_index()
        if self.use_shipped_lexicon:
            cache_shipped_lexicon()

    def _key(self, term: str) -> str:
        if self.tokenizer is None:
            from spacy.vocab import Vocab

            from medtext.pipeline.tokenizer import MedtextTokenizer

            self.tokenizer = MedtextTokenizer(Vocab())
        return make_key(t.text for t in self.tokenizer(term))

    def add_terms(self, terms: Iterable[dict[str, Any]]) -> None:
        """Add user terms ``{"term", "label", "codes": [{"system", "code"}]}``; they add entities.

        Example:
            >>> concepts.add_terms([{"term": "CKD", "label": "DISEASE", "codes": [{"system": "ICD10CM", "code": "N18.9"}]}])  # doctest: +SKIP
        """
        entries = []  # all checked before any is added: a RuleError leaves the lexicon as it was
        for number, term in enumerate(rule_list(terms, f"{self.name}.add_terms", "terms"), start=1):
            if not isinstance(term, dict):
                detail = f"a term must be a JSON object, found {describe(term)}"
                raise RuleError(Errors.E081.format(path="<add_terms>", line=number, detail=detail, example="{term, label, codes}"))
            try:
                entry = check_entry({k: v for k, v in dict(term).items() if k != "key"})
            except (ValueError, TypeError) as err:
                raise RuleError(Errors.E081.format(path="<add_terms>", line=number, detail=err, example="{term, label, codes}")) from None
            key = term.get("key") if isinstance(term.get("key"), str) else None
            entry["key"] = key or self._key(entry["term"])
            if not entry["key"]:
                raise RuleError(Errors.E081.format(path="<add_terms>", line=number, detail="the term has no tokens", example="{term, label, codes}"))
            entries.append(entry)
        for entry in entries:
            self.user_terms.append(entry)
            self.user.add_key(entry["key"], entry["label"], entry["codes"], "user")

    def add_from_file(self, path: str | Path) -> None:
        """Add the terms of a TSV (``term<TAB>label<TAB>system:code|...``) or JSONL lexicon."""
        self.add_terms(read_user_lexicon(path))

    def lookup(self, key: str, label: str | None = None, exact_key: str | None = None) -> tuple[str, tuple[Code, ...], str] | None:
        """(label, codes, source) of a term key: the user's lexicon first, then the shipped one."""
        found = self.user.lookup(key, label, exact_key=exact_key)
        if found is None and self.shipped is not None:
            found = self.shipped.lookup(key, label, exact_key=exact_key)
        return found

    def _term_codes(self, words: list[str], label: str) -> tuple[Code, ...] | None:
        """The codes of a known term given as words (None when unknown)."""
        found = self.lookup(make_key(words), label)
        return found[1] if found is not None else None

    def _text_entry(self, key: str, exact_key: str) -> tuple[str, tuple[Code, ...], str] | None:
        """The lexicon's entry for exactly this text, whatever its label (codes for a user's ``SYMPTOM`` headache)."""
        for lexicon in (self.user, self.shipped):
            found = lexicon.lookup(key, exact_key=exact_key, loose=False) if lexicon is not None else None
            if found is not None:
                return found
        return None

    def _trusted_label(self, key: str, exact_key: str) -> tuple[str, tuple[Code, ...], str] | None:
        """The lexicon's entry for a key when it is authoritative: a user's term, or a high-precision shipped key."""
        found = self.user.lookup(key, exact_key=exact_key, loose=False)
        if found is None and self.shipped is not None:
            shipped = self.shipped
            if exact_key in shipped.high_precision or key in shipped.high_precision:
                found = shipped.lookup(key, exact_key=exact_key, loose=False)
        return found

    def _head_codes(self, ent: Span) -> tuple[Code, ...]:
        """Codes of the longest known tail of an entity (``sporadic colorectal adenomas`` -> ``colorectal adenomas``)."""
        lowers = [t.lower_ for t in ent if not t.is_space]
        # words in lowers[k:]: a tail with more words than the longest key is skipped (a run of
        # "diabetes" x 7,000 found as one entity made this loop quadratic)
        words = list(accumulate(map(is_word, reversed(lowers))))[::-1]
        longest = max(lexicon.longest_key() for lexicon in (self.user, self.shipped) if lexicon is not None)
        for k in range(1, len(lowers)):
            if words[k] > longest:
                continue
            tail = " ".join(lowers[k:])
            if len(tail) < 4 or not any(c.isalpha() for c in lowers[k]):
                continue
            found = self.lookup(tail, ent.label_)
            if found is not None and found[1]:
                return found[1]
        return ()

    def _short_forms(self, doc: Doc) -> dict[str, str]:
        """Lower-cased short form -> key of its long form, from ``doc._.abbreviations``.

        The long form is tokenized like entities and lexicon terms, so that
        ``Schwartz-Jampel syndrome`` gives the key of its tokens (``schwartz - jampel syndrome``).
        """
        out: dict[str, str] = {}
        for abbr in doc._.abbreviations or []:
            short, long = abbr.get("short"), abbr.get("long")
            if isinstance(short, str) and isinstance(long, str) and short and long and short.lower() not in out:
                out[short.lower()] = self._key(long)
        return out
