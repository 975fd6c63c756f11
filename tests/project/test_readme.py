"""What the README tells a reader to run or read is true: its code runs and writes into the
current folder (never over the repository's files), the practice report it shows is what the
code prints, its links lead to files that exist, the lecture notes are named where they are
cited, and "How it is built" shows the rooms that exist, with a contributor's guide beside it.
The drawing example moved with the reference material to docs/how-to/graphs_for_slides.md."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SLIDES = ROOT / "docs" / "how-to" / "graphs_for_slides.md"


def _python_blocks(text: str = README) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_drawing_example_writes_to_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    slides = SLIDES.read_text(encoding="utf-8")
    (block,) = [b for b in _python_blocks(slides) if "graph_before.svg" in b]
    paths = re.findall(r'render\(J, "([^"]+)"\)', block)
    assert paths and all(os.path.dirname(p) == "" for p in paths), paths
    monkeypatch.chdir(tmp_path)
    exec(compile(block, str(SLIDES), "exec"), {})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(paths)


def test_the_readme_code_runs_and_writes_only_into_the_current_folder(
    tmp_path: Path, monkeypatch
) -> None:
    blocks = [b for b in _python_blocks() if not b.startswith(">>>")]  # doctests: test_explain
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        # the training example at 100 epochs takes half a minute with its replay page; the
        # same code at 3 epochs shows that it runs and where it writes
        block = block.replace("epochs=100", "epochs=3")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, "README.md", "exec"), {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["J.html", "train.html"]


def test_the_practice_report_is_what_the_code_prints() -> None:
    section = README.split("## Practice: backprop by hand, checked", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue() == shown


def test_the_readme_links_lead_to_files() -> None:
    links = re.findall(r"\]\(((?:docs/|CONTRIBUTING)[^)#]*)\)", README)
    assert len(links) >= 20
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing, missing


def test_the_lecture_notes_are_named_where_cited() -> None:
    tour = README.split("## Tour of the lecture notes", 1)[1].split("\n## ", 1)[0]
    gallery = (ROOT / "docs" / "hooks.py").read_text(encoding="utf-8")  # the gallery's intro
    for title in ("Artificial Neural Networks", "Neural network basics", "Andrew Ng"):
        assert title in tour and title in gallery
    first = README.split("## ", 1)[0]
    assert "lecture notes" in first and "(#tour-of-the-lecture-notes)" in first


def test_how_it_is_built_shows_the_rooms_that_exist() -> None:
    built = README.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    tree = built.split("```", 2)[1]
    for room in ("core", "display", "compiler", "testing"):
        assert re.search(rf"^  {room}/ ", tree, flags=re.M) and (ROOT / "autograd" / room).is_dir()
    for line in tree.splitlines()[1:]:
        name = line.split()[0] if line.strip() else ""
        if name.endswith(".py") and line.startswith("  "):
            for part in name.rstrip(",").split(","):
                assert (ROOT / "autograd" / part.strip()).is_file(), part
    assert "autograd/engine.py" not in built and "backprop.py" not in built
    assert "CONTRIBUTING.md" in built and (ROOT / "CONTRIBUTING.md").is_file()


def test_the_contributors_guide_names_what_exists() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "`_rule(" in guide and "`RULES`" in guide and "tests/project/test_house.py" in guide
    for path in re.findall(r"`((?:autograd|nn|tests|demos|benchmarks)/[\w/.]+?)`", guide):
        assert (ROOT / path).exists(), path
    for path, test in re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", guide):
        assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), test
