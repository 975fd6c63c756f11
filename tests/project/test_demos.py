"""The demos: the lecture numbers they carry, the command line, and every demo
run end to end with ``--quick`` (pictures included)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import demos
from demos.__main__ import main

DATA = Path(__file__).parents[1] / "data"  # tests/data

SEED_CASES = DATA / "seed_cases.json"


def _cases() -> dict[str, Any]:
    data = json.loads(SEED_CASES.read_text(encoding="utf-8"))
    return {case["id"]: case for case in data["cases"]}


def same_number(a: Any, b: Any, where: str) -> None:
    """Deep equality, numbers compared as floats (json has 10 where a demo has 10.0)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{where}: keys {set(a)} vs {set(b)}"
        for k in a:
            same_number(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), f"{where}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            same_number(x, y, f"{where}[{i}]")
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert isinstance(b, (int, float)) and float(a) == float(b), f"{where}: {a!r} != {b!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.mark.parametrize("name", demos.DEMOS)
def test_lecture_literals_match_the_seed_cases(name: str) -> None:
    # The demos run after a plain install, so they carry the lecture numbers as
    # literals; each literal names its seed case and must equal it exactly.
    module = demos.load(name)
    cases = _cases()
    for attr, path in getattr(module, "SOURCES", {}).items():
        node: Any = cases[path[0]]
        for key in path[1:]:
            node = node[key]
        same_number(getattr(module, attr), node, f"{name}.{attr} vs {'/'.join(map(str, path))}")


def test_every_demo_that_checks_numbers_names_its_seed_cases() -> None:
    without = [n for n in demos.DEMOS if not getattr(demos.load(n), "SOURCES", None)]
    # moons is micrograd's demo: no lecture numbers, only its known property
    assert without == ["moons"]


@pytest.mark.parametrize("name", demos.DEMOS)
def test_module_interface(name: str) -> None:
    module = demos.load(name)
    assert isinstance(module.DESCRIPTION, str) and "\n" not in module.DESCRIPTION
    assert isinstance(module.FILES, tuple)
    assert callable(module.run)


@pytest.mark.parametrize("name", demos.DEMOS)
def test_demo_runs_quick_with_plots(name: str, tmp_path: Path, capsys) -> None:
    pytest.importorskip("matplotlib", reason="the pictures need the demos extra")
    module = demos.load(name)
    assert module.run(tmp_path, quick=True, plots=True) is True
    text = capsys.readouterr().out
    assert "FAIL" not in text
    for filename in module.FILES:
        path = tmp_path / filename
        assert path.exists(), f"{name} did not write {filename}"
        if path.is_dir():
            assert any(path.iterdir()), f"{name} wrote an empty {filename}/"
        else:
            assert path.stat().st_size > 500, f"{filename} is nearly empty"
        if filename.endswith("_training.html"):  # the replay page of the demo's training
            page = path.read_text(encoding="utf-8")
            assert page.startswith("<!DOCTYPE html>")
            assert '<div class="chaingrad-training"' in page


def test_the_training_demos_say_where_their_replay_page_goes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(moons, diamond, logic_gates)" in text and "<demo>_training.html" in text
    for name in ("moons", "diamond", "logic_gates"):
        module = demos.load(name)
        assert f"{name}_training.html" in module.FILES
        assert f"{name}_training.html" in (module.__doc__ or "")


def test_listing(capsys) -> None:
    assert main([]) == 0
    text = capsys.readouterr().out
    for name in demos.DEMOS:
        assert f"  {name}  " in text or f"  {name} " in text


def test_unknown_demo_is_an_error(capsys) -> None:
    assert main(["no_such_demo", "--no-plots"]) == 2
    assert "unknown demo 'no_such_demo'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown demo"):
        demos.load("no_such_demo")


def test_a_wrong_lecture_number_makes_the_exit_status_non_zero(
    monkeypatch, tmp_path: Path, capsys
) -> None:
    import demos.taylor as taylor

    wrong = list(taylor.SUMS_AT_1)
    wrong[3] += 1e-6  # far beyond the 1e-12 tolerance
    monkeypatch.setattr(taylor, "SUMS_AT_1", wrong)
    assert main(["taylor", "--no-plots", "--out", str(tmp_path)]) == 1
    text = capsys.readouterr().out
    assert "FAIL" in text and "check(s) FAILED" in text


def test_without_matplotlib_the_tables_still_print(monkeypatch, tmp_path: Path, capsys) -> None:
    # None in sys.modules makes `import matplotlib` raise ImportError
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    assert demos.load("taylor").run(tmp_path, quick=True, plots=True) is True
    text = capsys.readouterr().out
    from autograd.testing.compare import install_command

    assert f"no pictures: {install_command('demos', 'matplotlib')})" in text
    assert "S_n(1)" in text  # the table is there
    assert not (tmp_path / "taylor.png").exists()


def test_no_plots_writes_nothing(tmp_path: Path) -> None:
    assert main(["gradient_descent", "--no-plots", "--out", str(tmp_path / "out")]) == 0
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine")
    for out in (afile, afile / "sub"):
        proc = subprocess.run(
            [sys.executable, "-m", "demos", "computation_graph", "--quick", "--out", str(out)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        assert f"--out {out}" in proc.stderr and "not a folder" in proc.stderr
    assert afile.read_text() == "mine"


def test_a_picture_that_cannot_be_written_is_one_line(monkeypatch, tmp_path: Path, capsys) -> None:
    import demos.taylor as taylor

    def run(out, quick, plots):
        raise PermissionError(13, "Permission denied", str(out / "taylor.png"))

    monkeypatch.setattr(taylor, "run", run)
    assert main(["taylor", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "taylor: [Errno 13] Permission denied" in err


def test_usage_errors_are_one_line(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["taylor", "--bogus"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unrecognized arguments: --bogus" in err


def test_command_line_as_a_user_runs_it(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "demos", "computation_graph", "--quick", "--no-plots"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dJ/db" in proc.stdout and "FAIL" not in proc.stdout


def test_a_row_fails_when_either_reference_disagrees() -> None:
    from demos._common import Cmp

    assert Cmp(0.12345678, 0.1234568, 5e-8).passed  # printed to 7 decimals
    assert not Cmp(0.123, 0.1234568, 5e-8).passed
    assert Cmp(0.12345678, 0.1234568, 5e-8, exact=0.12345678, exact_tol=1e-12).passed
    assert not Cmp(0.12345678, 0.1234568, 5e-8, exact=0.123456781, exact_tol=1e-12).passed
    assert not Cmp(float("nan"), 1.0, 1e9).passed
    assert Cmp(2.0, None).passed  # no lecture number: nothing to fail


def test_all_ends_with_one_line_per_demo(monkeypatch, tmp_path: Path, capsys) -> None:
    import demos.taylor as taylor

    DEMOS = demos.DEMOS
    for name in DEMOS:  # the demos themselves are run above: here only the summary
        monkeypatch.setattr(demos.load(name), "run", lambda out, quick, plots: True)
    monkeypatch.setattr(taylor, "run", lambda out, quick, plots: False)
    assert main(["all", "--no-plots", "--out", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.rstrip("\n").splitlines()
    summary = lines[-len(DEMOS) - 1 :]
    assert summary[0].startswith(f"{len(DEMOS) - 1} of {len(DEMOS)} demos match")
    for name, line in zip(DEMOS, summary[1:]):
        assert line.split()[:2] == ["FAILED" if name == "taylor" else "ok", name], line


def test_a_closed_pipe_ends_the_demo_quietly(tmp_path: Path) -> None:
    # python -m demos all | head -1: the reader goes away after one line (unbuffered, so
    # the next line meets the closed pipe at once, not at exit)
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "demos", "all", "--quick", "--no-plots"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) != 0
    assert err == ""  # no traceback, no "Broken pipe" error


def test_logic_gates_leaves_the_bar_to_fit() -> None:
    source = (Path(demos.__file__).parent / "logic_gates.py").read_text(encoding="utf-8")
    assert "progress=True" not in source  # a bar only where fit would show one
