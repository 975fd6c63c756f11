"""Command line: ``python -m demos [NAME|all] [--out DIR] [--quick] [--no-plots]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from demos import DEMOS, load


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line: the message, and where the usage is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m demos",
        description="Run the lecture notes' worked examples with chaingrad. "
        "Without a name, list the demos.",
    )
    p.add_argument("name", nargs="?", help="a demo name, or 'all' to run every demo")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for the pictures (default: ./demo-output/); the demos that train a "
        "classifier (moons, diamond, logic_gates) also write there the replay page of "
        "their training, <demo>_training.html (open it in a browser)",
    )
    p.add_argument("--quick", action="store_true", help="shrink long trainings (for tests)")
    p.add_argument("--no-plots", action="store_true", help="print the tables only")
    return p


def list_demos() -> None:
    print("chaingrad demos: the lecture notes' worked examples.\n")
    width = max(len(n) for n in DEMOS)
    for name in DEMOS:
        print(f"  {name.ljust(width)}  {load(name).DESCRIPTION}")
    print("\nRun one with `python -m demos NAME`, every one with `python -m demos all`.")
    print("Options: --out DIR (pictures, default ./demo-output/), --quick, --no-plots.")
    print("moons, diamond and logic_gates also write DIR/<demo>_training.html: their training.")


def run_one(name: str, out: Path, quick: bool, plots: bool) -> bool:
    module = load(name)
    title = f"== {name}: {module.DESCRIPTION}"
    print(title)
    print("=" * min(len(title), 88))
    return bool(module.run(out, quick=quick, plots=plots))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.name is None:
        list_demos()
        return 0
    names = list(DEMOS) if args.name == "all" else [args.name]
    if args.name != "all" and args.name not in DEMOS:
        print(
            f"unknown demo {args.name!r}; choose one of: all, {', '.join(DEMOS)}", file=sys.stderr
        )
        return 2
    if not args.no_plots and (problem := _not_a_folder(args.out)):
        print(f"python -m demos: error: --out {args.out}: {problem}", file=sys.stderr)
        return 2
    failed = []
    took: dict[str, float] = {}
    for i, name in enumerate(names):
        if i:
            print("\n")
        start = time.perf_counter()
        try:
            ok = run_one(name, args.out, args.quick, not args.no_plots)
        except BrokenPipeError:
            raise  # the reader of the output went away (| head): see _quietly
        except OSError as e:  # a picture could not be written (permissions, a full disk)
            print(f"python -m demos: error: {name}: {e}", file=sys.stderr)
            return 1
        if not ok:
            failed.append(name)
        took[name] = time.perf_counter() - start
        if len(names) > 1:
            print(f"({name} took {took[name]:.1f} s)")
    if len(names) > 1:
        print()
        print(
            f"{len(names) - len(failed)} of {len(names)} demos match the lecture"
            + (f"; FAILED: {', '.join(failed)}" if failed else ".")
        )
        width = max(map(len, names))
        for name in names:  # one line a demo, to find a failure without scrolling
            status = "FAILED" if name in failed else "ok"
            print(f"  {status:<6} {name.ljust(width)}  {took[name]:6.1f} s")
    return 1 if failed else 0


def _not_a_folder(out: Path) -> str | None:
    """Why the pictures cannot go into ``out`` (a file is in the way), or None."""
    for path in (out, *out.parents):
        if path.exists():
            return None if path.is_dir() else f"{path} is a file, not a folder"
    return None


def _quietly() -> int:
    """``main()``, ending quietly when the reader of the output goes away (``| head``)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would flush stdout again at exit and print the error: point it at
        # devnull first (as the documentation of signal.SIGPIPE recommends)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(_quietly())
