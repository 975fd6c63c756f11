"""``python -m autograd``: the same as the ``chaingrad`` command."""

from autograd.cli import main

raise SystemExit(main())
