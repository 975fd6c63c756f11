"""``python -m autograd``: the same as the ``chaingrad`` command."""

from autograd.cli import main

if __name__ == "__main__":  # importing this module (as docs tools do) runs nothing
    raise SystemExit(main())
