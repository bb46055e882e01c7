"""A wheel built with `pip wheel .` carries the shipped models and resources, and finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _source_copy(dest: Path) -> Path:
    """The repository's files (tracked and untracked-not-ignored), without build leftovers."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True)
    for name in listed.stdout.splitlines():
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel_build(tmp_path_factory) -> tuple[Path, str]:
    """The built wheel and what the build wrote on stderr."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    source = _source_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    (path,) = out.glob("medtext-*.whl")
    return path, proc.stderr


@pytest.fixture(scope="module")
def wheel(wheel_build) -> Path:
    return wheel_build[0]


def test_build_leaves_no_data_folder_out_of_the_packages(wheel_build):
    # setuptools printed a 30-line "Package would be ignored" warning per data folder without __init__.py
    # (resources/lexicons, models/ner/vocab, ...) at every install, `make demo` included
    assert "absent from the `packages` configuration" not in wheel_build[1]


def test_wheel_contains_models_and_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (REPO / "models").iterdir() if (p / "meta.json").is_file())
    for model in shipped:
        assert f"medtext/_models/{model}/meta.json" in names
    assert "medtext/resources/sections.jsonl" in names
    assert "medtext/py.typed" in names
    assert not [n for n in names if "__pycache__" in n]


def test_models_are_found_from_an_installed_wheel(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, timeout=300)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import medtext, medtext.models as m\n"
        "assert medtext.__file__.startswith(sys.argv[1]), medtext.__file__\n"
        "print(sorted(m.list_models()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    shipped = sorted(p.name for p in (REPO / "models").iterdir() if (p / "meta.json").is_file())
    assert proc.stdout.strip() == str(shipped)
