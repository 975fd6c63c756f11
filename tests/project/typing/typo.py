"""The same kind of script with a typo that mypy must catch (J.bakward())."""

from autograd import Value

J = 3 * (Value(5.0) + Value(3.0) * Value(2.0))
J.bakward()
