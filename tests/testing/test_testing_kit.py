"""autograd.testing: assert_grads and check_grads (including the negative control:
a deliberately wrong rule is rejected at order 1, and one that is wrong only in
its second derivative at order 2), the catalogue OPS, the hypothesis
strategies, and that neither autograd nor the kit imports hypothesis or pytest."""

from __future__ import annotations

import math
import random
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import GradcheckError, Value
from autograd.core import ieee as _ieee
from autograd.core import value as engine
from autograd.testing import OPS, Op, assert_grads, check_grads
from autograd.testing.catalogue import find
from autograd.testing.strategies import Program, programs, values

# ---------------------------------------------------------------- assert_grads


def f(a, b):
    return a.sin() * b  # df/da = b cos a, df/db = sin a


def test_assert_grads_passes_with_hand_computed_values() -> None:
    a, b = 0.5, 2.0
    assert assert_grads(f, a, b, expected=[b * math.cos(a), math.sin(a)]) is None
    assert_grads(f, a, b, expected={"a": b * math.cos(a), "b": math.sin(a)}, order=2)
    assert_grads(f, a, b, expected={1: math.sin(a)})  # by position; the other unchecked
    assert_grads(f, a, b, expected=[None, math.sin(a)])


def test_a_wrong_hand_value_fails_with_a_table() -> None:
    with pytest.raises(GradcheckError) as info:
        assert_grads(f, 0.5, 2.0, expected=[1.0, math.sin(0.5)])
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0].startswith("derivatives of f at a=0.5, b=2.0 (eps=1e-06")
    assert lines[0].endswith("1 of 2 derivatives disagree")
    assert lines[1].split() == [
        "derivative",
        "engine",
        "numerical",
        "expected",
        "difference",
        "would",
        "pass",
        "with",
    ]
    row_a, row_b = lines[2].split(), lines[3].split()
    assert row_a[0] == "a" and float(row_a[1]) == pytest.approx(2 * math.cos(0.5), rel=1e-11)
    assert float(row_a[3]) == 1.0
    # the tolerance that would have passed: |engine - expected| - rtol |expected|
    need = abs(2 * math.cos(0.5) - 1.0) - 1e-4
    assert row_a[5] == f"atol={need:.2g}"
    assert row_b[0] == "b" and row_b[-1] == "ok"
    assert isinstance(info.value, AssertionError)  # pytest reports it as a failed assert


def test_arguments_are_named_by_label_then_parameter_then_position() -> None:
    w = Value(0.5, label="w")
    with pytest.raises(GradcheckError, match=r"at w=0\.5, b=2\.0") as info:
        assert_grads(f, w, 2.0, expected={"w": 0.0})
    assert str(info.value).splitlines()[2].split()[0] == "w"
    with pytest.raises(GradcheckError, match=r"at argument 0=1\.0"):
        assert_grads(lambda *xs: xs[0] * 2, 1.0, expected=[3.0])


def test_order_2_rows_name_both_arguments() -> None:
    with pytest.raises(GradcheckError) as info:
        assert_grads(f, 0.5, 2.0, expected=[0.0, 0.0], order=2)
    names = [line.split()[0:2] for line in str(info.value).splitlines()[2:]]
    assert names[2:] == [["a,", "a"], ["a,", "b"], ["b,", "a"], ["b,", "b"]]


def test_a_long_table_shows_only_its_failures() -> None:
    n = 13

    def many(*xs):
        return autograd.sum(xs) * 2

    with pytest.raises(GradcheckError) as info:
        assert_grads(many, *[1.0] * n, expected=[2.0] * (n - 1) + [5.0])
    lines = str(info.value).splitlines()
    assert lines[0].endswith(f"1 of {n} derivatives disagree")
    assert lines[2].split()[0:2] == ["argument", "12"]
    assert lines[-1] == f"  ({n - 1} derivatives that agree are not shown)"


def test_non_finite_derivatives_fail() -> None:
    with pytest.raises(GradcheckError, match="none \\(not finite\\)"):
        assert_grads(lambda x: x.sqrt(), 0.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"expected": [1.0]}, ValueError, "1 derivatives for 2 arguments"),
        ({"expected": {"c": 1.0}}, ValueError, "'c', but the arguments are a, b"),
        ({"expected": 1.0}, TypeError, "a list .* or a dict keyed by label, not float"),
        ({"order": 3}, ValueError, "order must be 1 or 2"),
        ({"order": True}, ValueError, "order must be 1 or 2, not True"),
    ],
)
def test_bad_arguments_are_clear(kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        assert_grads(f, 0.5, 2.0, **kwargs)


def test_bad_points() -> None:
    with pytest.raises(ValueError, match="at least one argument"):
        assert_grads(lambda: Value(1.0))
    with pytest.raises(TypeError, match="argument 1 must be a number or a Value"):
        assert_grads(f, 0.5, "2")


# ---------------------------------------------------------------- check_grads


def test_check_grads_in_all_directions_and_in_a_random_one() -> None:
    check_grads(f, 0.5, 2.0)  # order 2, every partial
    check_grads(f, 0.5, 2.0, direction="random", rng=3)
    check_grads(f, 0.5, 2.0, direction="random", order=1, rng=random.Random(1))
    with pytest.raises(ValueError, match='direction must be "all" or "random"'):
        check_grads(f, 0.5, 2.0, direction="some")
    with pytest.raises(TypeError, match="rng must be"):
        check_grads(f, 0.5, 2.0, direction="random", rng="seed")


def test_check_grads_in_a_random_direction_is_cheap_for_many_arguments() -> None:
    n = 60
    calls = []

    def g(*xs):
        calls.append(1)
        return autograd.sum([x * x.sin() for x in xs])

    check_grads(g, *[0.1 * i for i in range(n)], direction="random")
    # engine: grad and grad of grad; differences: two points each for f and ∇f·w
    assert len(calls) < 20


# ---------------------------------------------------------------- the negative control


@pytest.fixture
def tan_rule(monkeypatch: pytest.MonkeyPatch):
    """Swap the engine's tan rule for a test-local one (restored afterwards)."""

    def install(rule):
        tagged = engine._rule("tan", _ieee.tan, ("1 + {out}²",))(rule)
        monkeypatch.setattr(Value, "_d_tan", staticmethod(tagged))

    return install


def test_the_kit_accepts_the_engines_tan() -> None:
    assert_grads(autograd.tan, 0.7, order=2)
    check_grads(autograd.tan, 0.7, direction="random")


def test_a_wrong_rule_is_rejected_at_order_1(tan_rule) -> None:
    tan_rule(lambda g, out, x: g * (1.0 - out * out))  # a sign slip: 1 - tan**2
    with pytest.raises(GradcheckError, match="1 of 1 derivatives disagree"):
        assert_grads(autograd.tan, 0.7)
    with pytest.raises(GradcheckError):
        check_grads(autograd.tan, 0.7, order=1, direction="random")


def test_a_rule_wrong_only_on_values_is_rejected_at_order_2(tan_rule) -> None:
    # Right on floats, but on Values it multiplies by the float tan(x)**2: the
    # gradient has no graph through out, so the second derivative misses 2 tan tan'
    tan_rule(lambda g, out, x: g * (1.0 + engine._data(out) ** 2))
    assert_grads(autograd.tan, 0.7)  # order 1 cannot see it
    with pytest.raises(GradcheckError) as info:
        assert_grads(autograd.tan, 0.7, order=2)
    rows = str(info.value).splitlines()[2:]
    assert rows[0].split()[-1] == "ok"  # the first derivative is right
    assert rows[1].split()[0:2] == ["x,", "x"] and rows[1].split()[-1] != "ok"
    with pytest.raises(GradcheckError, match="uᵀ·H·w"):
        check_grads(autograd.tan, 0.7, direction="random")


# ---------------------------------------------------------------- the catalogue


def test_every_entry_is_the_engines_op() -> None:
    for entry in OPS:
        point = [min(max(0.7, lo + 0.1), hi - 0.1) for lo, hi in (d[0] for d in entry.domain)]
        node = entry.fn(*[Value(x) for x in point])
        assert node.op == entry.op, entry
        assert callable(getattr(Value, entry.method)), entry
        assert str(entry) == entry.name and find(entry.name) is entry
        assert entry.show(*["x", "y"][: entry.arity])  # a formula


def test_every_rule_of_the_engine_is_in_the_catalogue() -> None:
    tags = {entry.op for entry in OPS}
    rules = [getattr(Value, name) for name in dir(Value) if name.startswith("_d_")]
    named = {rule.op for rule in rules if hasattr(rule, "op")}  # not the factories
    assert named - tags == set()
    # and the rules with a constant, one example each
    assert {"**2", "2**", "leaky_relu", "clamp"} <= tags


def test_find_names_the_choices() -> None:
    assert find("tan") is find(find("tan"))
    with pytest.raises(ValueError, match="unknown op 'tangent'; the catalogue has: x \\+ y"):
        find("tangent")


@pytest.mark.parametrize("op", OPS, ids=str)
@given(data=st.data())
def test_every_op_of_the_catalogue_passes_the_kit(op: Op, data: st.DataObject) -> None:
    xs = data.draw(values(op), label="xs")
    assert op.admits(*xs)
    assert_grads(op.fn, *xs, order=2)


@pytest.mark.parametrize("op", OPS, ids=str)
def test_values_stay_away_from_the_kinks(op: Op) -> None:
    @given(values(op, margin=0.25))
    def check(xs: tuple[float, ...]) -> None:
        assert len(xs) == op.arity
        assert op.admits(*xs, margin=0.25)

    check()


@given(values())
def test_values_without_an_op_are_moderate_floats(x: float) -> None:
    assert -100.0 <= x <= 100.0


# ---------------------------------------------------------------- programs


@given(programs())
def test_random_programs_pass_the_kit(p: Program) -> None:
    assert_grads(p, *p.point, order=2, atol=1e-4)


@given(programs(max_args=2, max_ops=3))
def test_programs_run_on_values_and_floats_alike(p: Program) -> None:
    out = p(*[Value(x) for x in p.point])
    assert isinstance(out, Value)
    assert out.data == p(*p.point)  # the functions compute the ops' own forward
    assert 1 <= p.arity <= 2
    used = {i for _, operands in p.steps for i in operands}
    assert set(range(p.arity)) <= used or (p.arity == 1 and not p.steps)


def test_a_program_reads_as_a_formula() -> None:
    tan, add = find("tan"), find("x + y")
    p = Program(2, ((tan, (0,)), (add, (2, 1))), (0.5, 1.5))
    assert p.formula() == "(tan(x0) + x1)"
    assert repr(p) == "program: f(x0, x1) = (tan(x0) + x1) at (0.5, 1.5)"
    assert p(0.5, 1.5) == math.tan(0.5) + 1.5
    with pytest.raises(TypeError, match="takes 2 arguments, not 1"):
        p(0.5)


@given(programs(ops=["sin", "x * y", "exp"], max_ops=4))
def test_programs_over_chosen_ops(p: Program) -> None:
    assert {op.name for op, _ in p.steps} <= {"sin", "x * y", "exp", "x + y"}


# ---------------------------------------------------------------- imports


def test_importing_autograd_and_the_kit_imports_neither_hypothesis_nor_pytest() -> None:
    code = (
        "import sys, autograd, autograd.testing, autograd.testing.strategies\n"
        "heavy = [m for m in ('hypothesis', 'pytest', 'torch', 'numpy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_without_hypothesis_the_strategies_say_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # makes `import hypothesis` fail
    with pytest.raises(ImportError, match="needs hypothesis: pip install hypothesis"):
        values("tan")


def test_the_catalogue_agrees_with_the_rules_registry() -> None:
    from autograd.core.value import RULES

    for entry in OPS:
        if entry.op in RULES:  # the rules with a constant (x**2, clamp) are made per constant
            assert entry.arity == len(RULES[entry.op].formula), entry
    functions = [e for e in OPS if e.method == e.name]
    assert {e.op for e in functions} <= set(RULES) and len(functions) >= 39
