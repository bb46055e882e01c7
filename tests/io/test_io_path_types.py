"""The corpus functions take a path or a list of paths; anything else is a TypeError that says what it got."""

from __future__ import annotations

import pytest

from medtext.io import read_corpus
from medtext.io.dispatch import estimate_records, input_files


@pytest.mark.parametrize(
    ("given", "found"),
    [(None, "got NoneType"), (5, "got int"), (b"notes.txt", "got bytes"), (["a.txt", None], "holds a NoneType")],
)
@pytest.mark.parametrize("function", [read_corpus, input_files, estimate_records])
def test_what_is_not_a_path_is_a_clear_type_error(function, given, found):
    with pytest.raises(TypeError, match=rf"^expected a path or a list of paths \(str or pathlib.Path\); .*{found}"):
        function(given)


def test_paths_of_every_kind_still_work(tmp_path):
    (tmp_path / "a.txt").write_text("No fever.", encoding="utf-8")
    for given in (tmp_path, str(tmp_path), [tmp_path / "a.txt"], (str(tmp_path / "a.txt"),)):
        assert [d.id for d in read_corpus(given)] == ["a.txt"]
