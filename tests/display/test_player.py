"""autograd.player: the page it writes (always), and the page in a real browser (headless
Chromium driven by Selenium: CI installs chromium and chromium-driver and runs these; elsewhere
they skip when the browser is missing).

What the page shows at every step is checked against the engine: data appear in topological
order, then gradients exactly as backward_steps accumulates them, ending at what backward()
gives a fresh graph; each backward caption is explain's text for that step.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import network_requests
from graphs import lecture_graph

import autograd
import nn
from autograd import Value, backward_steps, player, topological_order
from autograd.cli import main
from autograd.core.value import Constant
from autograd.display import drawing as viz
from autograd.display.view import GraphView

EVIL = "</script><img src=x onerror=alert(1)>"
number = autograd.display.formatting.number


# ---------------------------------------------------------------- graphs


def lecture() -> Value:
    return lecture_graph()["J"]


def reused() -> Value:
    x = Value(3.0, label="x")
    h = x * x
    h.label = "h"
    y = h + x + h.tanh()  # x used three times, h twice
    y.label = "y"
    return y


def neuron() -> Value:
    n = nn.Neuron(3, activation="tanh", rng=1)
    out = n([0.5, -1.5, 2.0])
    out.label = "out"
    return out


def injection() -> Value:
    a = Value(2.0, label=EVIL)
    y = a * a + 1.0
    y.label = "y"
    return y


GRAPHS = {"lecture": lecture, "reused": reused, "neuron": neuron, "injection": injection}


def expected_states(root: Value) -> list[dict[int, tuple[str, str]]]:
    """For each step k = 0..N, node index -> (data text, grad text) the page must show."""
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    forward = [i for i, v in enumerate(order) if v.parents]
    appears = {i: k for k, i in enumerate(forward, start=1)}
    steps = backward_steps(root)
    states = []
    for k in range(len(forward) + 1):  # forward: data appear one by one, no gradient yet
        states.append(
            {i: (number(v.data) if appears.get(i, 0) <= k else "", "") for i, v in enumerate(order)}
        )
    totals: dict[int, float] = {index[root]: 1.0}
    for step in steps:  # backward: the root's 1 with the first step, then each contribution
        for c in step.contributions:
            if isinstance(c.parent, Constant):  # a constant's box shows no gradient
                continue
            p = index[c.parent]
            totals[p] = totals.get(p, 0.0) + c.product
        states.append(
            {
                i: (number(v.data), number(totals[i]) if i in totals else "")
                for i, v in enumerate(order)
            }
        )
    return states


# ---------------------------------------------------------------- the page, without a browser


def svg_of(page: str) -> ET.Element:
    return ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])


def shown(svg: ET.Element) -> dict[int, tuple[str, str]]:
    out = {}
    for g in svg.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("data-node") is not None:
            fields = {
                t.get("data-field"): t.text or ""
                for t in g.iter("{http://www.w3.org/2000/svg}tspan")
                if t.get("data-field")
            }
            out[int(g.get("data-node"))] = (fields["data"], fields.get("grad", ""))
    return out


@pytest.mark.parametrize("name", GRAPHS)
def test_without_javascript_the_page_shows_the_finished_graph(name: str) -> None:
    root = GRAPHS[name]()
    page = player(root).html()
    assert shown(svg_of(page)) == expected_states(root)[-1]
    root.backward()  # and that is what backward() gives
    order = topological_order(root)
    for i, (data, grad) in shown(svg_of(page)).items():
        want = "" if isinstance(order[i], Constant) else number(order[i].grad)
        assert (data, grad) == (number(order[i].data), want)


def test_making_a_player_never_runs_backward(monkeypatch) -> None:
    root = lecture()
    order = topological_order(root)
    for k, v in enumerate(order):
        v.grad = k + 0.25

    def refuse(*args, **kwargs):
        raise AssertionError("player() called backward()")

    monkeypatch.setattr(Value, "backward", refuse)
    monkeypatch.setattr(autograd.core.graph, "backward", refuse)
    page = player(root).html()
    assert [v.grad for v in order] == [k + 0.25 for k in range(len(order))]
    assert shown(svg_of(page))[len(order) - 1] == ("33.0000", "1.0000")


def test_the_page_is_self_contained_and_has_no_ids() -> None:
    page = player(neuron()).html()
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert not re.search(r"\sid=", page)  # two players on one page share no id
    for hook in ('data-action="first"', 'data-action="play"', 'data-role="step"'):
        assert hook in page
    assert 'data-role="caption"' in page and 'class="chaingrad-player"' in page


def test_a_hostile_label_is_escaped_everywhere() -> None:
    page = player(injection()).html()
    assert "<img" not in page and "</script><img" not in page
    data = page.split('<script type="application/json" class="cg-data">')[1].split("</script>")[0]
    assert json.loads(data)["nodes"][0]["name"] == EVIL  # intact once parsed
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page  # in the SVG and text


def test_size_of_a_100_node_page() -> None:
    x = Value(0.3, label="x")
    y = x
    for _ in range(25):  # 4 values each: *, the constant, +, tanh
        y = (y * x + 0.1).tanh()
    assert 95 <= len(topological_order(y)) <= 110
    size = len(player(y).html().encode("utf-8"))
    assert size <= 300_000, size  # what docs/how-to/step_through_backward.md says


def test_too_big_a_graph_is_the_render_error(tmp_path: Path) -> None:
    big = autograd.sum([Value(float(i)) for i in range(1000)])
    with pytest.raises(ValueError) as from_render:
        viz.render(big, tmp_path / "big.svg")
    with pytest.raises(ValueError) as from_player:
        player(big)
    assert str(from_player.value) == str(from_render.value)
    assert player(big, max_nodes=1001)._repr_html_().startswith('<div class="chaingrad-player"')


def test_render_and_the_command_line_write_the_same_page(tmp_path: Path) -> None:
    root = lecture()
    saved = player(root).save(tmp_path / "p.html")
    assert saved == tmp_path / "p.html"
    rendered = viz.render(root, tmp_path / "r.html")
    assert rendered.read_bytes() == saved.read_bytes()
    assert main(["draw", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(tmp_path / "d.html")]) == 0
    assert main(["steps", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(tmp_path / "s.html")]) == 0
    assert (tmp_path / "d.html").read_bytes() == (tmp_path / "s.html").read_bytes()
    # the suffix's case does not matter, as for render's formats: a page, not a folder
    assert main(["steps", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(tmp_path / "S.HTML")]) == 0
    assert (tmp_path / "S.HTML").read_bytes() == (tmp_path / "d.html").read_bytes()
    assert 'data-role="caption"' in (tmp_path / "d.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="render\\(root, 'graph.html'\\)"):
        viz.render_steps(root, tmp_path / "steps", format="html")
    bare = player(root, local_grads=False).html()
    assert 'data-local="' not in bare and 'data-local="' in saved.read_text(encoding="utf-8")


def test_the_page_assets_ship_with_the_package() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    data = pyproject.split("[tool.setuptools.package-data]")[1].split("\n[")[0]
    assert '"display/player.js"' in data and '"display/player.css"' in data  # so a wheel ships them
    from importlib import resources

    for name in ("player.js", "player.css"):
        assert resources.files("autograd.display").joinpath(name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- in a real browser


STATE = """
return Array.from(arguments[0].querySelectorAll('[data-node]')).map(function (g) {
  return [+g.getAttribute('data-node'),
          g.querySelector('[data-field="data"]').textContent,
          (g.querySelector('[data-field="grad"]') || {textContent: ""}).textContent];
});
"""


def state(driver, root_el) -> dict[int, tuple[str, str]]:
    return {i: (d, g) for i, d, g in driver.execute_script(STATE, root_el)}


def open_page(driver, path: Path):
    from selenium.webdriver.common.by import By

    driver.get(path.as_uri())
    driver.get_log("performance")  # start the network log afresh from here
    return driver.find_element(By.CSS_SELECTOR, ".chaingrad-player")


def step_text(el) -> str:
    from selenium.webdriver.common.by import By

    return el.find_element(By.CSS_SELECTOR, '[data-role="step"]').text


def caption(el) -> str:
    from selenium.webdriver.common.by import By

    return el.find_element(By.CSS_SELECTOR, '[data-role="caption"]').text


def click(el, action: str) -> None:
    from selenium.webdriver.common.by import By

    el.find_element(By.CSS_SELECTOR, f'[data-action="{action}"]').click()


@pytest.mark.parametrize("name", GRAPHS)
def test_stepping_through_every_state(browser, name: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    root = GRAPHS[name]()
    page = player(root).save(tmp_path / f"{name}.html")
    states = expected_states(root)
    n = len(states) - 1
    order = topological_order(root)
    n_fwd = sum(1 for v in order if v.parents)
    # explain's lines for each backward step, numbered as the player numbers them
    captions = [None] * (n_fwd + 1) + [
        "\n".join(["backward" + lines[0].removeprefix("step"), *lines[1:]])
        for lines in GraphView(root).lines
    ]
    el = open_page(browser, page)
    assert step_text(el) == f"0 / {n}"
    assert state(browser, el) == states[0]  # only the leaves' data
    for k in range(1, n + 1):  # the buttons, forward then backward
        click(el, "next")
        assert step_text(el) == f"{k} / {n}"
        assert state(browser, el) == states[k], k
        if captions[k] is not None:
            assert caption(el) == captions[k]  # explain's lines for this backward step
    click(el, "next")  # past the end: stays
    assert step_text(el) == f"{n} / {n}"
    el.click()
    for k in range(n - 1, -1, -1):  # the keys, all the way back
        el.send_keys(Keys.ARROW_LEFT)
        assert step_text(el) == f"{k} / {n}"
        assert state(browser, el) == states[k], k
    el.send_keys(Keys.ARROW_RIGHT)
    assert state(browser, el) == states[1]
    click(el, "last")
    assert state(browser, el) == states[n]
    click(el, "first")
    assert state(browser, el) == states[0]
    # the last state is backward()'s result on a fresh graph
    root.backward()
    assert states[n] == {
        i: (number(v.data), "" if isinstance(v, Constant) else number(v.grad))
        for i, v in enumerate(order)
    }
    assert network_requests(browser, page) == []
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0


def test_play_runs_to_the_end(browser, tmp_path: Path) -> None:
    page = player(lecture()).save(tmp_path / "play.html")
    el = open_page(browser, page)
    click(el, "play")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(lambda d: step_text(el) == "6 / 6")
    from selenium.webdriver.common.by import By

    assert el.find_element(By.CSS_SELECTOR, '[data-action="play"]').text == "play"  # stopped
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("arguments[0].focus()", el)
    el.send_keys(Keys.HOME)
    assert step_text(el) == "0 / 6"
    el.send_keys(Keys.SPACE)  # space plays and pauses
    assert el.find_element(By.CSS_SELECTOR, '[data-action="play"]').text == "pause"
    el.send_keys(Keys.SPACE)
    assert el.find_element(By.CSS_SELECTOR, '[data-action="play"]').text == "play"
    el.send_keys(Keys.END)
    assert step_text(el) == "6 / 6"


def test_clicking_a_value_shows_its_chain_rule_sum(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = reused()
    order = topological_order(root)
    x = next(v for v in order if v.label == "x")
    page = player(root).save(tmp_path / "info.html")
    el = open_page(browser, page)
    click(el, "last")
    box = el.find_element(By.CSS_SELECTOR, f'[data-node="{order.index(x)}"]')
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click'))", box)
    info = el.find_element(By.CSS_SELECTOR, '[data-role="info"]').text
    root.backward()
    assert info.startswith("x   (input)")
    assert f"grad {number(x.grad)}" in info and "data 3.0000" in info
    # three uses of x: three terms, their sum is x.grad
    chain = next(line for line in info.splitlines() if line.startswith("chain rule: "))
    assert chain.count(" · ∂") == 3 and chain.endswith(f"= {number(x.grad)}")
    h = next(v for v in order if v.label == "h")
    box = el.find_element(By.CSS_SELECTOR, f'[data-node="{order.index(h)}"]')
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseenter'))", box)
    info = el.find_element(By.CSS_SELECTOR, '[data-role="info"]').text
    assert "local derivatives: ∂h/∂x = 3.0000   ∂h/∂x = 3.0000" in info


def test_the_injection_label_shows_literally_and_runs_nothing(browser, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = player(injection()).save(tmp_path / "evil.html")
    el = open_page(browser, page)
    click(el, "last")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    texts = [t.text for t in el.find_elements(By.CSS_SELECTOR, "[data-node] text")]
    assert EVIL in texts  # the name cell of the value box
    assert EVIL in caption(el)
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert network_requests(browser, page) == []


def test_two_players_on_one_page_do_not_interfere(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    first, second = player(lecture()), player(reused())
    page = tmp_path / "two.html"
    page.write_text(
        "<!DOCTYPE html><meta charset='utf-8'><body>"
        + first._repr_html_()
        + second._repr_html_()
        + "</body>",
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    one, two = browser.find_elements(By.CSS_SELECTOR, ".chaingrad-player")
    click(two, "next")
    click(two, "next")
    assert step_text(one) == "0 / 6" and step_text(two).startswith("2 / ")
    click(one, "last")
    assert step_text(one) == "6 / 6" and step_text(two).startswith("2 / ")
    assert state(browser, one) == expected_states(lecture())[-1]
    assert state(browser, two) == expected_states(reused())[2]


def test_screenshots(browser, tmp_path: Path) -> None:
    page = player(lecture()).save(tmp_path / "shots.html")
    el = open_page(browser, page)
    shots = {}
    for name, clicks in (("initial", 0), ("mid-backward", 5), ("final", 1)):
        for _ in range(clicks):
            click(el, "next")
        shots[name] = tmp_path / f"player_{name}.png"
        assert el.screenshot(str(shots[name]))
    for path in shots.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert step_text(el) == "6 / 6"


def test_the_readme_screenshot_is_committed() -> None:
    path = Path(__file__).parents[2] / "docs" / "player.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/player.png" in (Path(__file__).parents[2] / "README.md").read_text()


def test_a_far_input_drawn_again_waits_for_its_value(browser, tmp_path: Path) -> None:
    # the drawing copies an input used far from where it is made (viz); the copy shows only
    # the value's name, and the player dims it until the value is computed
    x = Value(0.5, label="x")
    h = x.tanh()
    h.label = "h"
    y = h
    for _ in range(4):
        y = y.tanh()
    y = y * h  # h used again five ops later
    y.label = "y"
    page = player(y).save(tmp_path / "far.html")
    text = page.read_text(encoding="utf-8")
    assert 'data-copy="' in text
    el = open_page(browser, page)
    dimmed = (
        "return Array.from(arguments[0].querySelectorAll('[data-copy]'))"
        ".map(g => g.classList.contains('cg-pending'))"
    )
    assert all(browser.execute_script(dimmed, el))  # step 0: h not computed yet
    click(el, "next")  # forward 1 computes h
    assert not any(browser.execute_script(dimmed, el))


# ---------------------------------------------------------------- practice mode


def practice_graph() -> Value:
    """Numbers chosen so that no gradient equals any value's data, to the digits checked."""
    a, b, c = Value(0.7, label="a"), Value(-1.3, label="b"), Value(2.1, label="c")
    u = b * c
    u.label = "u"
    v = (a + u).tanh()
    v.label = "v"
    w = v * v
    w.label = "w"
    J = ((w * a).exp() + b).tanh()
    J.label = "J"
    return J


def decimal_forms(x: float) -> set[str]:
    # 3 significant digits at least: Graphviz writes coordinates with 2 decimals
    forms = {repr(x), f"{x:.4f}", f"{x:.3f}", f"{x:.3g}", f"{x:.4g}", f"{x:.6g}"}
    forms |= {f.lstrip("-") for f in forms}  # the magnitude alone
    return {f for f in forms if len(f.lstrip("-").replace(".", "").lstrip("0")) >= 3}


def appears(number: str, page: str) -> bool:
    """Whether ``number`` is written in ``page`` as a number of its own (not inside 121.35)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", page) is not None


def test_the_page_and_the_practice_module_share_one_answer_rule() -> None:
    import autograd.practice
    from autograd.display import answers, page

    # one implementation: the page's keys and the practice module's names are the same functions
    assert page.answer_key is answers.answer_key is autograd.practice.answer_key
    assert page.answer_keys is answers.answer_keys is autograd.practice.answer_keys
    assert autograd.practice.accepts is answers.accepts
    keys = answers.answer_keys(-0.48561, "salt")
    for rounded in (-0.48561, -0.4856, -0.486):  # a learner's rounding is accepted
        assert answers.answer_key(rounded, "salt") in keys
    for wrong in (-0.49, -0.485, -0.487, 0.486):  # two digits, a wrong digit, a sign flip
        assert answers.answer_key(wrong, "salt") not in keys
    assert answers.answer_key(-0.486, "other") not in keys  # keys differ from page to page
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in keys)


def test_an_exact_half_rounds_up_as_the_browser_does() -> None:
    from autograd.display.answers import accepts, answer_form

    # 1.125 is exact in binary: JavaScript's toExponential rounds it up, Python's "%.2e" to even
    assert f"{1.125:.2e}" == "1.12e+00" and answer_form(1.125) == "1.13e0"
    assert accepts(1.125, 1.125) and accepts(1.13, 1.125) and not accepts(1.11, 1.125)
    assert answer_form(9.9951) == "1.00e1" and answer_form(-2.5e-7) == "-2.50e-7"


def test_the_practice_page_holds_no_gradient() -> None:
    root = practice_graph()
    page = player(root, practice=True).html()
    order = topological_order(root)
    root.backward()
    # the data is on the page, and so is the seed dJ/dJ = 1
    data = {f for v in order for f in decimal_forms(v.data)} | decimal_forms(1.0)
    for v in order:
        if v is root or isinstance(v, Constant):
            continue  # the root's gradient is the seed, 1
        forms = decimal_forms(v.grad) - data
        assert forms, v.label  # the test graph keeps gradients apart from the data
        found = [f for f in forms if appears(f, page)]
        assert not found, (v.label, found)
    for v in order:  # and no local derivative either
        for d in autograd.local_grads(v):
            assert not [f for f in decimal_forms(d) - data if appears(f, page)], (v.label, d)
    assert page.count('<input type="text"') == len(order) - 1


def test_practice_in_a_browser(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    root = practice_graph()
    page = player(root, practice=True).save(tmp_path / "practice.html")
    el = open_page(browser, page)
    order = topological_order(root)
    root.backward()
    rows = el.find_elements(By.CSS_SELECTOR, ".chaingrad-player .cg-q[data-node]")
    assert len(rows) == len(order) - 1
    score = el.find_element(By.CSS_SELECTOR, '[data-role="score"]')
    assert score.text == f"0 / {len(rows)}"
    # a wrong answer: red, with the chain-rule sum as a hint
    first = rows[0]
    v = order[int(first.get_attribute("data-node"))]
    box = first.find_element(By.TAG_NAME, "input")
    box.send_keys(f"{v.grad + 1:.4f}", Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda _: "cg-wrong" in first.get_attribute("class"))
    assert "not quite: dJ/d" in first.text and "·" in first.text
    assert score.text == f"0 / {len(rows)}"
    # every right answer, typed with 4 decimals: green, and the score reads n / n
    for k, row in enumerate(rows, start=1):
        v = order[int(row.get_attribute("data-node"))]
        box = row.find_element(By.TAG_NAME, "input")
        box.clear()
        box.send_keys(f"{v.grad:.4f}", Keys.ENTER)
        WebDriverWait(browser, 5).until(lambda _, row=row: "cg-right" in row.get_attribute("class"))
        assert score.text == f"{k} / {len(rows)}"
    assert browser.get_log("browser") == [] or all(
        e["level"] != "SEVERE" for e in browser.get_log("browser")
    )


def test_the_practice_page_accepts_exactly_what_quiz_accepts(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from autograd.practice import quiz

    root = practice_graph()
    el = open_page(browser, player(root, practice=True).save(tmp_path / "same_rule.html"))
    order = topological_order(root)
    root.backward()
    verdicts: list[tuple[float, bool]] = []
    for row in el.find_elements(By.CSS_SELECTOR, ".chaingrad-player .cg-q[data-node]")[:3]:
        v = order[int(row.get_attribute("data-node"))]
        g = v.grad
        unit = 10.0 ** (math.floor(math.log10(abs(g))) - 3)  # one unit of the 4th digit
        tries = [g, float(f"{g:.3g}"), float(f"{g:.4g}"), float(f"{g:.2g}"), -g]
        tries += [g + k * unit for k in (-12, -6, -4, 4, 6, 12)]
        tries += [float(f"{g:.3g}") + k * 10 * unit for k in (-1, 1)]  # the 3rd digit off by one
        box = row.find_element(By.TAG_NAME, "input")
        for x in tries:
            browser.execute_script("arguments[0].className = 'cg-q'", row)
            box.clear()
            box.send_keys(repr(x), Keys.ENTER)
            WebDriverWait(browser, 5).until(
                lambda _, row=row: re.search(r"cg-(right|wrong)", row.get_attribute("class"))
            )
            on_page = "cg-right" in row.get_attribute("class")
            q = quiz(root)
            q.answer(v, x)
            in_quiz = re.search("^  ✓ ", str(q.check()), re.M) is not None
            assert on_page == in_quiz, (v.label, g, x)
            verdicts.append((x, on_page))
    # the values tried were both accepted and refused: the comparison can tell them apart
    assert {ok for _, ok in verdicts} == {True, False}


# ---------------------------------------------------------------- on real graphs


def mlp_loss() -> Value:
    model = nn.MLP(2, [8, 8, 1], rng=0)
    out = model([Value(0.5), Value(-1.0)])[0]
    return nn.mse_loss([out], [1.0])


def test_one_numbering_forward_and_backward(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = lecture()
    page = player(root).save(tmp_path / "numbering.html")
    el = open_page(browser, page)
    n_fwd = sum(1 for v in topological_order(root) if v.parents)
    n_bwd = len(backward_steps(root))
    for k in range(1, n_fwd + 1):
        click(el, "next")
        assert caption(el).startswith(f"forward {k} of {n_fwd}: ")
    for k in range(1, n_bwd + 1):
        click(el, "next")
        assert caption(el).startswith(f"backward {k} of {n_bwd}: ")
    mark = el.find_element(By.CSS_SELECTOR, '[data-role="forward-end"]')
    assert mark.get_attribute("data-step") == str(n_fwd)  # where forward ends
    slider = el.find_element(By.CSS_SELECTOR, '[data-role="slider"]')
    x = mark.location["x"] + mark.size["width"] / 2
    left, width = slider.location["x"], slider.size["width"]
    assert abs(x - (left + width * n_fwd / (n_fwd + n_bwd))) < 12  # under its step


def test_step_0_looks_whole_and_the_legend_names_every_state(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = player(lecture()).save(tmp_path / "zero.html")
    el = open_page(browser, page)
    assert el.find_elements(By.CSS_SELECTOR, ".cg-hidden") == []  # no gaps in the arrows
    legend = el.find_element(By.CSS_SELECTOR, ".cg-states").text
    for state_name in ("not yet computed", "forward", "being processed", "just updated"):
        assert state_name in legend


def test_op_nodes_show_their_rule_with_this_steps_numbers(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = lecture()
    order = topological_order(root)
    u = next(v for v in order if v.label == "u")
    page = player(root).save(tmp_path / "op.html")
    el = open_page(browser, page)
    click(el, "last")
    op = el.find_element(By.CSS_SELECTOR, f'[data-op="{order.index(u)}"]')
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseenter'))", op)
    info = el.find_element(By.CSS_SELECTOR, '[data-role="info"]').text
    assert "u = b * c" in info and "∂u/∂b = c = 2.0000" in info


def test_the_player_follows_the_current_node_and_zooms(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = mlp_loss()
    page = player(root).save(tmp_path / "mlp.html")
    el = open_page(browser, page)
    graph = el.find_element(By.CSS_SELECTOR, ".cg-graph")
    svg = el.find_element(By.CSS_SELECTOR, "svg.cg-svg")
    width = svg.size["width"]
    click(el, "zoom-in")
    assert svg.size["width"] > width
    click(el, "zoom-out")
    click(el, "zoom-out")
    assert svg.size["width"] < width
    click(el, "zoom-in")
    click(el, "zoom-in")
    click(el, "zoom-in")
    inside = """
    var g = arguments[0].querySelector('svg [data-node].cg-current');
    var a = g.getBoundingClientRect(), b = arguments[1].getBoundingClientRect();
    return a.left >= b.left - 1 && a.right <= b.right + 1
        && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    """
    n = int(step_text(el).split(" / ")[1])
    for k in (1, n // 3, n // 2, n - 1):
        browser.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
            el.find_element(By.CSS_SELECTOR, '[data-role="slider"]'),
            k,
        )
        assert browser.execute_script(inside, el, graph), k
    click(el, "fit")
    assert svg.size["width"] <= graph.size["width"] + 1
    speed = el.find_element(By.CSS_SELECTOR, '[data-role="speed"]')
    assert len(speed.find_elements(By.TAG_NAME, "option")) >= 3
