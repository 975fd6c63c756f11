"""The install hint of the torch ImportError is true for how chaingrad is installed:
from a clone it never says ``pip install "chaingrad[torch]"``; it says that PyPI's
Linux torch is the large CUDA build."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from autograd.testing import compare


class _Dist:
    def __init__(self, direct_url: dict[str, object] | None) -> None:
        self.direct = None if direct_url is None else json.dumps(direct_url)

    def read_text(self, name: str) -> str | None:
        return self.direct if name == "direct_url.json" else None


def _installed(monkeypatch, direct_url: dict[str, object] | None) -> None:
    monkeypatch.setattr(compare.metadata, "distribution", lambda name: _Dist(direct_url))


def test_from_pypi(monkeypatch) -> None:
    _installed(monkeypatch, None)
    assert compare.install_command("torch") == 'pip install "chaingrad[torch]"'


def test_from_a_clone_editable(monkeypatch) -> None:
    _installed(monkeypatch, {"url": "file:///home/me/chaingrad", "dir_info": {"editable": True}})
    assert compare.install_command("torch") == 'pip install -e "/home/me/chaingrad[torch]"'


def test_from_a_clone(monkeypatch) -> None:
    _installed(monkeypatch, {"url": "file:///home/me/chain%20grad", "dir_info": {}})
    assert compare.install_command("torch") == 'pip install "/home/me/chain grad[torch]"'


def test_from_a_wheel_file_or_not_installed(monkeypatch) -> None:
    _installed(
        monkeypatch, {"url": "file:///tmp/chaingrad-1.0-py3-none-any.whl", "archive_info": {}}
    )
    assert compare.install_command("torch") == "pip install torch"

    def missing(name: str) -> None:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(compare.metadata, "distribution", missing)
    assert compare.install_command("torch") == 'pip install ".[torch]" (in the clone)'


def test_the_torch_message_says_which_build(monkeypatch) -> None:
    _installed(monkeypatch, {"url": "file:///home/me/chaingrad", "dir_info": {"editable": True}})
    message = compare.torch_missing()
    assert message.startswith(
        'PyTorch is not installed: pip install -e "/home/me/chaingrad[torch]"'
    )
    assert 'chaingrad[torch]"' not in message.replace("/home/me/chaingrad[torch]", "")
    assert "CUDA" in message and "download.pytorch.org/whl/cpu" in message
    assert "\n" not in message


def test_this_checkout_is_not_told_to_install_from_pypi() -> None:
    try:
        direct = metadata.distribution("chaingrad").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if not direct or "dir_info" not in direct:
        pytest.skip("chaingrad is not installed from a folder here")
    assert 'pip install "chaingrad[torch]"' not in compare.torch_missing()


def test_the_notebook_does_not_send_a_clone_to_pypi() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "player.ipynb").read_text(encoding="utf-8")
    assert "pip install chaingrad" not in text and "chaingrad[torch]" not in text
