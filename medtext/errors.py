"""Coded error and warning messages, in one place.

Every message says what was expected, what was found, and what to do. Messages
never contain document text (privacy): name files, lines, fields and ids only.

Example:
    >>> raise MedtextError(Errors.E001.format(path="notes/"))
    Traceback (most recent call last):
    medtext.errors.MedtextError: [E001] Input path 'notes/' does not exist. ...
"""

from __future__ import annotations


class ErrorsWithCodes(type):
    """Prefix each message attribute with its code, spaCy style."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("__"):
            return msg
        return f"[{code}] {msg}"


class MedtextError(Exception):
    """An error the user can fix; the CLI prints it as one line and exits 2."""

    exit_code = 2


class InputError(MedtextError):
    """An input (path, file format, column) cannot be read at all."""


class Interrupted(MedtextError):
    """The user stopped the command (Ctrl-C, SIGINT); the CLI exits 130, the shell's convention."""

    exit_code = 130


class ModelError(MedtextError):
    """A model folder is missing, incompatible or has been tampered with."""


class RuleError(MedtextError):
    """A rule or lexicon file is malformed."""


class Errors(metaclass=ErrorsWithCodes):
    # inputs
    E001 = "Input path '{path}' does not exist. Check the path, or quote a glob so the shell does not expand it."
    E002 = "Unknown input format '{fmt}' for '{path}'. Use --input-format with one of: {choices}."
    E003 = "Cannot infer the input format of '{path}' from its extension. Use --input-format with one of: {choices}."
    E004 = "Column or field '{field}' is missing from the header of '{path}' (found: {found}). Use --{option} to name the right one."
    E005 = "'{path}' contains no documents (looked for {pattern}). Point to a file or a folder with documents."
    E006 = "'{path}' is not a {fmt} file: {detail}. Check --input-format."
    E007 = "Cannot read '{path}': {detail}."
    E008 = "Output '{path}' is not usable: {detail}."
    E009 = "Malformed {fmt} file '{path}' at line {line}: {detail}."
    E010 = "Parquet file '{path}' has column '{field}' of type {dtype}; expected strings. Use --text-field to pick a text column."
    E011 = "Option {option} must be {expected}; got {found}."
    E012 = "Unknown text encoding '{encoding}'. Use a Python codec name such as utf-8, cp1252, latin-1 or utf-16 (--encoding)."
    E013 = "Annotation record {id} does not fit the Parquet annotation schema: {detail}. Write records with the fields id, text, sentences, sections, entities, abbreviations, phi, or extend medtext/io/schema.py."
    E014 = "'{path}' is not an annotation file: {detail}. read_annotations reads .jsonl and .parquet files, or a folder of them."
    # rules and lexicons
    E020 = "Rule file '{path}' line {line}: {detail}. Each line must be a JSON object like {example}."
    E021 = "Unknown section category reference in '{path}' line {line}: {detail}."
    E022 = "Lexicon file '{path}' line {line}: {detail}."
    E023 = "{method} takes a list of {what} (dicts); got {found}. Pass a list, and wrap a single one in [ ]."
    # models
    E030 = "Model '{name}' was not found in {places}. Give a path to a model folder or one of: {available}."
    E031 = "Model folder '{path}' has no meta.json, so it is not a medtext model folder (one holds the meta.json and weight files that 'medtext train -o FOLDER' writes). Give a model folder, or a model name ('medtext info' lists them)."
    E032 = "Model file '{path}' does not match the checksum recorded in meta.json; it was modified or corrupted. Retrain or restore the model."
    E033 = "Model '{path}' was built for {what} {built}, but {found} is installed. Retrain the model or install a compatible version."
    E034 = "Model '{path}' is a {found} model; this command needs a {expected} model."
    E035 = "Model folder '{path}' is unreadable: {detail}."
    # entities: lexicons, NER model, NER evaluation
    E080 = "Lexicon file '{path}' does not exist. Check the path."
    E081 = "Lexicon file '{path}' line {line}: {detail}. Each line must look like {example}."
    E082 = "Gold file '{path}' line {line}: {detail}."
    E083 = "Unknown gold format '{fmt}'. Use --format pubtator or --format conll."
    E084 = "Gold file '{path}' holds no documents with mentions of DISEASE or CHEMICAL; check --format."
    E085 = "Shipped lexicon '{name}' is missing from medtext/resources/lexicons; run `make models` (scripts/build_lexicons.py) or reinstall medtext."
    E087 = "lexicon_entities must be one of {choices}; got '{value}'."
    # pipeline
    E040 = "Unknown pipeline component '{name}'. Available components: {available}."
    E041 = "A worker process died (killed, perhaps for lack of memory). The shards written so far are kept: rerun the same command with --resume (and fewer --workers or a smaller --shard-size)."
    E042 = "A Dask worker runs another pipeline than this machine would: medtext {worker_version} with components {worker} and model/resource files {worker_files} there, medtext {version} with {here} and files {files} here. Install the same medtext and models on every worker (make models, or set MEDTEXT_MODELS there), so that results do not depend on the backend."
    E047 = "Config key '{key}' names no component of this pipeline. Components: {available}."
    E048 = "Config key '{key}' is not a setting of component '{component}'. Its settings: {settings}."
    E049 = "Config key '{key}' names no section of the pipeline config ({sections}). A component setting is 'components.NAME.SETTING', e.g. 'components.sections.use_default_rules'."
    E050 = "Config value rejected: {detail}. Check the types of the values given in config=."
    # abbreviations
    E090 = "Unknown abbreviation gold format '{fmt}'. Use --format with one of: {choices}."
    E091 = "Gold file '{path}' holds no records. An Ab3P file has records of a PMID line, a title line, an abstract line and gold pair lines (two spaces, then SF|LF), separated by blank lines."
    E092 = "The pipeline has no 'abbreviations' component (it has: {available}). Use a pipeline built with medtext.load() that keeps 'abbreviations'."
    # assertion (ConText) and negation evaluation: E100-E109
    E100 = "Assertion rule file '{path}' line {line}: {detail}. Each line must be a JSON object like {example}."
    E101 = "Cannot read assertion rule file '{path}': {detail}. Check the path and that it is UTF-8 JSONL."
    E102 = "Assertion setting '{setting}' is invalid: {detail}."
    E103 = "Gold file '{path}' has no rows to score. Give a NegEx TSV with a header and at least one row."
    E104 = "Unknown gold format '{fmt}' for evaluate negation. Use --format negex."
    E105 = "The pipeline has no '{name}' component, which evaluate negation needs. Use a pipeline that includes it."
    # de-identification (phi, deid, visualize)
    E110 = "PHI rule file '{path}' line {line}: {detail}. Each line must be a JSON object like {example}."
    E111 = "The PHI model '{name}' cannot be loaded: {detail} Rebuild it with 'python -m medtext.pipeline.phi_train', or use model=null for rules only."
    E112 = "Unknown de-identification mode '{mode}'. Use one of: {choices}."
    E114 = "Annotation record in '{path}' line {line} is not usable: {detail}."
    E116 = "This model's concept features were learnt on another shipped {resource} (fingerprint {expected}; this medtext has {found}). Retrain it with this medtext (e.g. `medtext train ... --concepts`, or `make models` for the shipped ones)."
    E115 = "Cannot write '{path}': {detail}."
    # batch outputs: the errors file
    E117 = "Cannot use '{path}' as the errors file: {detail}."


class Warnings(metaclass=ErrorsWithCodes):
    # batch (annotate, deid): every record is written; this only says ids repeat
    W040 = "{n} record(s) have an id that an earlier record of this run also has (first: {where}); all are written, in input order. Give every record its own id (or name the id field with --id-field) before joining the output back to your data by id."


# learning (medtext.learn, medtext train/classify/score/check/evaluate classifier|regressor)
Errors.E060 = "Training file '{path}': {n} record(s) have no label in field '{field}' (first ids: {ids}). Label every record, or use --label-field to name the label field."
Errors.E061 = "Training file '{path}': {n} record(s) have no usable text ({why}; first ids: {ids}). Remove them, or use --text-field to name the text field."
Errors.E062 = "Training file '{path}' has only one label ({label}); a classifier needs at least two. Check --label-field and the file."
Errors.E063 = "Training file '{path}': label '{label}' ({n} record(s)) looks like a typo of '{other}' ({m} record(s)). Fix the label, or pass --keep-labels to train with it as it is."
Errors.E064 = "Training file '{path}': a regressor needs numeric labels in field '{field}'; record {id} has {found}. Fix the label or use --task classify."
Errors.E065 = "'{path}' has no usable records for {what}. Check the file and --input-format / --text-field."
Errors.E066 = "Data checks found problems and --strict was given: {summary}. Run `medtext check` for the report."
Errors.E067 = "Task '{task}' needs {fmt} input (one abstract of labelled sentences per block); got --input-format {found}."
Errors.E068 = "Model '{path}' is a {found} model; use `medtext {command}` for it."
Errors.E069 = "Evaluation file '{path}': {n} record(s) have no usable gold label in field '{field}' (first ids: {ids})."
Errors.E070 = "Model '{path}' has model format {found}, written by a newer medtext; medtext {version} reads model format {supported}. Upgrade medtext (pip install -U medtext) to use this model."
Errors.E071 = "Model '{path}' has model format {found}, whose meta.json carries no integrity record. If you trust the folder, run `python -m medtext.learn.upgrade {path}` (it checks the weight files and adds one); otherwise retrain the model."
Errors.E072 = "Model '{path}': meta.json was modified after the model was saved (its {covered} no longer match spec_sha256). Restore meta.json or retrain the model."
Errors.E073 = "Training file '{path}': {what} has only {n} example(s){where}; a calibrated SVM needs at least 2 of each class. Use --algorithm logreg, or add examples{hint}."
Errors.E074 = "Option --cv {k} needs at least {k} {unit}; '{path}' has {n}. Use a smaller --cv."
Errors.E075 = "Evaluation file '{path}': a regressor needs finite numeric gold labels in field '{field}'; {n} record(s) have {found} (first ids: {ids}). Fix or remove them."
Errors.E076 = "'{path}': {n} record(s) have a list of labels in field '{field}' (first ids: {ids}), but {why}. Use --task multilabel (train) or a multi-label model (evaluate) for label lists."
Warnings.W060 = "Evaluation file '{path}': none of its gold labels ({gold}) is a label of model '{model}' ({labels}); every record counts as an error. Check --label-field and that labels are written as at training time."
Errors.E077 = "Evaluation file '{path}': {n} record(s) cannot be scored ({reasons}; first ids: {ids}). Fix or remove them, or use --text-field to name the text field."
# medtext train --algorithm term-pairs / --config
Errors.E078 = "Training file '{path}': {n} record(s) have a malformed '{field}' field ({why}; first ids: {ids}). Write it as a list of drug/effect objects, e.g. [{{\"drug\": \"aspirin\", \"effect\": \"rash\"}}], each term a string or [start, end] character offsets into the text."
Errors.E079 = "Training file '{path}': no record has both a drug and an effect term in field '{field}', and --algorithm term-pairs learns from them. Add the field to the records (see `medtext train --help`), or name it with --pairs-field."
Errors.E120 = "Training file '{path}': --algorithm term-pairs {detail}."
Errors.E121 = "--algorithm {algorithm} reads the '{field}' field from JSONL input (or Python records); got --input-format {fmt}. Write the training data as JSONL."
Errors.E122 = "Config '{path}': {detail}. A config is a JSON object with optional 'params', 'features' and 'context' objects (a model's meta.json works), e.g. {{\"params\": {{\"C\": 3.0}}}}."
# medtext train --algorithm line-max (the --sentences-field of each record)
Errors.E125 = "Training file '{path}': {n} record(s) have a malformed '{field}' field ({why}; first ids: {ids}). Write it as a list of sentence objects, e.g. [{{\"text\": \"First sentence.\", \"labels\": [\"a\"]}}] or [{{\"start\": 0, \"end\": 15, \"labels\": []}}] (character offsets into the text), each sentence's labels among its record's labels."
Errors.E126 = "Training file '{path}': {n} record(s) have no (or a null) '{field}' field (first ids: {ids}), and --algorithm line-max learns from each record's labelled sentences. Add the field to every record (see `medtext train --help`), or name it with --sentences-field."
Errors.E127 = "Training file '{path}': no record has a sentence in field '{field}', and --algorithm line-max learns from them. Add each record's sentences with their labels (see `medtext train --help`), or use --algorithm logreg."

# evaluation gold checks (medtext.evaluate and the gold readers). Messages name files, lines, ids and counts only.
Errors.E086 = "Gold file '{path}': {n} of {total} mentions have offsets that do not give back their text (first: PMID {id}, line {line}); the offsets seem to index another text. PubTator offsets index title + ' ' + abstract: fix the file or convert it."
Warnings.W080 = "Gold file '{path}': {n} of {total} mention(s) have a type that is not scored (first: PMID {id}, line {line}); they are left out of the scores. Scored types: {types}. Check that the file is complete (a cut line loses its type)."
Warnings.W081 = "Gold file '{path}': {n} of {total} mention(s) have offsets that do not give back their text (first: PMID {id}, line {line}); they are scored at their offsets. Check the file."
# pandas frames (medtext.annotate_frame)
Errors.E015 = "Column '{field}' is missing from the DataFrame (columns: {found}). Pass {option}= naming the right column."
Errors.E016 = "The DataFrame's index repeats labels ({n} rows share a label), so annotations could not be traced back to their rows. Pass id_column= naming a column of unique ids, or call df.reset_index() first."
# evaluate deid (PhysioNet gold)
Errors.E113 = "PHI file '{path}' line {line}: offsets {start}-{end} run past the end of note {id} ({size} characters). Check that the phrase file belongs to this --text file."
Errors.E118 = "'{path}' holds no {what}, so there is nothing to score. Check {option}."
Errors.E119 = "The pipeline has no 'phi' component (it has: {available}). Use a pipeline that keeps 'phi', or leave out --model for the default pipeline."
Warnings.W110 = "PHI file '{path}': {n} of {total} phrase(s) do not match the note text at their offsets (first at line {line}); they are scored at their offsets. Check that the phrase file belongs to this --text file."
# --model of the evaluate commands (a saved spaCy pipeline)
Errors.E036 = "--model '{model}' is not a saved medtext/spaCy pipeline: {detail}. Pass a pipeline folder written by nlp.to_disk() (it holds config.cfg and meta.json), or leave out --model to use the default pipeline."
Errors.E037 = "--model '{model}' was not found: it is neither a folder nor a model name in $MEDTEXT_MODELS or the shipped models. Pass a pipeline folder written by nlp.to_disk(), or leave out --model to use the default pipeline."
Warnings.W082 = "Gold file '{path}' is CoNLL/IOB, which has no concept ids, so --codes scores nothing (normalization_accuracy is null). Codes need PubTator gold with ids (--format pubtator)."
Warnings.W083 = "Gold file '{path}': no correctly found mention has a gold id, so normalization_accuracy is null (normalization_n 0)."
Errors.E106 = "Gold file '{path}': none of its {n} rows can be scored (no row's concept was found in its sentence). Check that the file has the columns Report No., Concept, Sentence, Negation in that order."
# the command line: Ctrl-C
Errors.E123 = "Interrupted (Ctrl-C) before the command finished. An output file still being written keeps its temporary name (*.partial) and is not the result; an 'annotate' folder output is finished by the same command with --resume."
# medtext.load(path)
Errors.E124 = "'{path}' is not a saved pipeline: {detail}. Pass a folder written by nlp.to_disk() (it holds config.cfg and meta.json), or call medtext.load() without a path for the default pipeline."
# medtext train: TF-IDF settings that keep no term of the training texts
Errors.E136 = "Training file '{path}': the TF-IDF features keep no term of the training texts ({why}). Add records (with words), or lower 'min_df' (now {min_df}; it keeps only terms found in at least that many records) in the --config features, e.g. {{\"features\": {{\"min_df\": 1}}}}."
# medtext train --task multilabel: what a label list may hold
Errors.E137 = "Training file '{path}': {n} record(s) have a null, list or object among the labels in field '{field}' (first ids: {ids}). Write each record's labels as a list of strings, e.g. [\"a\", \"b\"] ([] for none)."
# medtext evaluate classifier: gold labels the model does not have
Warnings.W061 = "Evaluation file '{path}': {n} record(s) have gold labels that model '{model}' does not have ({gold}); they count as errors. Check their spelling and case against the model's labels ({labels})."
# medtext train --algorithm ordinal
Errors.E138 = "Training file '{path}': --algorithm ordinal needs 2 to {max} distinct label values (the points of a rating scale); the labels take {n}. Use --algorithm ridge for continuous scores."
# helper 59: learning files whose label column / field is absent (train, check, evaluate classifier|regressor)
Errors.E159 = "'{path}' has no {what} '{field}' for the labels ({what}s found: {found}). Use --label-field to name the {what} that holds them."
# helper 60 (audit of deid, evaluate, medtext.load, annotate_frame)
Errors.E150 = "Component '{name}' takes no user files (user_files={{'{name}': ...}}); the components that do: {available}."
Errors.E151 = "Column '{field}' appears {n} times in the DataFrame, so its texts (or ids) are ambiguous. Rename the columns so that each is unique (e.g. df.columns = [...]), or pass {option}= naming another column."
# rule files (sections, PHI) that cannot be read at all: no line to point at
Errors.E152 = "Cannot read rule file '{path}': {detail}. Check the path and that it is UTF-8 JSONL."
# annotate_frame(nlp=..., exclude=...): a pipeline passed in runs as it is
Errors.E153 = "annotate_frame got both nlp= and exclude={exclude}: a pipeline you pass runs as it is. Leave out nlp= (medtext.load(exclude=...) is used), or switch the components off in yours (nlp.select_pipes(disable=...))."
# a file option given '-' where standard input is not read (evaluate's gold files, ...)
Errors.E154 = "'-' (standard input) is not read here: the {fmt} file must be given by its path."
# helper 66 (audit of train / classify / score / evaluate / check)
Errors.E166 = "Model '{path}' was not written: its fitted weights ('{file}') hold NaN or infinite values, a numeric overflow in training{why}. Rescale the labels (e.g. divide them by a power of ten, or take logarithms) and train again."
Warnings.W166 = "PHI file '{path}': {n} of {total} phrase(s) are empty (start == end; first at line {line}); they hold nothing to find, so they are left out of the scores and counted in n_gold_empty. Check the annotation tool's export."
Errors.E167 = "--text and --phi name the same file '{path}'. Give --text the notes (PhysioNet id.text) and --phi the gold phrases of those notes (id-phi.phrase)."
Errors.E168 = "'{path}' is read as plain text (input format txt: the whole file is one document without a label), so it holds no labels. Give a labelled JSONL, CSV, TSV or Parquet file, or --input-format rct for a PubMed-RCT sentence file (label<TAB>sentence lines under ###id lines)."
# helper 67 (medtext components in other spaCy pipelines)
Errors.E175 = "PHI setting 'threshold' must be a number from 0 to 1 (the least probability for a word to be PHI; null keeps the model's own per-label thresholds); found {value}."
# helper 68 (follow-ups of the learning-side audit)
Errors.E180 = "'{path}': {n} record(s) have a JSON object (a mapping such as {{\"name\": 1}}) as the label in field '{field}' (first ids: {ids}); a label is a string or a number. Write one label per record, e.g. \"label\": \"neoplasms\" (multi-label: a list, \"labels\": [\"a\", \"b\"]), or use --label-field to name the field that holds the labels."
Errors.E181 = "Model '{path}' is a file, not a model folder{hint}. A model is a folder holding meta.json and weight files, as 'medtext train -o FOLDER' writes; give such a folder, or one of: {available}."
Errors.E182 = "'{path}' does not look like JSONL (one JSON object per line), the input format it is read as: its first line is not JSON, and none of its first {n} line(s) is a JSON object. {fix}"
Warnings.W180 = "Evaluation file '{path}': the report's bootstrap confidence intervals rest on {n} record(s), fewer than {min}, so they are too coarse to trust (with one record their width is 0). Evaluate on at least {min} records for meaningful intervals."
Errors.E183 = "--search picks its parameters by {k}-fold cross-validation (its default when --cv is not given), which needs at least {k} {unit}; '{path}' has {n}. {fix}."
Errors.E190 = "Saved pipeline '{path}': config overrides {keys} cannot be applied: {reason}. Override settings of the medtext components ({available}) only, or build the pipeline anew with those settings and save it again."
# helper 78 (evaluate classifier|regressor figures)
Warnings.W197 = "Evaluation file '{path}': the report's bootstrap confidence intervals resample whole abstracts (a sentence's role depends on its abstract) and rest on {n} abstract(s), fewer than {min}, so they are too coarse to trust (with one abstract their width is 0; a JSONL file without abstract ids is one abstract). Evaluate on at least {min} abstracts for meaningful intervals."
# helper 80 (batch annotation inputs and outputs)
Errors.E195 = "'{path}' is {kind}-compressed, and medtext reads compressed files only as gzip, bzip2 or xz of JSONL, CSV, TSV or text (notes.jsonl.gz). To annotate it, {fix}."
Warnings.W195 = "{n} record(s) have no id in field '{field}' (first: {where}): the field is missing or empty, so they are written with the id '<file name>:<line>', which cannot be joined back to your data. Name the id field with --id-field (as the file spells it), or fill the empty ids."
# helper 83 (medtext annotate --backend dask on a scheduler's cluster)
Errors.E204 = "Cannot start on the Dask cluster of --scheduler '{address}': {detail}. Give the address of a running `dask scheduler` (tcp://host:port, the port it prints at start) with at least one `dask worker` connected to it."
Errors.E205 = "The Dask cluster stopped answering during the run ({detail}). The shards written so far are kept: restart the scheduler and its workers, then rerun the same command with --resume."
Errors.E206 = "A Dask worker ({worker}) cannot run medtext: {detail}. Install the same medtext (and models) on every worker machine, or start the workers where this medtext is importable (its folder on PYTHONPATH)."
