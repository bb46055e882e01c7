"""The command line's contract: fast help, one-line errors, exit codes."""

import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from medtext.about import __version__
from medtext.cli.app import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"medtext {__version__}"


def test_help_is_fast_and_light():
    script = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from medtext.cli.app import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('spacy', 'sklearn', 'numpy', 'pandas', 'dask', 'pyarrow') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout
    assert "annotate" in proc.stdout


def test_help_wall_time_of_console_script():
    exe = [sys.executable, "-m", "medtext", "--help"]
    subprocess.run(exe, capture_output=True, timeout=60)  # warm the bytecode cache
    best = min(_timed(exe) for _ in range(3))
    assert best < 1.5  # the 0.5 s target is measured in benchmarks/; this catches heavy imports


def _timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, timeout=60)
    return time.perf_counter() - t


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["annotate"], "Missing argument"),
        (["annotate", "x.txt"], "'--output'"),
        (["annotate", "x.txt", "-o", "-", "--workers", "many"], "'--workers'"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["annotate", "x.txt", "-o", "-", "--bogus"], "--bogus"),
        (["train", "-o", "x"], "'--input'"),
        (["train", "--input", "x.jsonl", "-o", "x", "--cv", "1"], "'--cv'"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(args, named):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("medtext: error:")
    # the line says what is wrong and where to look (not "unexpected <ExceptionClass>")
    assert named in lines[0] and "--help')" in lines[0] and "unexpected" not in lines[0], lines[0]
    assert "Traceback" not in result.output and "╭" not in result.stderr


def test_no_arguments_prints_help_and_exits_0():
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "annotate" in result.stdout and "classify" in result.stdout
    assert "error" not in result.stderr


def test_info_lists_components():
    result = runner.invoke(app, ["info", "--json"])
    assert result.exit_code == 0
    assert '"sections"' in result.stdout and '"sentences"' in result.stdout
