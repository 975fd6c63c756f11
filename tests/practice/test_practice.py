"""autograd.practice: the quiz (answers, report, hints, tree), the lecture's exercises (their
numbers against tests/data/seed_cases.json), the answer keys and check_rule."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from autograd import Value, backward_steps, explain, topological_order
from autograd.practice import (
    Report,
    accepts,
    answer_key,
    answer_keys,
    check_rule,
    lecture,
    lecture_text,
    quiz,
)

SEEDS = json.loads((Path(__file__).parent.parent / "data" / "seed_cases.json").read_text())
CASES = {c["id"]: c for c in SEEDS["cases"]}


def by_label(root: Value) -> dict[str, Value]:
    return {v.label: v for v in topological_order(root) if v.label}


def grads_of(root: Value) -> dict[str, float]:
    """d root / d value for every labelled value, by backward() on the graph."""
    root.backward()
    return {name: v.grad for name, v in by_label(root).items()}


def answer_all(q, root: Value, skip: str = "") -> None:
    """Answer every asked gradient with backward()'s value (on a copy of the graph)."""
    for name, g in grads_of(lecture_copy(root)).items():
        if name != skip and name != root.label:
            q.answer(name, g)


def lecture_copy(root: Value) -> Value:
    import copy

    return copy.deepcopy(root)


# ---------------------------------------------------------------- the lecture's exercises


def test_computation_graph_is_the_lecture_graph_with_its_gradients() -> None:
    case = CASES["graph_hand_derivatives"]
    J = lecture("computation_graph")
    nodes = by_label(J)
    for name in ("a", "b", "c"):
        assert nodes[name].data == case["inputs"][name]
    for name in ("u", "v", "J"):
        assert nodes[name].data == case["expected"][name]
    grads = grads_of(J)
    for name in ("a", "b", "c", "u", "v"):
        assert grads[name] == case["expected"][f"dJ_d{name}"]  # exact integers


def test_the_sigmoid_exercise_gives_the_notes_gradients() -> None:
    case = CASES["sigmoid_linear_unit_grad"]
    y = lecture("sigmoid")
    nodes = by_label(y)
    assert {k: nodes[k].data for k in ("x", "w1", "b1")} == case["inputs"]
    assert nodes["z"].data == case["expected"]["z"]
    grads = grads_of(y)
    assert math.isclose(y.data, case["expected"]["y"], abs_tol=case["tolerance"])
    assert math.isclose(grads["w1"], case["expected"]["dy_dw1"], abs_tol=case["tolerance"])
    assert math.isclose(grads["b1"], case["expected"]["dy_db1"], abs_tol=case["tolerance"])


def test_the_2_2_2_network_gives_the_notes_numbers() -> None:
    case = CASES["backprop_mazur"]
    exp, tol = case["expected"], case["tolerance"]
    E = lecture("network_2_2_2")
    nodes = by_label(E)
    for name in ("net_h1", "out_h1", "out_h2", "net_o1", "out_o1", "out_o2", "E_o1", "E_total"):
        assert math.isclose(nodes[name].data, exp[name], abs_tol=tol), name
    grads = grads_of(E)
    for k in range(1, 9):
        assert math.isclose(grads[f"w{k}"], exp[f"dE_dw{k}"], abs_tol=tol), k
    assert math.isclose(grads["b1"], exp["dE_db1_shared"], abs_tol=tol)  # one bias, two uses
    assert math.isclose(grads["b2"], exp["dE_db2_shared"], abs_tol=tol)
    assert math.isclose(grads["out_h1"], exp["dE_dout_h1"], abs_tol=tol)


def test_the_2_2_2_text_has_the_notes_updated_weights() -> None:
    case = CASES["backprop_mazur"]
    text = lecture_text("network_2_2_2")
    found = dict(re.findall(r"(w\d)\+ = .* = (0\.\d+)", text))
    assert sorted(found) == [f"w{k}" for k in range(1, 9)]
    for name, shown in found.items():
        printed = case["printed"][f"{name}_new"]
        assert abs(float(shown) - printed) <= case["tolerance_vs_printed"], name
    assert "η = 0.5" in text


def test_lecture_names_are_checked() -> None:
    with pytest.raises(ValueError, match="computation_graph, sigmoid, network_2_2_2"):
        lecture("nope")
    with pytest.raises(TypeError, match="name must be a str"):
        lecture(3)  # type: ignore[arg-type]
    assert lecture("sigmoid") is not lecture("sigmoid")  # a fresh graph each time


# ---------------------------------------------------------------- the quiz


def test_right_answers_pass_and_the_graph_is_untouched() -> None:
    J = lecture("computation_graph")
    q = quiz(J)
    expected = CASES["graph_hand_derivatives"]["expected"]
    for name in ("v", "u", "a", "b", "c"):
        q.answer(name, expected[f"dJ_d{name}"])
    report = q.check()
    assert report.ok
    assert str(report).startswith("Quiz on J = 3 * v: all 5 gradients right.")
    report.assert_ok()
    q.check(strict=True)
    assert all(v.grad == 0.0 for v in topological_order(J))  # nothing was written


def test_the_report_lists_every_asked_value_in_backward_order() -> None:
    J = lecture("computation_graph")
    q = quiz(J)
    q.answer("v", 3)
    q.answer("b", 6)
    text = str(q.check())
    names = re.findall(r"^  [✓✗?] dJ/d(\w+)", text, flags=re.M)
    order = [s.node for s in backward_steps(J)]
    expected = []
    for v in reversed(topological_order(J)):
        if v is not J and v.label:
            expected.append(v.label)
    assert names == expected
    assert order[0] is J
    assert "  ? dJ/da  (no answer yet)" in text
    assert "2 of 5 gradients right, 3 not answered." in text


def test_strict_raises_an_assertion_error_with_the_report_as_text() -> None:
    q = quiz(lecture("computation_graph"))
    q.answer("b", 2)
    report = q.check()
    assert not report.ok
    with pytest.raises(AssertionError) as info:
        q.check(strict=True)
    assert str(info.value) == str(report)
    with pytest.raises(AssertionError) as info:
        report.assert_ok()
    assert str(info.value) == report.text


def test_the_first_wrong_answer_shows_explain_line_beside_it() -> None:
    J = lecture("computation_graph")
    q = quiz(J)
    q.answer("v", 3)
    q.answer("u", 3)
    q.answer("b", 5)
    text = str(q.check())
    line = next(s for s in explain(J).split("\n") if s.startswith("  dJ/db "))
    assert "  yours: dJ/db = 5\n  right: " + line.strip() in text
    assert "← first wrong" in text


def hint(root: Value, answers: dict[str, float], ask: str = "grads") -> str:
    q = quiz(root, ask=ask)  # type: ignore[arg-type]
    for name, value in answers.items():
        q.answer(name, value)
    text = str(q.check())
    assert "hint:" in text, text
    return " ".join(line.strip() for line in text.split("hint:", 1)[1].split("\n"))


def reused_leaf() -> Value:
    """L = a·b + a at a = 2, b = 3: a gets 1 (from L, first) and 3 (from u, last): 4."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    u = a * b
    u.label = "u"
    L = u + a
    L.label = "L"
    return L


def test_hint_reused_node_counted_once() -> None:
    L = reused_leaf()
    steps = backward_steps(L)
    shares = [c.product for s in steps for c in s.contributions if c.parent.label == "a"]
    assert shares == [1.0, 3.0]
    text = hint(L, {"u": 1, "a": shares[0]})
    assert "a is used 2 times, but 1 counts only one use" in text
    assert "1 + 3" in text


def test_hint_assign_instead_of_add_counts_only_the_last_use() -> None:
    text = hint(reused_leaf(), {"u": 1, "a": 3})  # the last share only, as `=` leaves it
    assert "only the last of the 2 shares a receives" in text
    assert "(+=)" in text and "(=)" in text


def test_hint_upstream_gradient_left_out() -> None:
    # dJ/db = dJ/du · ∂u/∂b = 3 · c; the local derivative alone is c = 2
    text = hint(lecture("computation_graph"), {"b": 2})
    assert "2 is the local derivative ∂u/∂b alone" in text
    assert "dJ/du = 3 was left out" in text


def test_hint_local_derivative_left_out() -> None:
    text = hint(lecture("computation_graph"), {"b": 3})  # dJ/du alone; right: 3 · c = 6
    assert "3 is the upstream gradient dJ/du alone" in text
    assert "∂u/∂b = 2 was left out" in text


def test_hint_sign_flip() -> None:
    text = hint(lecture("computation_graph"), {"c": -9})
    assert "-9 has the wrong sign" in text


def test_hint_forward_value_of_the_wrong_node() -> None:
    # e = exp(x): ∂e/∂x is e's value (out.data); with x's value (self.data): 3 · x = 6
    x = Value(2.0, label="x")
    e = x.exp()
    e.label = "e"
    L = 3 * e
    L.label = "L"
    text = hint(L, {"x": 6})
    assert "∂e/∂x was computed from x's value (2) where e's value (7.38906) belongs" in text
    assert "out.data" in text and "self.data" in text


def test_hint_wrong_operand_of_a_product() -> None:
    a, b, c = Value(4.0, label="a"), Value(5.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    J = 3 * (a + u)
    J.label = "J"
    text = hint(J, {"b": 15})  # 3 · b instead of 3 · c
    assert "15 uses the wrong operand of u = b * c" in text
    assert "∂u/∂b is the other factor, c = 2, not b = 5 itself" in text


def test_hint_relu_at_an_input_at_most_0() -> None:
    x = Value(-2.0, label="x")
    r = x.relu()
    r.label = "r"
    L = 3 * r + x
    L.label = "L"
    # right: dL/dx = 3 · 0 + 1 = 1; relu passing the gradient on gives 3 + 1 = 4
    assert hint(L, {"x": 4}).startswith("relu's input x = -2 is ≤ 0")


def test_hint_relu_passes_the_gradient_where_its_input_is_positive() -> None:
    x = Value(2.0, label="x")
    r = x.relu()
    r.label = "r"
    L = 3 * r
    L.label = "L"
    assert hint(L, {"x": 0}).startswith("relu's input x = 2 is > 0")


def test_no_hint_matches_says_so() -> None:
    text = hint(lecture("computation_graph"), {"b": 41})
    assert text.startswith("No common mistake gives 41.")


def test_a_later_wrong_answer_that_follows_from_an_earlier_one_says_so() -> None:
    q = quiz(lecture("computation_graph"))
    q.answer("v", 3)
    q.answer("u", 4)  # wrong: dJ/du = 3
    q.answer("b", 8)  # right from the learner's dJ/du: 4 · c
    text = str(q.check())
    assert "✗ dJ/db = 8   (follows from your dJ/du = 4)" in text


def test_local_derivatives_quiz() -> None:
    J = lecture("computation_graph")
    q = quiz(J, ask="local")
    right = {("J", "v"): 3, ("v", "a"): 1, ("v", "u"): 1, ("u", "b"): 2, ("u", "c"): 3}
    for edge, value in right.items():
        q.answer(edge, value)
    report = q.check()
    assert report.ok, report
    assert "all 5 local derivatives right" in str(report)
    q.answer(("u", "b"), 6)  # the whole share dJ/du · ∂u/∂b, not ∂u/∂b
    text = str(q.check())
    assert "✗ ∂u/∂b = 6" in text
    assert "6 is the whole share dJ/db gets from u" in text


def test_local_quiz_of_an_input_used_twice_by_one_op_asks_their_sum() -> None:
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    q = quiz(y, ask="local")
    q.answer(("y", "a"), 6)  # ∂(a·a)/∂a = 2a
    assert q.check().ok


def test_answers_take_numbers_of_every_kind() -> None:
    q = quiz(lecture("computation_graph"))
    q.answer("v", np.float64(3.0))
    q.answer("u", np.int64(3))
    q.answer("a", Fraction(3))
    q.answer("b", np.array(6.0))
    J_nodes = by_label(q.root)
    q.answer(J_nodes["c"], 9)
    assert q.check().ok


def test_bad_answers_are_refused_in_one_line() -> None:
    J = lecture("computation_graph")
    q = quiz(J)
    with pytest.raises(ValueError, match="no value of the graph is called 'x'"):
        q.answer("x", 1)
    with pytest.raises(ValueError, match="dJ/dJ = 1 is given"):
        q.answer("J", 1)
    with pytest.raises(TypeError, match="value must be a number, not str"):
        q.answer("a", "3")
    with pytest.raises(TypeError, match="value must be a number, not bool"):
        q.answer("a", True)
    with pytest.raises(TypeError, match=r"value must be a number \(its .data\)"):
        q.answer("a", Value(3.0))
    with pytest.raises(ValueError, match="not a value of the quiz's graph"):
        q.answer(Value(1.0), 1)
    with pytest.raises(ValueError, match="is a constant"):
        q.answer("3", 11)
    with pytest.raises(TypeError, match="root must be a Value"):
        quiz(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ask must be 'grads' or 'local'"):
        quiz(J, ask="grad")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name an edge as a pair"):
        quiz(J, ask="local").answer("u", 2)


def test_show_prints_the_tree_with_question_marks(capsys) -> None:
    q = quiz(lecture("computation_graph"))
    q.answer("b", 6)
    q.show()
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["J", "=", "3", "*", "v", "data", "33", "dJ/dJ", "=", "1"]
    assert "        ├── b      data 3   dJ/db = 6" in out
    assert out.count("= ?") == 4
    assert "6.0000" not in out and "dJ/dc = 9" not in out  # no answer shown


def test_show_refers_to_a_reused_value_once_printed() -> None:
    q = quiz(reused_leaf())
    text = q._tree()
    assert "a (see above)" in text
    assert text.count("dL/da = ?") == 2


def test_report_html_escapes_and_colours() -> None:
    x = Value(2.0, label="<x>")
    y = x * x
    y.label = "y"
    q = quiz(y)
    q.answer("<x>", 1)
    page = q.check()._repr_html_()
    assert "&lt;x&gt;" in page and "<x>" not in page
    assert 'color:#cf222e">  ✗' in page
    assert Report("ok", True)._repr_html_().startswith('<pre class="chaingrad-practice"')


# ---------------------------------------------------------------- answer keys


def test_a_rounded_answer_is_accepted_and_a_wrong_one_is_not() -> None:
    right = CASES["backprop_mazur"]["expected"]["dE_dw5"]  # 0.0821670405...
    for rounded in (0.0822, 0.08217, 0.082167, right):
        assert accepts(rounded, right)
        assert answer_key(rounded, "s") in answer_keys(right, "s")
    for wrong in (0.0823, 0.082, 0.0821, -0.0822, 0.822):
        assert not accepts(wrong, right)
        assert answer_key(wrong, "s") not in answer_keys(right, "s")


def test_quiz_check_and_the_practice_page_use_one_rule() -> None:
    from autograd.display import answers, page

    assert accepts is answers.accepts and answer_keys is page.answer_keys
    a, b = Value(2.0, label="a"), Value(1 / 3, label="b")
    J = a * b
    J.label = "J"
    q = quiz(J)
    q.answer("a", 0.333)  # dJ/da = b = 1/3, rounded by the learner
    q.answer("b", 2)
    assert q.check().ok
    q.answer("a", 0.33)  # two digits are not enough
    report = q.check()
    assert not report.ok and "✗ dJ/da = 0.33" in str(report)


def test_rounding_along_the_way_is_accepted_at_a_boundary() -> None:
    right = 1.2349999  # 1.23 at 3 digits; a learner with 1.235 rounds it to 1.24
    assert accepts(1.23, right) and accepts(1.235, right) and accepts(1.24, right)
    assert not accepts(1.22, right) and not accepts(1.25, right)


def test_zero_is_only_matched_by_zero() -> None:
    assert accepts(0, 0.0) and accepts(-0.0, 0.0)
    assert not accepts(1e-9, 0.0) and not accepts(0.0, 1e-9)


def test_keys_agree_with_accepts_and_hide_the_number() -> None:
    import random

    rng = random.Random(7)
    for _ in range(500):
        right = rng.choice([1, -1]) * 10 ** rng.uniform(-5, 5)
        answer = right * (1 + rng.choice([0, 1e-5, 4e-4, 3e-3, -3e-3, 1e-2]))
        assert (answer_key(answer, "k") in answer_keys(right, "k")) == accepts(answer, right)
    key = answer_key(6.0, "salt")
    assert re.fullmatch("[0-9a-f]{64}", key)
    assert key != answer_key(6.0, "other salt")
    assert answer_key(6.0, "salt") == answer_key(5.9996, "salt")  # both 6.00e0


def test_key_errors() -> None:
    with pytest.raises(TypeError, match="salt must be a str"):
        answer_key(1.0, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="value must be a number"):
        answer_key("1")  # type: ignore[arg-type]


# ---------------------------------------------------------------- check_rule


def test_check_rule_accepts_a_right_derivative() -> None:
    report = check_rule("tanh", lambda x: 1 - math.tanh(x) ** 2)
    assert report.ok and "agrees with the engine's at 20 points" in str(report)
    assert check_rule("x * y", lambda x, y: (y, x)).ok
    assert check_rule("*", lambda x, y: (y, x)).ok
    sigmoid = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    assert check_rule("sigmoid", lambda x: sigmoid(x) * (1 - sigmoid(x))).ok
    report = check_rule("log", lambda x: 1 / x)  # at 0 the engine's is inf: skipped
    assert "at or beside its edges" in str(report)


def test_check_rule_shows_where_a_wrong_derivative_differs() -> None:
    with pytest.raises(AssertionError) as info:
        check_rule("tanh", lambda x: 1 - x**2)
    message = str(info.value)
    assert message.startswith("check_rule('tanh'): your derivative differs from the engine's at")
    first = re.search(r"at x = (\S+): yours (\S+), the engine's (\S+)", message)
    assert first is not None
    x = float(first.group(1))
    assert float(first.group(2)) == pytest.approx(1 - x**2, rel=1e-9)
    assert float(first.group(3)) == pytest.approx(1 - math.tanh(x) ** 2, rel=1e-9)


def test_check_rule_checks_the_edge_points() -> None:
    # relu'(0) = 1 (the convention of some notes) differs from the engine's 0 only at 0
    with pytest.raises(AssertionError) as info:
        check_rule("relu", lambda x: 1.0 if x >= 0 else 0.0)
    assert "differs from the engine's at 1 of" in str(info.value)
    assert "at x = 0: yours 1, the engine's 0  (an edge of the op)" in str(info.value)
    assert check_rule("relu", lambda x: 1.0 if x > 0 else 0.0).ok


def test_check_rule_swapped_operands_and_learner_failures() -> None:
    with pytest.raises(AssertionError, match=r"yours .*, the engine's"):
        check_rule("x * y", lambda x, y: (x, y))
    report = check_rule("exp", lambda x: 1 / 0, strict=False)
    assert not report.ok and "yours raised ZeroDivisionError" in str(report)
    report = check_rule("x * y", lambda x, y: y, strict=False)
    assert "not 2 numbers" in str(report)


def test_check_rule_errors() -> None:
    with pytest.raises(ValueError, match="unknown op 'tanhh'"):
        check_rule("tanhh", math.tanh)
    with pytest.raises(TypeError, match="fn must be a function"):
        check_rule("tanh", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="points must be a positive int"):
        check_rule("tanh", math.tanh, points=0)


# ---------------------------------------------------------------- imports


def test_practice_imports_neither_pytest_nor_hypothesis() -> None:
    code = (
        "import sys, autograd.practice, autograd.practice.engines\n"
        "assert 'pytest' not in sys.modules and 'hypothesis' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
