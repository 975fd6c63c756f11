"""Everything a person sees: text, trees, drawings, the flip book and the player page.

- ``steps``: the backward pass as data (``backward_steps``, ``local_grads``) and as
  text (``explain``);
- ``drawing``: ``to_dot``, ``draw_dot``, ``render``, ``render_steps`` and ``tree``;
- ``page``: ``player``, the self-contained page that steps through backward;
- ``formatting``: how a number and a label are shown.
"""

from autograd.display.drawing import draw_dot, render, render_steps, to_dot, tree
from autograd.display.page import Player, player
from autograd.display.steps import (
    BackwardStep,
    Contribution,
    backward_steps,
    explain,
    local_grads,
)

__all__ = [
    "BackwardStep",
    "Contribution",
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
