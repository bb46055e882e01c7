"""Features from medtext annotations: concept codes, negated concepts, section of occurrence.

:class:`ConceptFeatures` takes annotation records (DESIGN.md's JSONL record: ``entities``
with ``label``, ``text``, ``codes`` [{system, code}], ``negated`` ...; ``sections``), spaCy
Docs, or raw texts together with a spaCy ``nlp`` to run. Each entity gives features
such as ``code=MESH:D003920`` (or ``neg:code=...`` when negated, so "no diabetes" and
"diabetes" are different features), ``ent=DISEASE:diabetes`` and, with ``sections=True``,
``section=history`` and ``history|code=MESH:D003920``. They are counted with
:class:`~sklearn.feature_extraction.DictVectorizer` and weighted by
:class:`~sklearn.feature_extraction.text.TfidfTransformer`.

It works with whatever entities the pipeline finds (none is fine: fitted on documents
without any concept, it gives zero features, an ``(n, 0)`` matrix, which a
:class:`~sklearn.pipeline.FeatureUnion` or ``ColumnTransformer`` simply adds nothing
from) and improves as NER and assertion components land.

Example:
    >>> rec = {"entities": [{"label": "DISEASE", "text": "Diabetes", "negated": True,
    ...                      "codes": [{"system": "MESH", "code": "D003920"}], "start": 3, "end": 11}],
    ...        "sections": []}
    >>> sorted(concept_tokens(rec))
    ['neg:code=MESH:D003920', 'neg:ent=DISEASE:diabetes']
"""

from __future__ import annotations

from typing import Any, Iterable

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted


def _get_ext(obj: Any, name: str, default: Any = None) -> Any:
    ext = getattr(obj, "_", None)
    if ext is not None and obj.has_extension(name):
        return getattr(ext, name)
    return default


def doc_to_record(doc: Any) -> dict[str, Any]:
    """The parts of a DESIGN.md annotation record that features use, from a spaCy Doc."""
    ents = []
    for ent in doc.ents:
        ents.append({"start": ent.start_char, "end": ent.end_char, "text": ent.text, "label": ent.label_,
                     "codes": list(_get_ext(ent, "codes", []) or []),
                     "negated": bool(_get_ext(ent, "negated", False)),
                     "uncertain": bool(_get_ext(ent, "uncertain", False)),
                     "family": bool(_get_ext(ent, "family", False)),
                     "historical": bool(_get_ext(ent, "historical", False)),
                     "hypothetical": bool(_get_ext(ent, "hypothetical", False))})
    sections = list(_get_ext(doc, "sections", []) or []) if doc.has_extension("sections") else []
    return {"entities": ents, "sections": sections}


def _section_at(sections: list[dict[str, Any]], pos: int) -> str | None:
    best = None
    for s in sections:
        if s.get("start", 0) <= pos < s.get("end", 0):
            best = s.get("category") or s.get("title")
    return best


def concept_tokens(record: dict[str, Any], *, codes: bool = True, mentions: bool = True, negation: str = "separate",
                   assertions: bool = True, sections: bool = False) -> list[str]:
    """Feature tokens of one annotation record (see module docstring)."""
    out: list[str] = []
    secs = record.get("sections") or []
    if sections:
        out.extend(f"section={s.get('category') or s.get('title')}" for s in secs)
    for e in record.get("entities") or []:
        neg = bool(e.get("negated"))
        if neg and negation == "drop":
            continue
        prefix = "neg:" if neg and negation == "separate" else ""
        if assertions:
            for flag in ("uncertain", "family", "historical", "hypothetical"):
                if e.get(flag):
                    prefix += f"{flag}:"
        toks = []
        if codes:
            for c in e.get("codes") or []:
                if isinstance(c, dict) and c.get("code"):
                    toks.append(f"code={c.get('system', '')}:{c['code']}")
        if mentions and e.get("label"):
            toks.append(f"ent={e['label']}:{' '.join(str(e.get('text', '')).lower().split())}")
        toks = [prefix + t for t in toks]
        out.extend(toks)
        if sections and secs:
            sec = _section_at(secs, int(e.get("start", -1)))
            if sec:
                out.extend(f"{sec}|{t}" for t in toks)
    return out


class ConceptFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF over concept tokens of annotated documents.

    ``X`` items may be annotation records (dicts), spaCy Docs, or texts (then ``nlp``, a spaCy
    Language such as ``medtext.load()``, annotates them). ``negation``: ``separate`` (negated
    concepts are distinct features), ``drop`` (ignore negated concepts) or ``ignore``
    (treat them like affirmed ones).
    """

    def __init__(self, nlp: Any = None, codes: bool = True, mentions: bool = True, negation: str = "separate",
                 assertions: bool = True, sections: bool = True, sublinear_tf: bool = True, min_df: int = 1,
                 batch_size: int = 64):
        self.nlp = nlp
        self.codes = codes
        self.mentions = mentions
        self.negation = negation
        self.assertions = assertions
        self.sections = sections
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.batch_size = batch_size

    def _records(self, X: Iterable[Any]) -> list[dict[str, Any]]:
        if isinstance(X, (str, dict)) or hasattr(X, "ents"):
            what = "string" if isinstance(X, str) else "record" if isinstance(X, dict) else "Doc"
            raise ValueError(f"ConceptFeatures takes a list of texts, annotation records or Docs, got a single {what}; wrap it in a list")
        items = list(X)
        out: list[dict[str, Any] | None] = [None] * len(items)
        texts, where = [], []
        for i, x in enumerate(items):
            if isinstance(x, dict):
                out[i] = x
            elif hasattr(x, "ents") and hasattr(x, "text"):
                out[i] = doc_to_record(x)
            elif isinstance(x, str):
                texts.append(x)
                where.append(i)
            else:
                raise ValueError(f"ConceptFeatures takes annotation records, spaCy Docs or texts; item {i} (0-based) "
                                 f"is a {type(x).__name__}")
        if texts:
            if self.nlp is None:
                raise ValueError("ConceptFeatures got raw texts but no nlp: pass nlp=medtext.load() or annotation records")
            for i, doc in zip(where, self.nlp.pipe(texts, batch_size=self.batch_size)):
                out[i] = doc_to_record(doc)
        return out  # type: ignore[return-value]

    def _dicts(self, X) -> list[dict[str, float]]:
        if self.negation not in ("separate", "drop", "ignore"):
            raise ValueError(f"negation must be 'separate', 'drop' or 'ignore', got {self.negation!r}")
        dicts = []
        for rec in self._records(X):
            d: dict[str, float] = {}
            for t in concept_tokens(rec, codes=self.codes, mentions=self.mentions, negation=self.negation,
                                    assertions=self.assertions, sections=self.sections):
                d[t] = d.get(t, 0.0) + 1.0
            dicts.append(d)
        return dicts

    def fit(self, X, y=None):
        dicts = self._dicts(X)
        if self.min_df > 1:
            df: dict[str, int] = {}
            for d in dicts:
                for k in d:
                    df[k] = df.get(k, 0) + 1
            keep = {k for k, n in df.items() if n >= self.min_df}
            dicts = [{k: v for k, v in d.items() if k in keep} for d in dicts]
        self.vectorizer_ = DictVectorizer(sort=True).fit(dicts)
        counts = self.vectorizer_.transform(dicts)
        # No concept in any document (or none left by min_df): zero features, no IDF to learn.
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts) if counts.shape[1] else None
        return self

    def transform(self, X):
        """Sparse TF-IDF matrix (CSR) of shape (n_documents, n_features); n_features is 0 when fit saw no concept."""
        check_is_fitted(self, "vectorizer_")
        counts = self.vectorizer_.transform(self._dicts(X))
        return (counts if self.tfidf_ is None else self.tfidf_.transform(counts)).tocsr()

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        import numpy as np

        return np.asarray([f"concept__{n}" for n in self.vectorizer_.get_feature_names_out()], dtype=object)
