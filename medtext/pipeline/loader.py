"""Build the medtext pipeline: ``medtext.load()``.

The default pipeline is ``spacy.blank("en")`` with medtext's tokenizer and the
components below, assembled through spaCy's config system, so every setting can be
overridden with dotted config keys and the result saves with ``nlp.to_disk``.

Example:
    >>> import medtext
    >>> nlp = medtext.load(exclude=["ner"])
    >>> nlp.pipe_names[:2]
    ['sections', 'sentences']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from thinc.api import Config, ConfigValidationError

from medtext.errors import Errors, MedtextError
from medtext.pipeline import (  # noqa: F401  (register factories)
    abbreviations,
    assertion,
    concepts,
    phi,
    sections,
    sentences,
    tokenizer,
)
from medtext.pipeline.blas import use_numpy_blas
from medtext.pipeline.embed_cache import cache_token_embeddings
from medtext.pipeline.extensions import register_extensions
from medtext.pipeline.ner_decoder import use_fast_ner
from medtext.pipeline.ner_encoder import fast_window_encoders
from medtext.pipeline.tokenizer import MAX_LENGTH  # noqa: F401  (set on nlp by the tokenizer's factory)

# Pipeline order: (component name, factory). A factory "source:<model>" takes the
# component from a trained spaCy pipeline among the medtext models (found with
# medtext.models.find_model): its config block is read from the model's config.cfg
# and its weights from the component's folder, without building the model's own
# pipeline (spaCy's ``source`` would build a second tokenizer and vocab: ~0.6 s of
# start-up). When that model is missing (before `make models`) the component is
# left out with a note in nlp.meta["medtext_missing"].
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("sections", "medtext_sections"),
    ("sentences", "medtext_sentences"),
    ("ner", "source:ner"),
    ("abbreviations", "medtext_abbreviations"),
    ("concepts", "medtext_concepts"),
    ("assertion", "medtext_assertion"),
    ("phi", "medtext_phi"),
)
SOURCE_PREFIX = "source:"


def _source_folder(factory: str) -> Path | None:
    """The model folder a "source:<model>" factory takes its component from; None when missing."""
    from medtext.models import find_model

    try:
        return find_model(factory[len(SOURCE_PREFIX) :])
    except MedtextError:
        return None


def _component_config(name: str, factory: str) -> dict[str, Any] | None:
    """The config block of one component; None when its source model is missing."""
    if not factory.startswith(SOURCE_PREFIX):
        return {"factory": factory}
    folder = _source_folder(factory)
    if folder is None:
        return None
    return dict(Config().from_disk(folder / "config.cfg")["components"][name])


def _load_sourced_weights(nlp: Language) -> None:
    """Read the trained weights of the sourced components (see COMPONENTS) from their model folders."""
    for name, factory in COMPONENTS:
        if factory.startswith(SOURCE_PREFIX) and name in nlp.component_names:
            folder = _source_folder(factory)
            if folder is not None:
                nlp.get_pipe(name).from_disk(folder / name, exclude=["vocab"])


def default_config(exclude: Iterable[str] = ()) -> Config:
    """The spaCy config of the default pipeline (before user overrides), without ``exclude``."""
    skip = set(exclude)
    blocks = {name: _component_config(name, factory) for name, factory in COMPONENTS if name not in skip}
    cfg: dict[str, Any] = {
        "nlp": {
            "lang": "en",
            "pipeline": [name for name, block in blocks.items() if block is not None],
            "tokenizer": {"@tokenizers": "medtext.Tokenizer.v1"},
            "batch_size": 256,
        },
        "components": {name: block for name, block in blocks.items() if block is not None},
    }
    return Config(cfg)


def missing_components(exclude: Iterable[str] = ()) -> list[str]:
    """Default components left out because their model is not installed."""
    skip = set(exclude)
    return [
        name for name, factory in COMPONENTS
        if name not in skip and factory.startswith(SOURCE_PREFIX) and _source_folder(factory) is None
    ]


def component_names() -> list[str]:
    """Names of the components of the default pipeline, in order."""
    return [name for name, _ in COMPONENTS]


def load(
    path: str | Path | None = None,
    *,
    exclude: Iterable[str] = (),
    disable: Iterable[str] = (),
    config: dict[str, Any] | None = None,
    user_files: dict[str, Iterable[str | Path]] | None = None,
) -> Language:
    """Load a saved pipeline from ``path``, or build the default medtext pipeline.

    ``exclude`` leaves components out entirely (``["ner"]`` gives the rule-only
    pipeline); ``config`` overrides settings with dotted keys, e.g.
    ``{"components.sections.use_default_rules": False}`` (or the same nested; a key outside
    the config's sections is E049, a value of the wrong type E050); ``user_files`` adds a
    user's rule or lexicon files to components, e.g. ``{"sections": ["my_headers.jsonl"]}``
    (each such component has ``add_from_file(path)``; the additions survive ``nlp.to_disk``).
    A single name (``exclude="ner"``) or file (``{"sections": "my_headers.jsonl"}``) works too.
    With ``path``, ``config`` overrides the settings the medtext components were saved with
    (``{"components.concepts.relabel": False}``), as ``spacy.load(path, config=...)`` does; a
    setting of another component (``ner``, a user's ruler) or a ``factory`` is refused (E190),
    since that component would restore or not fit what it saved; a ``path`` that is not a saved
    pipeline folder is E001 (missing) or E124.
    """
    register_extensions()
    exclude, disable = _names(exclude), _names(disable)
    user_files = {name: [files] if isinstance(files, str | Path) else files for name, files in (user_files or {}).items()}
    if path is not None:
        return _load_saved(path, exclude, disable, config or {}, user_files or {})
    _check_names(exclude + disable, component_names())
    cfg = default_config(exclude)
    missing = missing_components(exclude)
    disable = [name for name in disable if name not in missing]
    if config:
        _check_config_keys(_override_keys(config), cfg)
        cfg = cfg.merge(Config(spacy.util.dot_to_dict(config)))
    try:
        nlp = spacy.util.load_model_from_config(cfg, exclude=exclude, disable=disable, auto_fill=True, validate=True)
    except ConfigValidationError as err:
        raise MedtextError(Errors.E050.format(detail=_validation_detail(err))) from None
    _load_sourced_weights(nlp)
    _fast_prediction(nlp)
    nlp.meta["name"] = "medtext_default"
    if missing:
        nlp.meta["medtext_missing"] = {name: "model not installed (run `make models`)" for name in missing}
    add_user_files(nlp, user_files or {})
    return nlp


CONFIG_SECTIONS = ("nlp", "components", "paths", "system", "corpora", "training", "pretraining", "initialize")
"""The top-level sections of a spaCy config; an override under any other key would be ignored."""


def _override_keys(config: dict[str, Any]) -> list[str]:
    """The keys of ``config`` down to a component's setting, dotted or nested alike.

    ``{"components": {"sections": {"use_default_rules": False}}}`` and
    ``{"components.sections.use_default_rules": False}`` both give
    ``["components.sections.use_default_rules"]``; a setting's own value may be a dict.
    """
    keys = []
    for top, value in spacy.util.dot_to_dict({str(k): v for k, v in config.items()}).items():
        if top != "components" or not isinstance(value, dict):
            keys.append(top)
            continue
        for name, block in value.items():
            settings = list(block) if isinstance(block, dict) and block else [None]
            keys += [f"components.{name}" + (f".{setting}" if setting is not None else "") for setting in settings]
    return keys


def _validation_detail(err: ConfigValidationError) -> str:
    """spaCy's many-line validation error as one clause per problem: ``medtext_sections.use_default_rules:
    'maybe' is not <class 'bool'>`` (the path starts at the factory's or architecture's name)."""
    problems = []
    for item in err.errors or []:
        where = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        message = str(item.get("msg", "invalid")).removeprefix("at root: ")
        problems.append(f"{where or err.title}: {message}")
    return "; ".join(problems) or " ".join(str(err.title or err).split())


def _check_sections(keys: list[str]) -> None:
    """Every override key must start with a section of a spaCy config (E049)."""
    for key in keys:
        if key.split(".")[0] not in CONFIG_SECTIONS:
            raise MedtextError(Errors.E049.format(key=key, sections=", ".join(CONFIG_SECTIONS)))


def _check_config_keys(keys: list[str], cfg: Config) -> None:
    """An override must be in a config section; ``components.NAME.SETTING`` must name a component of ``cfg``
    and one of its settings (spaCy would ignore or add such blocks silently, or fail with a many-line error)."""
    _check_sections(keys)
    components = cfg["components"]
    for key in keys:
        parts = key.split(".")
        if parts[0] != "components" or len(parts) < 2:
            continue
        if parts[1] not in components:
            raise MedtextError(Errors.E047.format(key=key, available=", ".join(components)))
        block = components[parts[1]]
        if len(parts) > 2 and "factory" in block and parts[2] not in block and Language.has_factory(block["factory"]):
            settings = set(Language.get_factory_meta(block["factory"]).default_config)
            if parts[2] not in settings:
                raise MedtextError(Errors.E048.format(key=key, component=parts[1], settings=", ".join(sorted(settings))))


def _check_names(names: Iterable[str], known: list[str]) -> None:
    for name in names:
        if name not in known:
            raise MedtextError(Errors.E040.format(name=name, available=", ".join(known)))


def _names(value: str | Iterable[str]) -> list[str]:
    """``exclude`` / ``disable`` as a list: one name given as a string is one name, not its letters.

    Example:
        >>> _names("ner"), _names(("ner", "phi"))
        (['ner'], ['ner', 'phi'])
    """
    return [value] if isinstance(value, str) else list(value)


def _check_saved_folder(path: Any) -> None:
    """Refuse, in one line, a ``load(path)`` that is not a folder holding a saved pipeline's config.cfg."""
    from medtext.errors import InputError

    if not isinstance(path, str | Path):
        raise TypeError(f"load takes the path of a saved pipeline folder (str or Path), or nothing; got {type(path).__name__}")
    folder = Path(path)
    if not folder.exists():
        raise InputError(Errors.E001.format(path=path))
    if not folder.is_dir():
        raise InputError(Errors.E124.format(path=path, detail="it is a file, not a folder"))
    if not (folder / "config.cfg").is_file():
        raise InputError(Errors.E124.format(path=path, detail="its folder has no config.cfg"))


def _load_saved(
    path: str | Path, exclude: list[str], disable: list[str], config: dict[str, Any], user_files: dict[str, Iterable[str | Path]]
) -> Language:
    """``load(path)``: a saved pipeline, with the same checks, config overrides and user files as the default one."""
    _check_saved_folder(path)
    keys = _override_keys(config)
    _check_sections(keys)
    saved = spacy.util.load_config(Path(path) / "config.cfg", interpolate=False)
    # Leaving out a medtext component the pipeline was saved without is fine; a typo is not.
    _check_names([n for n in exclude + disable if n not in component_names()], list(saved["nlp"]["pipeline"]))
    _check_saved_overrides(path, [k for k in keys if k.startswith("components")], saved)
    try:
        nlp = spacy.load(path, exclude=exclude, disable=disable, config=config)
    except ConfigValidationError as err:
        raise MedtextError(Errors.E050.format(detail=_validation_detail(err))) from None
    _fast_prediction(nlp)
    add_user_files(nlp, user_files)
    return nlp


OVERRIDABLE_FACTORIES = frozenset(factory for _, factory in COMPONENTS if not factory.startswith(SOURCE_PREFIX))
"""Factories whose components apply config overrides given when a saved pipeline is loaded (the settings they
saved restore only where the loading config left them alone: :mod:`medtext.pipeline.saved_settings`)."""


def _check_saved_overrides(path: str | Path, keys: list[str], saved: Config) -> None:
    """``components.NAME.SETTING`` overrides of a saved pipeline: NAME one of its components (E047), SETTING one
    of its factory's settings (E048), and the factory one that applies overrides (E190)."""
    if not keys:
        return
    _check_config_keys(keys, saved)
    blocks = saved["components"]
    available = ", ".join(n for n, b in blocks.items() if b.get("factory") in OVERRIDABLE_FACTORIES) or "(none)"
    for key in keys:
        parts = key.split(".")
        factory = blocks[parts[1]].get("factory")
        if len(parts) < 3:
            reason = f"a whole component block ('{key}') cannot replace a saved component"
        elif factory not in OVERRIDABLE_FACTORIES:
            reason = f"'{parts[1]}' is no medtext component (factory '{factory}'): what it saved may undo the override or not fit it"
        elif parts[2] == "factory":
            reason = f"the factory of saved component '{parts[1]}' cannot change"
        else:
            continue
        raise MedtextError(Errors.E190.format(path=path, keys=", ".join(keys), reason=reason, available=available))


def _fast_prediction(nlp: Language) -> None:
    """The models' matrix products through numpy's BLAS, token embeddings computed once per distinct token, the
    window encoder fused, and the NER decoded in numpy (all give spaCy's results; see :mod:`medtext.pipeline.blas`,
    :mod:`medtext.pipeline.embed_cache`, :mod:`medtext.pipeline.ner_encoder` and :mod:`medtext.pipeline.ner_decoder`)."""
    use_numpy_blas(nlp)
    cache_token_embeddings(nlp)
    fast_window_encoders(nlp)
    use_fast_ner(nlp)


def add_user_files(nlp: Language, user_files: dict[str, Iterable[str | Path]]) -> None:
    """Give each named component its user files (``component.add_from_file(path)``)."""
    for name, paths in user_files.items():
        paths = list(paths)
        if not paths:
            continue
        if name not in nlp.pipe_names:
            raise MedtextError(Errors.E040.format(name=name, available=", ".join(nlp.pipe_names)))
        component = nlp.get_pipe(name)
        if not callable(getattr(component, "add_from_file", None)):
            takers = [n for n, c in nlp.pipeline if callable(getattr(c, "add_from_file", None))]
            raise MedtextError(Errors.E150.format(name=name, available=", ".join(takers) or "(none)"))
        for path in paths:
            component.add_from_file(path)
