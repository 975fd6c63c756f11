"""MkDocs hooks for chaingrad's site (mkdocs.yml, ``hooks:``).

- The reference pages are written here from the packages' ``__all__`` lists, so a
  new public name gets its entry (and tests/docs checks that every one did).
- The gallery runs the lecture demos (``python -m demos all``) into a temporary
  folder and adds their pictures, plus a self-contained player page for the demos
  that build one graph.
- Notebooks that other parts of the project bring (``OPTIONAL_NOTEBOOKS``) join the
  navigation once their file exists, so the strict build never points at nothing.
- The tutorials that also run in the browser get a "Run in your browser" link to
  the JupyterLite site that ``docs/build.py`` puts under ``site/lite/``.
"""

from __future__ import annotations

import html
import importlib
import posixpath
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# The tutorials copied into the JupyterLite site (docs/build.py reads this list): those
# that need nothing beyond chaingrad's own wheel (no torch, numpy, matplotlib, pytest).
LITE_NOTEBOOKS = ("tutorials/backprop_lecture_graph.ipynb",)

# (section title, nav entry title, file under docs/): shown once the file exists.
OPTIONAL_NOTEBOOKS = (
    ("Tutorials", "Practice: compute the gradients yourself", "backprop_by_hand.ipynb"),
    ("Tutorials", "Watch your model learn (the training view)", "training_view.ipynb"),
)

# Reference sections: module, page, and the groups its names are shown in. A name of
# ``__all__`` that no group lists goes under "More", so none is ever left out.
REFERENCE: dict[str, tuple[str, str, list[tuple[str, list[str]]]]] = {
    "autograd": (
        "reference/autograd.md",
        "The engine: values, derivatives, explanations, drawings and the player.",
        [
            (
                "Values and the graph",
                ["Value", "Parameter", "dot", "topological_order", "backpropagate"],
            ),
            (
                "Derivatives as functions",
                ["grad", "value_and_grad", "jacobian", "hessian", "numerical_grad", "gradcheck"],
            ),
            (
                "Why is this gradient what it is",
                ["explain", "backward_steps", "local_grads", "BackwardStep", "Contribution"],
            ),
            (
                "Drawing and the player",
                ["draw_dot", "render", "render_steps", "to_dot", "tree", "player", "Player"],
            ),
            ("Modes", ["no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly", "gc_paused"]),
            ("Compiling a training step", ["Compiled"]),
            ("Comparing with PyTorch", ["compare_with_torch"]),
            ("Errors and warnings", ["AnomalyError", "GradcheckError", "ConstantOutputWarning"]),
        ],
    ),
    "nn": (
        "reference/nn.md",
        "The neural-network library: modules, losses, optimizers, training, datasets.",
        [
            ("Modules", ["Module", "Neuron", "Layer", "MLP"]),
            ("Activations", ["ACTIVATIONS", "get_activation", "LeakyReLU"]),
            (
                "Losses and metrics",
                [
                    "mse_loss",
                    "hinge_loss",
                    "binary_cross_entropy",
                    "binary_cross_entropy_with_logits",
                    "cross_entropy",
                    "softmax",
                    "log_softmax",
                    "l2_penalty",
                    "accuracy",
                ],
            ),
            ("Optimizers", ["Optimizer", "SGD", "Adam"]),
            ("Training", ["fit"]),
            ("Datasets", ["datasets"]),
        ],
    ),
    "autograd.functions": (
        "reference/functions.md",
        "Every op as a function (a number in, a float out; a Value in, a Value out), "
        "importable from `autograd` by name: `autograd.tan(x)`.",
        [],
    ),
    "autograd.extend": (
        "reference/extend.md",
        "The stable surface for code built on the engine: ops you define, and `nn`'s needs.",
        [
            ("Defining an op", ["op", "RULES", "rule_of", "is_nary"]),
            (
                "For library code",
                ["Node", "Constant", "NoGradResult", "detached", "dot_unchecked", "identity"],
            ),
            ("Numbers", ["to_float", "nonnegative", "sign", "import_torch"]),
        ],
    ),
    "autograd.practice": (
        "reference/practice.md",
        "Quizzes on your own graphs, generated and lecture exercises, and checks of your own "
        "derivative rules and backward pass.",
        [
            ("Quizzes", ["quiz", "Quiz", "Report", "generate", "lecture", "lecture_text"]),
            ("Checking your own code", ["check_rule", "check_backward"]),
            ("Answer keys", ["accepts", "answer_key", "answer_keys"]),
        ],
    ),
    "autograd.testing": (
        "reference/testing.md",
        "The derivative test kit, for pytest or any test runner.",
        [
            ("Checks", ["assert_grads", "check_grads", "GradcheckError"]),
            ("The op catalogue", ["OPS", "Op"]),
        ],
    ),
}


def reference_page(module_name: str) -> str:
    """The Markdown of one reference page: every name of the module's ``__all__``."""
    module = importlib.import_module(module_name)
    _, intro, groups = REFERENCE[module_name]
    public = list(module.__all__)
    listed = {name for _, names in groups for name in names}
    more = [name for name in public if name not in listed]
    if more:
        groups = [*groups, ("More", more)]
    lines = [f"# `{module_name}`", "", intro, ""]
    lines += [
        f"::: {module_name}",
        "    options:",
        "      members: false",
        "      show_root_heading: false",
        "",
    ]
    for title, names in groups:
        names = [n for n in names if n in public]
        if not names:
            continue
        lines += [f"## {title}", ""]
        for name in names:
            lines += [f"::: {module_name}.{name}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)


def on_config(config: Any) -> Any:
    for section, title, path in OPTIONAL_NOTEBOOKS:
        if not (DOCS / path).is_file():
            continue
        for entry in config["nav"]:
            if isinstance(entry, dict) and section in entry:
                entry[section].insert(2, {title: path})
    return config


_GALLERY_DIR: tempfile.TemporaryDirectory[str] | None = None


def _run_demos(out: Path) -> None:
    """The pictures of every demo, as ``python -m demos all`` draws them."""
    result = subprocess.run(
        [sys.executable, "-m", "demos", "all", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"python -m demos all failed:\n{result.stdout}\n{result.stderr}")


def _players(out: Path) -> dict[str, list[tuple[str, str]]]:
    """Player pages for the demos that build one graph: demo -> [(file, caption)]."""
    from autograd import Value, player

    graph = importlib.import_module("demos.computation_graph").build(5.0, 3.0, 2.0)
    bp = importlib.import_module("demos.backprop_by_hand")
    network = bp.network({k: bp.INPUTS[k] for k in bp.PARAMS})
    gates = importlib.import_module("demos.logic_gates")
    x1, x2 = Value(1.0, label="x1"), Value(0.0, label="x2")
    xor = gates.xor(x1, x2)
    xor.label = "xor"
    pages = {
        "computation_graph": [
            ("computation_graph.html", graph["J"], "J = 3(a + b·c) at a = 5, b = 3, c = 2")
        ],
        "backprop_by_hand": [
            (
                "backprop_by_hand.html",
                network["E_total"],
                "the 2-2-2 network's squared error at i1 = .05, i2 = .10",
            )
        ],
        "logic_gates": [
            ("logic_gates.html", xor, "XOR from the OR, NAND and AND neurons at x1 = 1, x2 = 0")
        ],
    }
    (out / "players").mkdir()
    made: dict[str, list[tuple[str, str]]] = {}
    for demo, entries in pages.items():
        for filename, root, caption in entries:
            player(root).save(out / "players" / filename)
            made.setdefault(demo, []).append((filename, caption))
    return made


def gallery_page(out: Path, players: dict[str, list[tuple[str, str]]]) -> str:
    demos = importlib.import_module("demos")
    lines = [
        "# Gallery: the lecture demos",
        "",
        "The 13 worked examples of the lecture notes, as `python -m demos all` runs them "
        "when this site is built: each checks its numbers against the notes and draws "
        "these pictures. Run one with `python -m demos NAME`; `python -m demos` lists "
        "them. The players are the same self-contained pages `autograd.player` saves: "
        "step through the forward and backward pass with the buttons or the arrow keys.",
        "",
        # the notes, named where the gallery cites them (a test reads each title in one piece)
        "The lecture notes are five Chinese-language documents: the "
        '"Artificial Neural Networks" slides by Nicktming and the same author\'s blog post '
        "with the complete scripts (derivatives, gradient descent, the computation graph "
        "J = 3(a + b·c), linear regression, a two-output sigmoid network); a university lecture, "
        '"Neural network basics, numpy implementation" (logic gates, logistic regression, '
        "softmax, a 3-4-4-3 forward pass, the diamond network); the 2017 course notes "
        '"Deep learning – background and introduction" (activations, Taylor series); and notes '
        "on Andrew Ng's deep-learning course. Where the notes print numbers that come from a "
        "slip in their own code (the graph loop's `derivative_J_v = v`, the 2-D example's "
        "`4*y`), the demo shows both the correct run and the one that reproduces the printed "
        "table.",
        "",
    ]
    for name in demos.DEMOS:
        module = demos.load(name)
        lines += [
            f"## {name}",
            "",
            f"{module.DESCRIPTION}.",
            "",
            f"```sh\npython -m demos {name}\n```",
            "",
        ]
        for picture in module.FILES:
            path = out / picture
            if path.is_dir():
                pages = sorted(p.name for p in path.iterdir())
                lines += [
                    f"The backward pass as a flip book ({len(pages)} pages, "
                    "`autograd.render_steps`):",
                    "",
                ]
                lines += [f"![{name}: {p}]({name}/{picture}/{p})" for p in pages]
                lines.append("")
            else:
                lines += [f"![{name}: {picture}]({name}/{picture})", ""]
        for filename, caption in players.get(name, []):
            lines += [
                f"The player: {html.escape(caption)} ([open it alone](players/{filename})).",
                "",
                f'<iframe class="chaingrad-gallery-player" src="players/{filename}" '
                f'title="player: {html.escape(caption)}" loading="lazy" '
                'style="width: 100%; height: 560px; border: 1px solid #ccc">'
                "</iframe>",
                "",
            ]
    return "\n".join(lines)


def on_files(files: Files, config: Any) -> Files:
    global _GALLERY_DIR
    for module_name, (page, _, _) in REFERENCE.items():
        files.append(File.generated(config, page, content=reference_page(module_name)))

    _GALLERY_DIR = tempfile.TemporaryDirectory(prefix="chaingrad-gallery-")
    out = Path(_GALLERY_DIR.name)
    _run_demos(out)
    players = _players(out)
    demos = importlib.import_module("demos")
    for name in demos.DEMOS:
        for picture in demos.load(name).FILES:
            path = out / picture
            for p in sorted(path.iterdir()) if path.is_dir() else [path]:
                rel = p.relative_to(out).as_posix()
                files.append(File.generated(config, f"gallery/{name}/{rel}", abs_src_path=str(p)))
    for p in sorted((out / "players").iterdir()):
        files.append(File.generated(config, f"gallery/players/{p.name}", abs_src_path=str(p)))
    files.append(File.generated(config, "gallery/index.md", content=gallery_page(out, players)))
    return files


# A relative link in a notebook's Markdown cell: mkdocs rewrites the links of .md pages
# to their .html, but a notebook's HTML comes from nbconvert, so its links to other
# notebooks (written as .ipynb, which also work on a code host) are rewritten here.
_NOTEBOOK_LINK = re.compile(r'href="(?![a-z]+:|/|#)([^"#?]+)\.(ipynb|md)(#[^"]*)?"')


def _page_links(html_text: str, page: Any, files: Files) -> str:
    base = posixpath.dirname(page.file.src_uri)

    def fix(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(base, f"{m.group(1)}.{m.group(2)}"))
        if files.get_file_from_path(target) is None:
            return m.group(0)  # not a page of the site: leave it for the link check to see
        return f'href="{m.group(1)}.html{m.group(3) or ""}"'

    return _NOTEBOOK_LINK.sub(fix, html_text)


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    src = page.file.src_uri
    if src.endswith(".ipynb"):
        html_text = _page_links(html_text, page, files)
    if src in LITE_NOTEBOOKS:
        depth = src.count("/")
        link = "../" * depth + f"lite/notebooks/index.html?path={Path(src).name}"
        banner = (
            '<p class="chaingrad-run-in-browser"><a class="md-button md-button--primary" '
            f'href="{link}">Run in your browser</a> JupyterLite: Python in this page, '
            "nothing to install (the first cell installs the chaingrad wheel shipped "
            "with this site).</p>"
        )
        return banner + html_text
    return html_text


def on_post_build(config: Any) -> None:
    global _GALLERY_DIR
    if _GALLERY_DIR is not None:
        _GALLERY_DIR.cleanup()
        _GALLERY_DIR = None
