"""The ``medtext`` console entry point.

``classify`` and ``score`` first try a fast path that needs neither Typer nor
scikit-learn (cold start under a second); anything it does not recognise,
``--help`` included, goes to the Typer app, which gives the same results.

Example:
    $ medtext classify --model abstract-topics "Colon polyps in adults."
"""

from __future__ import annotations

import sys


def main() -> None:
    from medtext.cli.spacy_import import hold_back_spacy_cli
    from medtext.learn.predict_cli import fast_main

    hold_back_spacy_cli()

    code = fast_main()
    if code is not None:
        sys.exit(code)
    from medtext.cli.app import main as app_main

    sys.exit(app_main())
