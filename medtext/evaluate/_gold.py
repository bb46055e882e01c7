"""Gold-file errors as ``medtext evaluate`` users need them.

The gold readers share the corpus readers' E006 ("... is not a <fmt> file: <why>.
Check --input-format."), but the evaluate commands take ``--format`` (and name
their files with ``--gold``, ``--text``, ``--phi``): :func:`gold_hint` swaps the advice.

Example:
    >>> from medtext.errors import Errors, InputError
    >>> try:
    ...     with gold_hint("Give --gold a NegEx TSV."):
    ...         raise InputError(Errors.E006.format(path="g.tsv", fmt="NegEx", detail="bad header"))
    ... except InputError as err:
    ...     print(err)
    [E006] 'g.tsv' is not a NegEx file: bad header. Give --gold a NegEx TSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from medtext.errors import InputError

_INPUT_FORMAT_HINT = "Check --input-format."


@contextmanager
def gold_hint(hint: str) -> Iterator[None]:
    """Re-raise an ``InputError`` that ends in 'Check --input-format.' with ``hint`` instead."""
    try:
        yield
    except InputError as err:
        message = str(err)
        if message.endswith(_INPUT_FORMAT_HINT):
            raise InputError(message[: -len(_INPUT_FORMAT_HINT)] + hint) from None
        raise
