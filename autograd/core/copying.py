"""``copy``, ``deepcopy`` and ``pickle`` of graph nodes, at any depth.

A node refers to its inputs, so the obvious reduction (a node's state names
its parents) makes the pickler and ``deepcopy`` recurse as deep as the graph:
RecursionError near a depth of 1,000. Both are made flat here:

- ``deepcopy`` (``Value.__deepcopy__``) copies the node's graph in one loop
  over its ancestors, inputs first, through the memo that ``copy.deepcopy``
  passes: nodes copied before (a model's parameters copied together with a
  loss) are reused and not walked again, and sharing is kept.
- ``pickle`` (``Value.__reduce_ex__``) cannot see the pickler's memo. A node
  pickled on its own (the *root* of a session) puts the flat list of its
  ancestors, inputs first, in front of its own state, and marks them *covered*
  for this thread. The pickler saves that list one node after the other, and a
  covered node reduces to its own fields only, naming inputs that are already
  saved: the depth of the pickler's recursion no longer grows with the graph.
  Object identity is the pickler's own (every node is saved as itself), so
  nodes shared between several roots, or with a model pickled in the same
  call, come back as one object.

  A gradient that is itself a graph (after ``backward(create_graph=True)``)
  refers back into the graph, so a covered node leaves such a gradient to its
  session, which saves it after the whole list (``_Grads``), when every node
  it refers to exists. Sessions started meanwhile (for such gradients) list
  only the ancestors not saved yet in this pickling (the *saved* marks), so
  the total work stays linear. The session ends with a token whose reduction
  clears the marks left (nodes the pickler had memoized before, so never
  reduced); if pickling fails half way, the pickler drops the session, whose
  ``__del__`` clears them too. Marks are per thread, so threads may pickle at
  the same time. (Were a failed session kept alive, say by a traceback of the
  pure-Python pickler, its stale marks could only make a later pickling
  recurse deeper, never change what it saves: every node still names its own
  inputs.)

Nodes copied or unpickled have ``_mark = None``; rules come back as the
engine's own objects (functions by reference, rules with a constant through
their cached factory) and ``_MANY`` as the engine's marker. Pickles are for
the same version of chaingrad.
"""

from __future__ import annotations

import copy
import copyreg
import operator
import threading
from typing import Any

from autograd.core.graph import topological_order
from autograd.core.node import MANY as _MANY
from autograd.core.node import Node

_new = object.__new__
# The fields a copy carries: every slot but the traversal scratch _mark (so a
# slot added to Node later is carried too), and where the ones that name
# other nodes sit.
_FIELDS = tuple(s for s in Node.__slots__ if s != "_mark")
_A, _B, _GRAD = _FIELDS.index("_a"), _FIELDS.index("_b"), _FIELDS.index("grad")
_OTHERS = [i for i, name in enumerate(_FIELDS) if name not in ("_a", "_b", "grad", "_rule")]
_ATOMIC = frozenset((float, str, int, bool, type(None)))
_UNSET = object()  # a slot never assigned
_get_fields = operator.attrgetter(*_FIELDS)


class _Marks(threading.local):
    """Per thread: the nodes covered by an active session (id -> (node, the
    session's list of graph gradients: not the session itself, so that a
    failed pickling frees its session, whose ``__del__`` clears the marks)),
    the nodes reduced while a session is active (in the pickler's memo from
    then on), and how many sessions are active."""

    def __init__(self) -> None:
        self.covered: dict[int, tuple[Node, list[tuple[Node, Any]]]] = {}
        self.saved: dict[int, Node] = {}
        self.active = 0


_marks = _Marks()


def _fields(v: Node) -> list[Any]:
    try:
        return list(_get_fields(v))
    except AttributeError:  # a slot never assigned
        return [getattr(v, name, _UNSET) for name in _FIELDS]


def _assign(v: Node, fields: tuple[Any, ...] | list[Any]) -> None:
    for name, value in zip(_FIELDS, fields):
        if value is not _UNSET:
            setattr(v, name, value)
    v._mark = None


def _ancestors(root: Node, known: dict[int, Any]) -> list[Node]:
    """The ancestors of ``root`` not in ``known`` (by id), inputs first; the
    ancestors of known nodes are not visited. An explicit stack, no recursion."""
    order: list[Node] = []
    state: dict[int, bool] = {}  # False: parents pushed; True: emitted
    stack = [root]
    while stack:
        v = stack[-1]
        done = state.get(id(v))
        if done is None:
            state[id(v)] = False
            for p in reversed(v.parents):
                if id(p) not in known and id(p) not in state:
                    stack.append(p)
        else:
            stack.pop()
            if not done:
                state[id(v)] = True
                order.append(v)
    order.pop()  # root itself
    return order


# ---------------------------------------------------------------- pickle


def _restore(cls: type[Node]) -> Node:
    """A blank node of class ``cls``, filled in by ``setstate``."""
    v = _new(cls)
    v._mark = None
    return v


def _set_grads(pairs: list[tuple[Node, Node]]) -> None:
    """Unpickling: give covered nodes their graph gradients, once the graph exists."""
    for node, g in pairs:
        node.grad = g


class _Grads:
    """In a root's state, after its ancestors: reduces to the graph gradients
    that the session's covered nodes left out."""

    __slots__ = ("session",)

    def __init__(self, session: _Session) -> None:
        self.session = session

    def __reduce__(self) -> tuple[Any, ...]:
        return (_set_grads, (self.session.graph_grads,))


class _Session:
    """One root's pickling: marks its ancestors covered; ``end`` (its reduction,
    the last item of the root's state; or its deletion, if pickling failed
    before that) clears the marks that are left."""

    __slots__ = ("ids", "graph_grads", "open")

    def __init__(self, nodes: list[Node]) -> None:
        marks = _marks
        covered = marks.covered
        self.ids: list[int] = []
        self.graph_grads: list[tuple[Node, Node]] = []
        self.open = True  # first: if marking fails half way, __del__ clears what was marked
        marks.active += 1
        grads = self.graph_grads
        marking = {id(v): (v, grads) for v in nodes}
        if covered:  # inside another session: leave its marks alone
            marking = {i: e for i, e in marking.items() if i not in covered}
        covered.update(marking)
        self.ids = list(marking)

    def end(self) -> None:
        if not self.open:
            return
        self.open = False
        marks = _marks
        pop = marks.covered.pop
        for i in self.ids:
            pop(i, None)
        self.ids = []
        marks.active -= 1
        if marks.active <= 0:  # the outermost session: the pickling is over
            marks.active = 0
            marks.saved.clear()
            marks.covered.clear()

    def __reduce__(self) -> tuple[Any, ...]:
        self.end()
        return (_ended, ())

    def __del__(self) -> None:
        self.end()


def _ended() -> None:
    """What a session token unpickles to."""


def reduce(v: Node, protocol: int) -> tuple[Any, ...]:
    """``Value.__reduce_ex__``: see the module docstring."""
    new: Any = copyreg.__newobj__ if protocol >= 2 else _restore  # type: ignore[attr-defined]
    cls = v.__class__
    marks = _marks
    entry = marks.covered.pop(id(v), None)
    if entry is not None and entry[0] is v:  # its ancestors are all saved before it
        marks.saved[id(v)] = v
        fields = _fields(v)
        if isinstance(fields[_GRAD], Node):
            entry[1].append((v, fields[_GRAD]))
            fields[_GRAD] = 0.0  # restored by _set_grads, once the graph exists
        return (new, (cls,), tuple(fields))
    if marks.active:
        marks.saved[id(v)] = v
    if v._a is None:  # a leaf: nothing to flatten
        return (new, (cls,), tuple(_fields(v)))
    if marks.saved:  # inside another session: stop at what is saved already
        ancestors = _ancestors(v, marks.saved)
    else:
        ancestors = topological_order(v)
        ancestors.pop()  # v itself
    session = _Session(ancestors)
    marks.saved[id(v)] = v
    return (new, (cls,), (ancestors, tuple(_fields(v)), _Grads(session), session))


def setstate(v: Node, state: tuple[Any, ...]) -> None:
    """``Value.__setstate__``: the state made by ``reduce``."""
    if len(state) == 4 and isinstance(state[0], list):  # a root: (ancestors, fields, _, _)
        _assign(v, state[1])
    else:
        _assign(v, state)


# ---------------------------------------------------------------- copy, deepcopy


def shallow_copy(v: Node) -> Node:
    """``copy.copy``: a new node with the same fields, sharing the inputs."""
    twin = _new(v.__class__)
    _assign(twin, _fields(v))
    return twin


def deep_copy(v: Node, memo: dict[int, Any]) -> Node:
    """``copy.deepcopy``: copy the graph of ``v`` in one loop, inputs first,
    reusing (and not walking past) what ``memo`` already holds."""
    done = memo.get(id(v))
    if done is not None:
        return done  # type: ignore[no-any-return]
    order = _ancestors(v, memo) if v._a is not None else []
    order.append(v)
    memo.setdefault(id(memo), []).append(order)  # keep the originals' ids valid
    made: list[tuple[Node, Node]] = []
    for u in order:
        twin = _new(u.__class__)
        memo[id(u)] = twin
        fields = _fields(u)
        a, b = fields[_A], fields[_B]
        if b is _MANY:
            fields[_A] = tuple([memo[id(p)] for p in a])
        else:
            if a is not None:
                fields[_A] = memo[id(a)]
            if b is not None:
                fields[_B] = memo[id(b)]
        for i in _OTHERS:  # data, label and any later slot (rules are shared, never copied)
            value = fields[i]
            if value.__class__ not in _ATOMIC and value is not _UNSET:
                fields[i] = copy.deepcopy(value, memo)
        graph_grad = isinstance(fields[_GRAD], Node)
        if graph_grad:
            fields[_GRAD] = 0.0  # copied below, once the whole graph exists
        _assign(twin, fields)
        if graph_grad:
            made.append((u, twin))
    for u, twin in made:
        twin.grad = copy.deepcopy(u.grad, memo)
    return memo[id(v)]  # type: ignore[no-any-return]
