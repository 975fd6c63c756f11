"""Practice mode: the learner computes gradients by hand, chaingrad checks them.

- ``quiz(root)``: the graph with its gradients hidden. ``q.answer("b", 6)`` records an answer,
  ``q.check()`` returns a ``Report``: each asked value ✓ or ✗ in backward order and, for the first
  wrong one, ``explain``'s line with the learner's number beside it and a hint naming the likely
  mistake. ``q.show()`` prints the graph as a tree with ``?`` where answers are expected.
- ``generate(level, seed)``: a small graph to practise on, the same for the same seed.
- ``lecture(name)``: the lecture notes' own exercises, with their numbers.
- ``check_rule(op, fn)``: a learner's local derivative against the engine's rule;
- ``check_backward(cls)``: a learner's own micrograd-style value class against chaingrad
  (these two, and ``Report``, live in ``autograd.practice.engines``; import them from here).

The contract:

- Right answers come from the engine: gradients from ``backward_steps``, local derivatives from
  ``local_grads`` (the op's own rule at an output gradient of 1), the written computation from
  ``explain``. No derivative is restated here; the hints re-run the op's rule on changed inputs.
- One acceptance rule everywhere (``accepts``, ``answer_key``, ``answer_keys``, defined once in
  ``autograd.display.answers`` and used by ``Quiz.check`` and the practice page alike): an
  answer is right when it rounds to the same 3 significant digits as the right value, or as a
  number that agrees with it to 4 significant digits (so a learner who rounded along the way
  still passes). Zero is only matched by zero.
- For graders: ``q.check(strict=True)``, ``check_rule`` and ``check_backward`` raise
  ``AssertionError`` with the report as its message (``Report.assert_ok()`` does the same), so
  a quiz works as a hidden test in nbgrader or pytest. Nothing here imports pytest or hypothesis.
"""

from autograd.display.answers import accepts, answer_key, answer_keys
from autograd.practice.engines import Report, check_backward, check_rule
from autograd.practice.exercises import Quiz, generate, lecture, lecture_text, quiz

__all__ = [
    "Quiz",
    "Report",
    "accepts",
    "answer_key",
    "answer_keys",
    "check_backward",
    "check_rule",
    "generate",
    "lecture",
    "lecture_text",
    "quiz",
]
