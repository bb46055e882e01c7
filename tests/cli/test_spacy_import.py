"""The medtext command imports spaCy without spacy.cli; spaCy behaves as usual."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from medtext.cli.spacy_import import hold_back_spacy_cli


def run_fresh(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_spacy_imports_without_its_cli_and_loads_it_on_first_use() -> None:
    out = run_fresh(
        """
        import sys
        from medtext.cli.spacy_import import hold_back_spacy_cli
        assert hold_back_spacy_cli() is True
        import spacy
        held = "spacy.cli" not in sys.modules and "weasel" not in sys.modules
        words = [t.text for t in spacy.blank("en")("No fever.")]
        loader_restored = type(spacy.__loader__).__name__ == "SourceFileLoader"
        cli = spacy.cli  # attribute access imports the real package
        print(held, words, loader_restored, cli.__name__, hasattr(cli, "download"), "spacy.cli.info" in sys.modules)
        """
    )
    assert out == "True ['No', 'fever', '.'] True spacy.cli True True"


def test_spacy_info_and_import_statement_reach_the_real_cli() -> None:
    out = run_fresh(
        """
        from medtext.cli.spacy_import import hold_back_spacy_cli
        hold_back_spacy_cli()
        import spacy
        data = spacy.info(silent=True)
        import spacy.cli
        from spacy.cli.info import info
        print(data["spacy_version"] == spacy.__version__, spacy.cli.info is info, spacy.cli.download.__module__)
        """
    )
    assert out == "True True spacy.cli.download"


def test_nothing_to_hold_back_once_spacy_is_imported() -> None:
    import spacy  # noqa: F401

    before = list(sys.meta_path)
    assert hold_back_spacy_cli() is False
    assert sys.meta_path == before
