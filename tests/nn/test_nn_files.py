"""Model files under hostile conditions (issue 11, items 9 and 10).

save(): the file's mode is what a plain open() would give (or the old file's),
a symlink is written through, the directory is synced after the rename, and an
error never shows the temporary file's name. load(): every malformed file is a
one-line ValueError naming the file, read up to a cap, with the model unchanged.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

import nn
from nn.module import _max_file_bytes


@pytest.fixture
def model() -> nn.MLP:
    return nn.MLP(2, [3, 1], rng=0)


@pytest.fixture
def umask():
    """Set the process umask for a test, restoring it after."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(saved)


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ---------------------------------------------------------------- item 9: save


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_default_mode(model, tmp_path, umask, mask: int) -> None:
    umask(mask)
    path = tmp_path / "m.json"
    model.save(path)
    assert mode_of(path) == 0o666 & ~mask  # what open(path, "w") would give


def test_an_existing_file_keeps_its_mode(model, tmp_path, umask) -> None:
    umask(0o022)
    path = tmp_path / "m.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    model.save(path)
    assert mode_of(path) == 0o640
    assert json.loads(path.read_text())["format"] == "chaingrad.nn"


def test_a_symlink_is_written_through(model, tmp_path) -> None:
    real = tmp_path / "store" / "model.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "current.json"
    link.symlink_to(real)
    model.save(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["parameters"] == model.state_dict()
    assert sorted(p.name for p in real.parent.iterdir()) == ["model.json"]  # no temp left


def test_the_directory_is_synced_after_the_rename(model, tmp_path, monkeypatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    model.save(tmp_path / "m.json")
    assert synced == ["file", "dir"]


@pytest.mark.parametrize("where", ["missing_dir", "a_directory"])
def test_errors_never_show_the_temporary_file(model, tmp_path, where: str) -> None:
    if where == "missing_dir":
        target = tmp_path / "nowhere" / "m.json"
    else:
        target = tmp_path / "m.json"
        target.mkdir()  # os.replace onto a directory fails
    with pytest.raises(OSError) as info:
        model.save(target)
    message = str(info.value)
    assert str(target) in message and ".tmp" not in message and ".chaingrad" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    left = [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")]
    assert left == []  # no temporary file left behind


# ---------------------------------------------------------------- item 10: load


def good_document(model: nn.Module) -> dict:
    return {
        "format": "chaingrad.nn",
        "version": 1,
        "model": type(model).__name__,
        "parameters": model.state_dict(),
    }


def assert_refused(model: nn.Module, path, match: str) -> None:
    before = model.state_dict()
    with pytest.raises(ValueError, match=match) as info:
        model.load(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert model.state_dict() == before


def write(tmp_path, content: str | bytes):
    path = tmp_path / "m.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_a_deeply_nested_file(model, tmp_path) -> None:
    depth = 100_000
    text = '{"format": "chaingrad.nn", "version": 1, "model": "MLP", "parameters": '
    text += "[" * depth + "]" * depth + "}"
    assert_refused(model, write(tmp_path, text), "nested")


def test_duplicate_keys(model, tmp_path) -> None:
    doc = good_document(model)
    inner = json.dumps(doc["parameters"])[1:-1]
    first = next(iter(doc["parameters"]))
    text = json.dumps({k: v for k, v in doc.items() if k != "parameters"})[:-1]
    text += f', "parameters": {{{inner}, "{first}": 5.0}}}}'
    assert_refused(model, write(tmp_path, text), f"duplicate key '{first}'")
    twice = json.dumps(doc)[:-1] + ', "version": 1}'
    assert_refused(model, write(tmp_path, twice), "duplicate key 'version'")


def test_the_model_field_is_checked(model, tmp_path) -> None:
    doc = good_document(model)
    doc["model"] = "Neuron"
    assert_refused(model, write(tmp_path, json.dumps(doc)), "holds a 'Neuron'.*MLP")
    del doc["model"]
    assert_refused(model, write(tmp_path, json.dumps(doc)), "'model'")


def test_a_subclass_loads_its_base_class_file(model, tmp_path) -> None:
    class Mine(nn.MLP):
        pass

    path = tmp_path / "m.json"
    model.save(path)
    twin = Mine(2, [3, 1], rng=9)
    twin.load(path)  # a Mine is an MLP
    assert twin.state_dict() == model.state_dict()
    twin.save(path)
    assert_refused(nn.MLP(2, [3, 1], rng=4), path, "holds a 'Mine'")


@pytest.mark.parametrize("version", [True, 1.0, "1", 2, None])
def test_the_version_must_be_the_int_1(model, tmp_path, version) -> None:
    doc = good_document(model)
    doc["version"] = version
    assert_refused(model, write(tmp_path, json.dumps(doc)), "version")


def test_not_utf8(model, tmp_path) -> None:
    raw = json.dumps(good_document(model)).encode()
    assert_refused(model, write(tmp_path, raw[:20] + b"\xff\xfe" + raw[20:]), "UTF-8")


def test_a_5000_digit_number(model, tmp_path) -> None:
    doc = good_document(model)
    first = next(iter(doc["parameters"]))
    text = json.dumps(doc).replace(json.dumps(doc["parameters"][first]), "9" * 5000, 1)
    path = write(tmp_path, text)
    assert_refused(model, path, "number")
    with pytest.raises(ValueError) as info:
        model.load(path)
    assert "int_max_str_digits" not in str(info.value)


def test_huge_float_literals_are_refused_as_not_finite(model, tmp_path) -> None:
    doc = good_document(model)
    first = next(iter(doc["parameters"]))
    text = json.dumps(doc).replace(json.dumps(doc["parameters"][first]), "1e999", 1)
    assert_refused(model, write(tmp_path, text), "finite")


def test_dev_zero_is_refused_at_the_cap(model) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    assert_refused(model, "/dev/zero", "larger than")


def test_a_file_over_the_cap(model, tmp_path) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as f:
        f.truncate(_max_file_bytes(model.num_parameters()) + 1)  # sparse: no disk used
    assert_refused(model, path, "larger than")


def test_a_byte_order_mark_is_fine(model, tmp_path) -> None:
    twin = nn.MLP(2, [3, 1], rng=7)
    path = write(tmp_path, b"\xef\xbb\xbf" + json.dumps(good_document(model)).encode())
    twin.load(path)
    assert twin.state_dict() == model.state_dict()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "not valid JSON"),
        ("[1, 2]", "not a chaingrad model file"),
        ('{"format": 7}', "not a chaingrad model file"),
        ('{"format": "chaingrad.nn", "version": 1, "model": "MLP"}', "'parameters'"),
        ("\x00" * 10, "not valid JSON"),
    ],
)
def test_other_malformed_files(model, tmp_path, text: str, match: str) -> None:
    assert_refused(model, write(tmp_path, text), match)


def test_the_cap_scales_with_the_model() -> None:
    assert _max_file_bytes(0) >= 1 << 20
    assert _max_file_bytes(1000) - _max_file_bytes(0) == 1000 * 1024


def test_a_named_pipe_is_refused_without_waiting(model, tmp_path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert_refused(model, fifo, "pipe")
