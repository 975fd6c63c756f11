"""Everything a person sees: text, trees, drawings, the flip book and the player page.

- ``steps``: the backward pass as data (``backward_steps``, ``local_grads``);
- ``view``: ``GraphView``, what every picture shows of one graph, computed once (names,
  roles, local derivatives, the backward pass and its lines of text, size limits);
- ``text``: ``explain`` and ``tree``;
- ``drawing``: ``to_dot``, ``draw_dot``, ``render`` and ``render_steps``;
- ``page``: ``player``, the self-contained page that steps through backward;
- ``formatting``: how a number and a label are shown;
- ``answers``: when a learner's number counts as the right one (practice pages and quizzes).
"""

from autograd.display.drawing import draw_dot, render, render_steps, to_dot
from autograd.display.page import Player, player
from autograd.display.steps import BackwardStep, Contribution, backward_steps, local_grads
from autograd.display.text import explain, tree
from autograd.display.view import GraphView

__all__ = [
    "BackwardStep",
    "Contribution",
    "GraphView",
    "Player",
    "backward_steps",
    "draw_dot",
    "explain",
    "local_grads",
    "player",
    "render",
    "render_steps",
    "to_dot",
    "tree",
]
