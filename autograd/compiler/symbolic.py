"""An op's own functions turned into Python source, by running them on symbols.

``autograd.compile`` replays a graph as straight-line Python. To write the code
for one node it needs the float operations its op performs, and those live in
one place only: the rule's tags in ``autograd/engine.py`` (``rule.forward``,
the rule itself, ``rule.accumulate`` for the n-ary ops). This module runs
those functions on placeholder objects (``Sym``) that record the arithmetic
they undergo as an expression graph:

- ``+ - *``, unary ``-``, ``abs`` and division by a non-zero constant are
  recorded as they are written, operands in the same order (so the replay
  performs the same IEEE operations);
- a comparison must be decided: the function is run once per combination of
  outcomes (each run follows a path of decisions), and the results are merged
  into conditional expressions, so data-dependent rules (relu, abs, the power
  rule at 0) keep their branches;
- whatever the symbols cannot follow (a C math function reading the number, a
  division that could raise, a power) raises ``CannotFollow``, and the nearest
  enclosing function of the engine's own modules becomes a plain call of that
  function (``_ieee.log(x)``, ``math.tanh(x)``), bound in the generated code's
  namespace. In the worst case the whole rule is called as it is, so any op
  that follows the engine's conventions compiles correctly, if slower.

The engine's functions are executed as written: the functions of its modules
run with a copy of their module's globals (``_shadow``) in which ``_ieee``'s
and the engine's functions become such boundaries and ``builtins.sum`` records
a call of ``sum`` (its float summation differs between Python versions, so it
is replayed by the same ``sum``). Nothing here restates a derivative.

Every template is then checked: its source, compiled, must give bitwise the
same results as the function it came from on a set of probe inputs (special
values and random numbers); if not, the plain call is used instead.
"""

from __future__ import annotations

import builtins
import math
import operator
import re
import struct
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from autograd.compiler import bytecode as _bytecode
from autograd.compiler.names import literal, namespace, register, same

_DEPTH_LIMIT = 100  # deeper expressions are written as one statement per operation
_MAX_PATHS = 64  # decision paths per function before it becomes a plain call
_MAX_DECISIONS = 24
_PROBES = 40


class CannotFollow(BaseException):
    """The symbols cannot follow what the code does (a BaseException, so that
    the code's own ``except Exception`` handlers never swallow it)."""


# Names in generated code: see autograd.compiler.names.
_lock = threading.RLock()


# ---------------------------------------------------------------- symbols

VAR, CONST, BIN, NEG, ABS, CALL, SUM, COND, CMP = range(9)
_PREC = {"+": 2, "-": 2, "*": 3, "/": 3, "%": 3, "//": 3, "**": 5}
_ATOM = 9


class Sym:
    """A node of a recorded expression. ``kind`` is one of VAR (``a`` its
    field), CONST (``a`` the number), BIN (operator ``a``, operands ``b``,
    ``c``), NEG/ABS (operand ``b``), CALL (registered name ``a``, arguments
    ``b``), SUM (items ``b``), COND (``b if a else c``), CMP (``b a c``).
    Equal expressions are one object (hash-consed per build)."""

    __slots__ = ("kind", "a", "b", "c", "depth", "cond")

    def __init__(self, kind: int, a: Any, b: Any, c: Any, depth: int, cond: bool) -> None:
        self.kind, self.a, self.b, self.c, self.depth, self.cond = kind, a, b, c, depth, cond

    def __repr__(self) -> str:
        return f"<Sym {_KIND_NAMES[self.kind]} {self.a!r}>"

    # arithmetic, recorded in the order written
    def __add__(self, o: Any) -> Any:
        return _bin("+", self, o)

    def __radd__(self, o: Any) -> Any:
        if type(o) is int and o == 0:  # builtins.sum's start: its summation is not ours
            raise CannotFollow("sum")
        return _bin("+", o, self)

    def __sub__(self, o: Any) -> Any:
        return _bin("-", self, o)

    def __rsub__(self, o: Any) -> Any:
        return _bin("-", o, self)

    def __mul__(self, o: Any) -> Any:
        return _bin("*", self, o)

    def __rmul__(self, o: Any) -> Any:
        return _bin("*", o, self)

    def __truediv__(self, o: Any) -> Any:
        d = _operand(o)
        if d is None:
            return NotImplemented
        if d.kind == CONST and d.a != 0:  # cannot raise
            return _bin("/", self, d)
        return _risky("/", self, d)

    def __rtruediv__(self, o: Any) -> Any:
        return _risky("/", o, self)

    def __neg__(self) -> Sym:
        return _mk(NEG, None, self, None)

    def __pos__(self) -> Sym:
        return self

    def __abs__(self) -> Sym:
        return _mk(ABS, None, self, None)

    # comparisons are decided (see _Run.decide)
    def __lt__(self, o: Any) -> Any:
        return _decide("<", self, o)

    def __le__(self, o: Any) -> Any:
        return _decide("<=", self, o)

    def __gt__(self, o: Any) -> Any:
        return _decide(">", self, o)

    def __ge__(self, o: Any) -> Any:
        return _decide(">=", self, o)

    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return _decide("==", self, o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return _decide("!=", self, o)

    def __bool__(self) -> bool:  # a float is true when it is not 0
        return bool(_decide("!=", self, 0.0))

    def __getattr__(self, name: str) -> Any:  # float methods (is_integer, hex, ...)
        raise CannotFollow(name)


def _cannot(name: str) -> Callable[..., Any]:
    def method(self: Sym, *args: Any) -> Any:
        raise CannotFollow(name)

    method.__name__ = name
    return method


# Everything else a float can do reads the number: not followed.
for _name in (
    "__float__ __int__ __index__ __complex__ __round__ __trunc__ __floor__ __ceil__ "
    "__divmod__ __rdivmod__ __format__ __hash__ __iter__ __len__ __getitem__ __call__"
).split():
    setattr(Sym, _name, _cannot(_name))


def _risky(op: str, x: Any, y: Any) -> Any:
    """An operation that may raise (``/`` by a variable; ``**``, ``%``, ``//``):
    written as it is where no code between it and the function being turned
    into a template could catch the exception (the replay then raises exactly
    where the function would), else not followed."""
    a, b = _operand(x), _operand(y)
    if a is None or b is None:
        return NotImplemented
    if not _unguarded():
        raise CannotFollow(op)
    return _mk(BIN, op, a, b)


def _reflected(op: str) -> Callable[[Sym, Any], Any]:
    return lambda self, o: _risky(op, o, self)


for _op, _names in (("**", "pow"), ("%", "mod"), ("//", "floordiv")):
    setattr(Sym, f"__{_names}__", lambda self, o, op=_op: _risky(op, self, o))
    setattr(Sym, f"__r{_names}__", _reflected(_op))

_KIND_NAMES = "VAR CONST BIN NEG ABS CALL SUM COND CMP".split()


def _operand(o: Any) -> Sym | None:
    if type(o) is Sym:
        return o
    if type(o) in (float, int, bool):
        return const(o)
    return None


def _bin(op: str, x: Any, y: Any) -> Any:
    a, b = _operand(x), _operand(y)
    if a is None or b is None:
        return NotImplemented
    if op in ("*", "/") and _is_one(b):  # x * 1.0 and x / 1.0 are x, bit for bit
        return a
    if op == "*" and _is_one(a):
        return b
    return _mk(BIN, op, a, b)


def _is_one(s: Sym) -> bool:
    return s.kind == CONST and type(s.a) is float and s.a == 1.0


# ---------------------------------------------------------------- builds and runs


class _Build:
    """One template under construction: its hash-consing table and memo."""

    def __init__(self) -> None:
        self.table: dict[Any, Sym] = {}
        self.memo: dict[Any, Any] = {}
        self.runs: list[_Run] = []


class _Run:
    """One execution along a path of decisions (``prefix``, then True)."""

    def __init__(self, prefix: list[bool], decisions: bool = True) -> None:
        self.prefix = prefix
        self.trail: list[tuple[Sym, bool]] = []
        self.known: dict[int, bool] = {}
        self.decisions = decisions

    def decide(self, cmp: Sym) -> bool:
        if not self.decisions:
            raise CannotFollow("comparison")
        known = self.known.get(id(cmp))
        if known is not None:
            return known
        i = len(self.trail)
        if i >= _MAX_DECISIONS:
            raise CannotFollow("too many comparisons")
        value = self.prefix[i] if i < len(self.prefix) else True
        self.trail.append((cmp, value))
        self.known[id(cmp)] = value
        return value


_build: _Build | None = None  # the build in progress (under _lock)


def _mk(kind: int, a: Any, b: Any, c: Any) -> Sym:
    build = _build
    if build is None:
        raise CannotFollow("no build")
    if kind == CONST:
        key: Any = (CONST, type(a), struct.pack("<d", a) if type(a) is float else a)
        depth, cond = 0, False
    elif kind == VAR:
        key, depth, cond = (VAR, a), 0, False
    else:
        kids = list(b) if kind in (CALL, SUM) else [b] if c is None else [b, c]
        if kind == COND:
            kids.append(a)
        key = (kind, a if kind != COND else id(a), tuple(map(id, kids)))
        depth = 1 + max((k.depth for k in kids), default=0)
        cond = kind == COND or any(k.cond for k in kids)
    sym = build.table.get(key)
    if sym is None:
        sym = build.table[key] = Sym(kind, a, b, c, depth, cond)
    return sym


def const(x: Any) -> Sym:
    return _mk(CONST, x, None, None)


def var(name: str) -> Sym:
    return _mk(VAR, name, None, None)


def _decide(op: str, x: Sym, y: Any) -> Any:
    other = _operand(y)
    if other is None:
        return NotImplemented
    build = _build
    if build is None or not build.runs:
        raise CannotFollow("comparison outside a run")
    return build.runs[-1].decide(_mk(CMP, op, x, other))


def _explore(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """Run ``fn(*args)`` along every path of decisions and merge the results
    into one (conditional) result. Raises CannotFollow."""
    build = _build
    assert build is not None
    paths: list[tuple[list[tuple[Sym, bool]], Any]] = []
    prefix: list[bool] = []
    while True:
        run = _Run(prefix)
        build.runs.append(run)
        try:
            result = fn(*args)
        finally:
            build.runs.pop()
        paths.append((run.trail, result))
        if len(paths) > _MAX_PATHS:
            raise CannotFollow("too many paths")
        trail = run.trail
        j = len(trail) - 1
        while j >= 0 and not trail[j][1]:
            j -= 1
        if j < 0:
            break
        prefix = [v for _, v in trail[:j]] + [False]
    return _merge(paths, 0)


def _merge(paths: list[tuple[list[tuple[Sym, bool]], Any]], depth: int) -> Any:
    # paths share their first `depth` decisions; split on the next one
    if len(paths) == 1 and len(paths[0][0]) == depth:
        return paths[0][1]
    cmp = paths[0][0][depth][0]
    yes = [p for p in paths if p[0][depth][1]]
    no = [p for p in paths if not p[0][depth][1]]
    if not yes or not no or any(p[0][depth][0] is not cmp for p in paths):
        raise CannotFollow("inconsistent paths")
    return _choose(cmp, _merge(yes, depth + 1), _merge(no, depth + 1))


def _choose(cmp: Sym, a: Any, b: Any) -> Any:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if type(a) is not type(b) or len(a) != len(b):
            raise CannotFollow("results differ in shape")
        return type(a)(_choose(cmp, x, y) for x, y in zip(a, b))
    x, y = _operand(a), _operand(b)
    if x is None or y is None:
        raise CannotFollow("result is not a number")
    return x if x is y else _mk(COND, cmp, x, y)


def _has_sym(args: Any) -> bool:
    for a in args:
        if type(a) is Sym:
            return True
        if type(a) in (list, tuple) and any(type(x) is Sym for x in a):
            return True
    return False


def _memo_key(fn: Any, args: tuple[Any, ...]) -> Any:
    parts: list[Any] = [id(fn)]
    for a in args:
        if type(a) is Sym:
            parts.append(("s", id(a)))
        elif type(a) in (float, int, bool):
            parts.append((type(a), struct.pack("<d", a) if type(a) is float else a))
        else:
            return None
    return tuple(parts)


def _boundary(shadow: Callable[..., Any], real: Callable[..., Any]) -> Callable[..., Any]:
    """``real`` as seen from shadowed code: called as is on plain values; on
    symbols, explored (its decisions stay its own), or else a plain call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs or not _has_sym(args):
            return real(*args, **kwargs)
        build = _build
        assert build is not None
        key = _memo_key(real, args)
        if key is not None and key in build.memo:
            hit = build.memo[key]
            if hit is CannotFollow:
                raise CannotFollow("memo")
            return hit
        try:
            result = _explore(shadow, args)
        except CannotFollow:
            if all(type(a) is Sym or type(a) in (float, int, bool) for a in args):
                result = _mk(CALL, register(real), tuple(_operand(a) for a in args), None)
            else:
                if key is not None:
                    build.memo[key] = CannotFollow
                raise
        if key is not None:
            build.memo[key] = result
        return result

    return call


# ---------------------------------------------------------------- shadow namespaces

# Before Python 3.12, sum() adds floats one after the other, exactly as `+`
# does; from 3.12 on it compensates rounding errors, and the replay calls sum.
_SUM_IN_ORDER = sys.version_info < (3, 12)


def _sum(iterable: Any, /, start: Any = 0) -> Any:
    """``sum`` seen from shadowed code."""
    items = list(iterable)
    if type(start) is not Sym and not any(type(x) is Sym for x in items):
        return builtins.sum(items, start)
    syms = [_operand(x) for x in items]
    if any(x is None for x in syms):
        raise CannotFollow("sum")
    zero = type(start) is int and start == 0  # the default start
    first = const(0) if zero else _operand(start)
    if first is None:
        raise CannotFollow("sum start")
    if _SUM_IN_ORDER:
        total = first
        for x in syms:
            total = _mk(BIN, "+", total, x)
        return total
    return _mk(SUM, None, tuple(syms), None if zero else first)


_builtins_proxy = types.SimpleNamespace(**{**vars(builtins), "sum": _sum})
_shadow_builtins = {**vars(builtins), "sum": _sum}


class _ModuleProxy:
    """A project module seen from shadowed code: its functions are boundaries."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module
        self._globals = _shadows.globals_of(vars(module))

    def __getattr__(self, name: str) -> Any:
        return self._globals.get(name, getattr(self._module, name))


class _MathProxy:
    """``math`` seen from shadowed code: a function given a symbol becomes a
    call of that function where it may raise as it is (see ``_risky``)."""

    def __getattr__(self, name: str) -> Any:
        real = getattr(math, name)
        if not callable(real):
            return real

        def call(*args: Any) -> Any:
            if not any(type(a) is Sym for a in args):
                return real(*args)
            if not _unguarded() or not all(_operand(a) is not None for a in args):
                raise CannotFollow(name)
            return _mk(CALL, register(real), tuple(_operand(a) for a in args), None)

        return call


_math_proxy = _MathProxy()
_shadows = _bytecode.Shadows(
    boundary=lambda copy, real: _boundary(copy, real),
    replace={id(builtins): _builtins_proxy, id(math): _math_proxy},
    builtins=_shadow_builtins,
    module=lambda m: _ModuleProxy(m) if m.__name__.startswith("autograd") else None,
)


def _unguarded() -> bool:
    """True when no Python frame between the caller and the function being
    made into a template (``_make``) could catch an exception."""
    return _bytecode.unguarded(_make.__code__, globals(), depth=3)


def shadowed(fn: Any) -> Callable[..., Any]:
    """``fn`` running with shadowed module globals (plain functions, bound
    methods and callable objects whose code is Python); C functions as they are."""
    return _shadows.shadowed(fn)


# ---------------------------------------------------------------- rendering


class _Renderer:
    """Source text for expressions, as ``str.format`` templates: a VAR becomes
    its field (``fields[name]``), shared subexpressions are named once with
    ``:=`` where they are first evaluated (``{t}_<k>``, per node instance)."""

    def __init__(self, fields: dict[str, str], temp: str) -> None:
        self.fields = fields
        self.temp = temp
        self.names: dict[int, str] = {}
        self.shared: set[int] = set()

    def count(self, outputs: list[Sym]) -> list[Sym]:
        """Find the shared nodes; return every node, children before parents."""
        refs: dict[int, int] = {}
        order: list[Sym] = []
        stack: list[tuple[Sym, bool]] = [(o, False) for o in reversed(outputs)]
        while stack:
            s, expanded = stack.pop()
            if expanded:
                order.append(s)
                continue
            refs[id(s)] = refs.get(id(s), 0) + 1
            if refs[id(s)] > 1:
                continue
            stack.append((s, True))
            stack.extend((k, False) for k in reversed(_kids(s)))
        self.shared = {id(s) for s in order if refs[id(s)] > 1 and s.kind not in (VAR, CONST)}
        return order

    def name(self, s: Sym) -> str:
        n = self.names.get(id(s))
        if n is None:
            n = self.names[id(s)] = f"{self.temp}_{len(self.names)}"
        return n

    def expr(self, s: Sym, done: set[int]) -> tuple[str, int]:
        """(text, precedence), children rendered in Python's evaluation order;
        ``done`` holds the shared nodes already named on this path."""
        if id(s) in self.shared:
            if id(s) in done:
                return self.name(s), _ATOM
            text, _ = self.plain(s, done)
            done.add(id(s))
            return f"({self.name(s)} := {text})", _ATOM
        return self.plain(s, done)

    def plain(self, s: Sym, done: set[int]) -> tuple[str, int]:
        if s.kind == COND:
            cmp = s.a
            test = f"{self.expr(cmp.b, done)[0]} {cmp.a} {self.expr(cmp.c, done)[0]}"
            yes_done, no_done = set(done), set(done)
            yes = self.expr(s.b, yes_done)[0]
            no = self.expr(s.c, no_done)[0]
            done |= yes_done & no_done
            return f"({yes} if {test} else {no})", _ATOM
        return self.combine(s, [self.expr(k, done) for k in _kids(s)])

    def combine(self, s: Sym, kids: list[tuple[str, int]]) -> tuple[str, int]:
        """The text of s from its children's (text, precedence), in _kids order."""
        k = s.kind
        if k == VAR:
            return self.fields[s.a], _ATOM
        if k == CONST:
            return literal(s.a), _ATOM
        if k == BIN:
            p = _PREC[s.a]
            (left, lp), (right, rp) = kids
            if lp < p or (s.a == "**" and lp <= p):  # ** groups from the right
                left = f"({left})"
            if (rp <= p and s.a != "**") or (s.a == "**" and rp < 4):
                right = f"({right})"  # x ** -y is fine, x ** (a * b) is not
            return f"{left} {s.a} {right}", p
        if k == NEG:
            x, xp = kids[0]
            return (f"-{x}" if xp >= 4 else f"-({x})"), 4
        if k == ABS:
            return f"abs({kids[0][0]})", _ATOM
        if k == CALL:
            return f"{s.a}({', '.join(t for t, _ in kids)})", _ATOM
        if k == SUM:
            n = len(s.b)
            items = "".join(t + ", " for t, _ in kids[:n]).rstrip(" ")
            start = "" if s.c is None else ", " + kids[n][0]
            return f"_sum(({items}){start})", _ATOM
        raise CannotFollow("conditional in a deep expression")

    def statements(self, outputs: list[Sym]) -> tuple[list[str], list[str]]:
        """Deep straight-line expressions (a sum of many terms): written as
        statements, each expression at most ``_SPILL`` operations deep."""
        order = self.count(outputs)
        lines: list[str] = []
        done: dict[int, tuple[str, int, int]] = {}  # id -> (text, precedence, depth)
        for s in order:
            kids = [done[id(k)] for k in _kids(s)]
            text, prec = self.combine(s, [(t, p) for t, p, _ in kids])
            depth = 1 + max((d for _, _, d in kids), default=-1)
            if s.kind not in (VAR, CONST) and (id(s) in self.shared or depth >= _SPILL):
                name = self.name(s)
                lines.append(f"{name} = {text}")
                text, prec, depth = name, _ATOM, 0
            done[id(s)] = (text, prec, depth)
        return lines, [done[id(o)][0] for o in outputs]


_SPILL = 24


def _kids(s: Sym) -> list[Sym]:
    """The operands of s, in the order Python evaluates them."""
    k = s.kind
    if k in (VAR, CONST):
        return []
    if k in (CALL, SUM):
        return list(s.b) + ([] if s.c is None else [s.c])
    if k == COND:
        return [s.a.b, s.a.c, s.b, s.c]
    if k in (NEG, ABS):
        return [s.b]
    return [s.b, s.c]


def render(outputs: list[Sym], fields: dict[str, str], temp: str) -> tuple[list[str], list[str]]:
    """Statements to run first and one expression per output, as format strings."""
    r = _Renderer(fields, temp)
    if max((o.depth for o in outputs), default=0) > _DEPTH_LIMIT:
        if any(o.cond for o in outputs):
            raise CannotFollow("deep conditional")
        return r.statements(outputs)
    r.count(outputs)
    done: set[int] = set()
    return [], [r.expr(o, done)[0] for o in outputs]


# ---------------------------------------------------------------- templates


class Template:
    """Source for one op's computation at one arity, as ``str.format`` strings.

    - ``forward``: ``lines`` compute field ``{o}`` from the inputs;
    - ``rule``: ``outputs(mask)`` gives statements and one expression per input
      gradient (``None`` where the mask says the gradient is not needed);
    - ``accumulate``: ``terms``, the ``(input, expression)`` pairs in the order
      the rule adds them into the inputs' gradients; ``None`` if the rule must
      be called with holder objects (see ``autograd.compiler``). ``compact``
      holds the same terms as ``(input, format, pick)``: the format uses only
      the fields ``pick(fields)`` returns, so formatting is O(1) in the arity.

    ``inline`` is False where the template is a plain call of the function.
    """

    def __init__(self, kind: str, arity: int, fn: Any) -> None:
        self.kind = kind
        self.arity = arity
        self.fn = fn
        self.inline = False
        self.why = ""
        self.lines: list[str] = []
        self.syms: list[Sym] = []
        self.terms: list[tuple[int, str]] | None = None
        self.compact: list[tuple[int, str, Callable[[tuple[str, ...]], tuple[str, ...]]]] = []
        self.ones: frozenset[int] = frozenset()
        self._masks: dict[tuple[bool, ...], tuple[list[str], list[str | None]]] = {}
        self._fields: dict[str, str] = {}

    def outputs(self, mask: tuple[bool, ...]) -> tuple[list[str], list[str | None]]:
        found = self._masks.get(mask)
        if found is None:
            with _lock:
                found = self._masks[mask] = self._render_mask(mask)
        return found

    def _render_mask(self, mask: tuple[bool, ...]) -> tuple[list[str], list[str | None]]:
        temp = self._fields["t"]
        if not self.inline:
            name = register(self.fn)
            args = ", ".join(self._fields[f] for f in ["g", "o"] + _xs(self.arity))
            if self.arity == 1:
                return [], [f"{name}({args})"]
            pre = f"{temp}_r = {name}({args})"
            return [pre], [f"{temp}_r[{i}]" if m else None for i, m in enumerate(mask)]
        chosen = [s for s, m in zip(self.syms, mask) if m]
        lines, exprs = render(chosen, self._fields, temp)
        it = iter(exprs)
        return lines, [next(it) if m else None for m in mask]


def _renumber(fmt: str) -> tuple[str, tuple[int, ...]]:
    """A format string using only the fields it mentions, renumbered from 0,
    and the original numbers: formatting it is then O(1) in the arity."""
    used: list[int] = []

    def sub(m: re.Match[str]) -> str:
        i = int(m.group(1))
        if i not in used:
            used.append(i)
        return "{" + str(used.index(i)) + "}"

    return re.sub(r"\{(\d+)\}", sub, fmt), tuple(used)


def _picked(fmt: str) -> tuple[str, Callable[[tuple[str, ...]], tuple[str, ...]]]:
    """A term's format string renumbered to the fields it uses, and the
    function that picks those fields out of all of them."""
    small, used = _renumber(fmt)
    if len(used) == 1:
        (i,) = used
        return small, lambda fields: (fields[i],)
    return small, operator.itemgetter(*used)


def _xs(n: int) -> list[str]:
    return [f"x{i}" for i in range(n)]


def _fields(names: list[str]) -> dict[str, str]:
    return {n: "{" + str(i) + "}" for i, n in enumerate(names)}


_templates: dict[tuple[Any, str, int, frozenset[int]], Template] = {}
_TEMPLATE_CACHE = 4096


def template(rule: Any, kind: str, arity: int, ones: frozenset[int] = frozenset()) -> Template:
    """The template of ``rule``'s ``kind`` ("forward", "rule" or "accumulate")
    at ``arity`` inputs (cached per rule object and arity). ``ones``: inputs
    known to be the constant 1.0 (a multiplication by them is left out)."""
    key = (rule, kind, arity, ones)
    found = _templates.get(key)
    if found is not None:
        return found
    global _build
    with _lock:
        found = _templates.get(key)
        if found is not None:
            return found
        if len(_templates) >= _TEMPLATE_CACHE:
            _templates.clear()
        if kind == "forward":
            fn = rule.forward
        elif kind == "rule":
            fn = rule
        else:
            fn = rule.accumulate
        t = Template(kind, arity, fn)
        t.ones = ones
        saved = _build
        _build = _Build()
        try:
            _make(t)
        finally:
            _build = saved
        _templates[key] = t
        return t


def _make(t: Template) -> None:
    n = t.arity
    if t.kind == "forward":
        t._fields = _fields(_xs(n) + ["o", "t"])
        try:
            result = _explore(shadowed(t.fn), tuple(_input(t, i) for i in range(n)))
            s = _operand(result)
            if s is None:
                raise CannotFollow("result is not a number")
            lines, (expr,) = render([s], t._fields, t._fields["t"])
            t.lines = [*lines, f"{{{n}}} = {expr}"]
            t.inline = True
            _verify_forward(t)
        except CannotFollow as e:
            t.why = str(e) or "cannot follow"
            t.inline = False
            fields = ", ".join("{" + str(i) + "}" for i in range(n))
            t.lines = [f"{{{n}}} = {register(t.fn)}({fields})"]
        return
    if t.kind == "rule":
        t._fields = _fields(["g", "o"] + _xs(n) + ["t"])
        try:
            args = (var("g"), var("o"), *(_input(t, i) for i in range(n)))
            result = _explore(shadowed(t.fn), args)
            outs = [result] if n == 1 else list(result)
            if len(outs) != n:
                raise CannotFollow("wrong number of gradients")
            syms = [_operand(o) for o in outs]
            if any(s is None for s in syms):
                raise CannotFollow("gradient is not a number")
            t.syms = syms  # type: ignore[assignment]
            t.inline = True
            _verify_rule(t)
        except CannotFollow as e:
            t.why = str(e) or "cannot follow"
            t.inline = False
            t._masks.clear()
        return
    # accumulate: the inputs are holders whose .grad additions are recorded
    t._fields = _fields(["g"] + _xs(n) + ["t"])
    try:
        log: list[tuple[int, Sym]] = []
        slots = tuple(_Slot(i, _input(t, i), log) for i in range(n))
        build = _build
        assert build is not None
        run = _Run([], decisions=False)
        build.runs.append(run)
        try:
            shadowed(t.fn)(var("g"), slots)
        finally:
            build.runs.pop()
        terms = []
        for j, (slot, term) in enumerate(log):
            lines, (expr,) = render([term], t._fields, f"{t._fields['t']}_{j}")
            if lines:
                raise CannotFollow("deep term")
            terms.append((slot, expr))
        t.terms = terms
        t.inline = True
        t.compact = [(slot, *_picked(expr)) for slot, expr in terms]
        _verify_accumulate(t)
    except CannotFollow as e:
        t.why = str(e) or "cannot follow"
        t.inline = False
        t.terms = None


def _input(t: Template, i: int) -> Sym:
    return const(1.0) if i in t.ones else var(f"x{i}")


class _Slot:
    """An input of an n-ary node while its ``accumulate`` runs on symbols:
    ``.data`` is a symbol, and ``.grad += term`` is recorded."""

    __slots__ = ("index", "data", "_acc", "_log")

    def __init__(self, index: int, data: Sym, log: list[tuple[int, Sym]]) -> None:
        self.index = index
        self.data = data
        self._acc = var(f"acc{index}")
        self._log = log  # shared by the node's slots: the order of all additions

    @property
    def grad(self) -> Sym:
        return self._acc

    @grad.setter
    def grad(self, value: Any) -> None:
        if (
            type(value) is not Sym
            or value.kind != BIN
            or value.a != "+"
            or value.b is not self._acc
        ):
            raise CannotFollow("accumulate must add into .grad")
        if _mentions_acc(value.c):
            raise CannotFollow("accumulate reads .grad")
        self._log.append((self.index, value.c))


def _mentions_acc(s: Sym) -> bool:
    stack = [s]
    while stack:
        x = stack.pop()
        if x.kind == VAR and x.a.startswith("acc"):
            return True
        stack.extend(_kids(x))
    return False


# ---------------------------------------------------------------- verification


class Holder:
    """An input of an n-ary node, for its float ``accumulate`` (which reads
    ``.data`` and adds into ``.grad``): in verification here, and in generated
    code where an ``accumulate`` is called as it is."""

    __slots__ = ("data", "grad")

    def __init__(self, data: float, grad: float) -> None:
        self.data, self.grad = data, grad


_SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -2.5,
    2.0,
    3.0,
    1e-8,
    1e-300,
    -1e-300,
    1e300,
    -1e300,
    math.inf,
    -math.inf,
    math.nan,
]


def _probes(width: int, ones: Iterable[int] = ()) -> Iterator[list[float]]:
    """Probe rows of ``width`` numbers (at the positions ``ones``, 1.0)."""
    for row in _random_rows(width):
        for i in ones:
            row[i] = 1.0
        yield row


def _random_rows(width: int) -> Iterator[list[float]]:
    import random  # here, as the probes run only when a rule is first compiled

    rng = random.Random(width)
    for k in range(max(6, min(_PROBES, 4000 // max(width, 1)))):  # wide rules: fewer rows
        row = []
        for _ in range(width):
            u = rng.random()
            if k < 4:  # rows of plain numbers first
                row.append(rng.uniform(-3.0, 3.0))
            elif u < 0.35:
                row.append(rng.choice(_SPECIAL))
            elif u < 0.7:
                row.append(rng.uniform(-3.0, 3.0))
            else:
                row.append(rng.gauss(0.0, 50.0))
        yield row


def _probe_function(params: list[str], body: list[str], result: str) -> Callable[..., Any]:
    src = f"def _probe({', '.join(params)}):\n"
    src += "".join(f"    {line}\n" for line in body)
    src += f"    return {result}\n"
    ns = namespace()
    exec(compile(src, "<autograd.compile probe>", "exec"), ns)
    return ns["_probe"]  # type: ignore[no-any-return]


def _outcome(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as e:  # compared by type: both sides must fail alike
        return ("raised", type(e))


def _check(real: Any, got: Any, what: str) -> None:
    if isinstance(real, tuple) and real[:1] == ("raised",):
        ok = real == got
    else:
        ok = same(real, got)
    if not ok:
        raise CannotFollow(f"{what}: probe disagrees")


def _verify_forward(t: Template) -> None:
    n = t.arity
    params = [f"p{i}" for i in range(n)]
    # all lines formatted at once: formatting is O(arity) per call, lines grow with it
    body = "\n".join(t.lines).format(*params, "po", "pt").split("\n")
    probe = _probe_function(params, body, "po")
    for row in _probes(n, t.ones):
        _check(_outcome(t.fn, *row), _outcome(probe, *row), "forward")


def _verify_rule(t: Template) -> None:
    n = t.arity
    params = ["pg", "po", *(f"p{i}" for i in range(n))]
    lines, exprs = t.outputs((True,) * n)
    body = "\n".join(lines).format(*params, "pt").split("\n") if lines else []
    result = "(" + "".join(e.format(*params, "pt") + ", " for e in exprs if e) + ")"
    probe = _probe_function(params, body, result)
    for row in _probes(n + 2, [2 + i for i in t.ones]):
        real = _outcome(t.fn, *row)
        if n == 1 and not (isinstance(real, tuple) and real[:1] == ("raised",)):
            real = (real,)
        _check(real, _outcome(probe, *row), "rule")


def _verify_accumulate(t: Template) -> None:
    n = t.arity
    assert t.terms is not None
    params = ["pg", *(f"p{i}" for i in range(n))]
    accs = [f"a{i}" for i in range(n)]
    # each term formatted with only the fields it uses: linear in the arity
    fields = (*params, "pt")
    body = [f"{accs[i]} = {accs[i]} + {fmt.format(*pick(fields))}" for i, fmt, pick in t.compact]
    probe = _probe_function(params + accs, body, "(" + "".join(a + ", " for a in accs) + ")")
    for row in _probes(2 * n + 1, [1 + i for i in t.ones]):
        g, data, grads = row[0], row[1 : n + 1], row[n + 1 :]
        holders = tuple(Holder(d, a) for d, a in zip(data, grads))
        real = _outcome(t.fn, g, holders)
        if not (isinstance(real, tuple) and real[:1] == ("raised",)):
            real = tuple(h.grad for h in holders)
        _check(real, _outcome(probe, g, *data, *grads), "accumulate")
