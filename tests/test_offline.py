"""Nothing medtext does at run time opens a network connection (models and lexicons ship)."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from medtext.cli.app import app


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted: {args[1:] if len(args) > 1 else args}")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_guard_works(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))
    with pytest.raises(NetworkUsed):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9))


def test_loading_and_running_the_default_pipeline_is_offline(no_network):
    import medtext

    nlp = medtext.load()
    doc = nlp("CHIEF COMPLAINT: Chest pain.\nNo fever. Congestive heart failure (CHF) treated with furosemide.")
    assert doc._.sections and list(doc.sents)


def test_cli_annotate_and_info_are_offline(no_network, tmp_path):
    src = tmp_path / "n.txt"
    src.write_text("MEDICATIONS: Aspirin 81 mg daily. No known drug allergies.", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["annotate", str(src), "-o", str(tmp_path / "o.jsonl"), "-q"])
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["info"]).exit_code == 0
