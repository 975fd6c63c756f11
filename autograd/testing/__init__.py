"""A test kit for derivatives: ``assert_grads``, ``check_grads`` and the catalogue ``OPS``.

    from autograd.testing import OPS, assert_grads

    def test_my_loss():
        assert_grads(my_loss, 0.5, -1.2, expected=[0.25, 3.0], order=2)

On failure, an ``AssertionError`` (``autograd.GradcheckError``) whose message
is a table: each derivative named by its argument's label, the engine's value,
central differences, the hand-computed value, their difference and the
tolerance that would have passed. ``autograd.testing.strategies`` has
hypothesis strategies over the catalogue (hypothesis is imported only there,
when a strategy is made); neither this package nor ``autograd`` imports
hypothesis or pytest.

Examples:
    >>> from autograd.testing import OPS, assert_grads
    >>> len(OPS) > 40, sorted(op.name for op in OPS)[:3]
    (True, ['-x', '2**x', 'abs'])
    >>> assert_grads(lambda a, b: a.sin() * b, 0.5, 2.0, order=2)
"""

from autograd.functional import GradcheckError
from autograd.testing.catalogue import OPS, Op
from autograd.testing.checks import assert_grads, check_grads

__all__ = ["OPS", "GradcheckError", "Op", "assert_grads", "check_grads"]
