"""Command line: ``python -m demos [NAME|all] [--out DIR] [--quick] [--no-plots]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from demos import DEMOS, load


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m demos",
        description="Run the lecture notes' worked examples with chaingrad. "
        "Without a name, list the demos.",
    )
    p.add_argument("name", nargs="?", help="a demo name, or 'all' to run every demo")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for the pictures (default: ./demo-output/)",
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
    failed = []
    for i, name in enumerate(names):
        if i:
            print("\n")
        start = time.perf_counter()
        if not run_one(name, args.out, args.quick, not args.no_plots):
            failed.append(name)
        if len(names) > 1:
            print(f"({name} took {time.perf_counter() - start:.1f} s)")
    if len(names) > 1:
        print()
        print(
            f"{len(names) - len(failed)} of {len(names)} demos match the lecture"
            + (f"; FAILED: {', '.join(failed)}" if failed else ".")
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
