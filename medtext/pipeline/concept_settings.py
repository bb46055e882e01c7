"""Saving and loading the ``concepts`` component: its settings and the user's terms (JSONL), and pickling.

:class:`ConceptSettings` is a base class of :class:`~medtext.pipeline.concepts.ConceptMatcher`:
``to_disk`` writes ``cfg.json`` and ``terms.jsonl``, ``from_disk`` reads them back (the terms are
added again; a setting given to ``spacy.load(path, config={...})`` is not restored, see
:mod:`medtext.pipeline.saved_settings`), and a pickled component leaves its tokenizer and string-store
ids behind.

Example:
    >>> import spacy
    >>> from medtext.pipeline.concepts import ConceptMatcher
    >>> concepts = ConceptMatcher(spacy.blank("en"), use_shipped_lexicon=False, relabel=False)
    >>> concepts.add_terms([{"term": "CKD", "label": "DISEASE", "codes": []}])
    >>> copy = ConceptMatcher(spacy.blank("en")).from_bytes(concepts.to_bytes())
    >>> copy.relabel, [t["term"] for t in copy.user_terms]
    (False, ['CKD'])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import srsly

from medtext.pipeline.lexicon import Lexicon
from medtext.pipeline.saved_settings import overridden, saved_config_block

if TYPE_CHECKING:
    from medtext.pipeline.concepts import ConceptMatcher


class ConceptSettings:
    """Serialization of the ``concepts`` component: settings + the user's terms as JSONL."""

    _given: dict[str, Any]  # the settings as built (``ConceptMatcher.__init__``), for from_disk

    def _cfg(self) -> dict[str, Any]:
        return {
            "use_shipped_lexicon": self.use_shipped_lexicon,
            "lexicon_entities": self.lexicon_entities,
            "propagate_abbreviations": self.propagate_abbreviations,
            "propagate_entities": self.propagate_entities,
            "relabel": self.relabel,
            "prefer_longer_terms": self.prefer_longer_terms,
            "merge_coordinations": self.merge_coordinations,
            "drop_undefined_short_forms": self.drop_undefined_short_forms,
            "propagate_short_forms": self.propagate_short_forms,
            "drop_plain_word_chemicals": self.drop_plain_word_chemicals,
            "drop_unlike_diseases": self.drop_unlike_diseases,
            "fix_entity_bounds": self.fix_entity_bounds,
            "clinical_notes": self.clinical_notes,
        }

    def _set_cfg(self, cfg: dict[str, Any], terms: list[dict[str, Any]]) -> None:
        self.use_shipped_lexicon = bool(cfg["use_shipped_lexicon"])
        self.lexicon_entities = cfg["lexicon_entities"]
        self.propagate_abbreviations = bool(cfg.get("propagate_abbreviations", True))
        self.propagate_entities = bool(cfg.get("propagate_entities", False))
        self.relabel = bool(cfg.get("relabel", True))
        self.prefer_longer_terms = bool(cfg.get("prefer_longer_terms", True))
        self.merge_coordinations = bool(cfg.get("merge_coordinations", True))
        self.drop_undefined_short_forms = bool(cfg.get("drop_undefined_short_forms", True))
        self.propagate_short_forms = bool(cfg.get("propagate_short_forms", True))
        self.drop_plain_word_chemicals = bool(cfg.get("drop_plain_word_chemicals", True))
        self.drop_unlike_diseases = bool(cfg.get("drop_unlike_diseases", True))
        self.fix_entity_bounds = bool(cfg.get("fix_entity_bounds", True))
        self.clinical_notes = bool(cfg.get("clinical_notes", True))
        self.user_terms, self.user = [], Lexicon()
        self.add_terms(terms)

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self._cfg(), "terms": self.user_terms})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> ConceptMatcher:
        msg = srsly.msgpack_loads(data)
        self._set_cfg(msg["cfg"], msg["terms"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())
        srsly.write_jsonl(path / "terms.jsonl", self.user_terms)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> ConceptMatcher:
        path = Path(path)
        terms = list(srsly.read_jsonl(path / "terms.jsonl")) if (path / "terms.jsonl").exists() else []
        keep = overridden(self._given, saved_config_block(path))  # spacy.load(path, config={...}) overrides win
        self._set_cfg({**srsly.read_json(path / "cfg.json"), **{k: self._given[k] for k in keep}}, terms)
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["tokenizer"] = None  # rebuilt on demand; keys of user terms are stored
        state.pop("_first_ids", None)  # ids of a string store, recomputed on demand
        return state
