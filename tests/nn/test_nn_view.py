"""nn.TrainingView and fit(view=..., validation=...): the replay page in a real browser (headless
Chromium driven by Selenium, as tests/browser.py starts it: CI runs these, elsewhere they
skip when the browser is missing), checked against numbers kept from the run itself; and the
view only reads (training is bit for bit the same with it)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from browser import network_requests

import autograd
import nn
from autograd.display.formatting import number  # how the drawings and the player write numbers


def moons_run(view: Any = False, epochs: int = 12, **kw: Any) -> tuple[Any, ...]:
    """A small moons run with Adam (so the table has m and v) and a hinge + L2 loss, keeping
    each epoch's parameters, gradients, Adam state and outputs from a callback."""
    X, labels = nn.datasets.moons(40, noise=0.1, rng=0)
    y = [2 * t - 1 for t in labels]
    Xv, lv = nn.datasets.moons(10, noise=0.1, rng=1)
    yv = [2 * t - 1 for t in lv]
    model = nn.MLP(2, [4, 3, 1], rng=1)
    opt = nn.Adam(model.parameters(), lr=0.05)

    def loss(scores: Any, targets: Any) -> Any:
        return nn.hinge_loss(scores, targets) + nn.l2_penalty(model, 1e-3)

    kept: list[dict[str, Any]] = []

    def callback(epoch: int, history: Any) -> None:
        kept.append(
            {
                "state": model.state_dict(),
                "grads": {n: p.grad for n, p in model.named_parameters()},
                "adam": {n: opt.state_of(p) for n, p in model.named_parameters()},
                "outputs": [model(x)[0].data for x in X],
                "val_outputs": [model(x)[0].data for x in Xv],
            }
        )

    history = nn.fit(
        model,
        X,
        y,
        loss,
        opt,
        epochs=epochs,
        progress=False,
        callback=callback,
        validation=(Xv, yv),
        view=view,
        **kw,
    )
    return model, X, y, Xv, loss, history, kept


# ---------------------------------------------------------------- the view only reads


def test_parameters_and_history_are_identical_with_the_view_on_and_off(tmp_path: Path) -> None:
    off = moons_run(view=False)
    on = moons_run(view=tmp_path / "v.html")
    assert on[0].state_dict() == off[0].state_dict()
    assert dict(on[5]) == dict(off[5])
    assert [k["grads"] for k in on[6]] == [k["grads"] for k in off[6]]
    assert on[5].view is not None and off[5].view is None
    assert on[5].view.epochs == list(range(12))
    assert (tmp_path / "v.html").stat().st_size > 0
    # making the page set the parameters to each epoch's and put them back exactly
    assert on[0].state_dict() == off[0].state_dict()
    assert all(p.grad == off_p.grad for p, off_p in zip(on[0].parameters(), off[0].parameters()))


def test_validation_adds_val_loss_and_metrics() -> None:
    model, X, y, Xv, loss, history, kept = moons_run()
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["val_loss"]) == 12
    # the validation numbers are the model's after each epoch
    _, labels = nn.datasets.moons(10, noise=0.1, rng=1)
    yv = [2 * t - 1 for t in labels]
    for k, entry in enumerate(kept):
        outs = entry["val_outputs"]
        assert history["val_accuracy"][k] == nn.accuracy(outs, yv, labels=(-1, 1))
        model.load_state_dict(entry["state"])
        scores = [model(x)[0] for x in Xv]
        assert history["val_loss"][k] == loss(scores, yv).data


def test_every_keeps_every_nth_epoch_and_the_latest() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    X, y = nn.datasets.xor()
    view = nn.TrainingView(model, X, y, every=3, live=False)
    history: dict[str, list[float]] = {"loss": []}
    for epoch in range(8):
        history["loss"].append(float(epoch))
        view.update(epoch, history)
    assert view.epochs == [0, 3, 6, 7]


def test_bad_arguments_are_one_line_errors() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    X, y = nn.datasets.xor()
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        nn.TrainingView(lambda x: x, X, y)
    with pytest.raises(ValueError, match="point 9 is out of range for 4 samples"):
        nn.TrainingView(model, X, y, point=9)
    with pytest.raises(ValueError, match="grid must be at least 4"):
        nn.TrainingView(model, X, y, grid=2)
    with pytest.raises(TypeError, match="every must be an int, not float"):
        nn.TrainingView(model, X, y, every=1.5)
    with pytest.raises(ValueError, match="no epoch yet"):
        nn.TrainingView(model, X, y, live=False).html()
    with pytest.raises(TypeError, match="view must be True, False or a path"):
        nn.fit(model, X, y, nn.mse_loss, nn.SGD(model, lr=0.1), epochs=1, view=3)


def test_inputs_that_are_not_2d_leave_the_plane_out_and_say_why() -> None:
    model = nn.MLP(3, [2, 1], rng=0)
    X = [[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]]
    y = [1.0, -1.0]
    view = nn.TrainingView(model, X, y, loss=nn.hinge_loss, live=False)
    view.update(0, {"loss": [1.0]})
    page = view._repr_html_()
    assert "the inputs are not 2-D, so there is no plane to draw" in page
    assert '<figure class="cgt-boundary"' not in page


# ---------------------------------------------------------------- numpy and sklearn data


def test_numpy_and_sklearn_data_go_straight_in() -> None:
    np = pytest.importorskip("numpy")
    datasets = pytest.importorskip(
        "sklearn.datasets", reason="scikit-learn is in the dev extra (CI installs it)"
    )
    X, labels = datasets.make_moons(60, noise=0.1, random_state=0)
    y = 2 * labels - 1  # an int64 array
    runs = []
    for data in ((X, y), (X.tolist(), y.tolist())):
        model = nn.MLP(2, [8, 1], rng=1)
        h = nn.fit(model, *data, nn.hinge_loss, nn.SGD(model, lr=0.1), epochs=3, progress=False)
        runs.append((dict(h), model.state_dict()))
    assert runs[0] == runs[1]  # the arrays read as exactly the same numbers
    assert nn.hinge_loss(np.array([0.5, -2.0]), np.array([1, -1])).data == 0.25
    assert nn.mse_loss([1.0], [np.int64(3)]).data == 4.0
    assert (
        nn.cross_entropy([[1.0, 2.0]], np.array([1])).data
        == nn.cross_entropy([[1.0, 2.0]], [1]).data
    )
    model = nn.MLP(2, [3, 1], rng=0)
    assert model(np.array([0.5, 1.5], dtype=np.float32))[0].data == model([0.5, 1.5])[0].data


def test_hinge_loss_with_every_target_plus_one_is_scored_by_its_own_labels() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    h = nn.fit(model, X, [1, 1, 1], nn.hinge_loss, nn.SGD(model, lr=0.1), epochs=2, progress=False)
    outputs = [model(x)[0].data for x in X]  # after training; the history scores before
    assert 0.0 <= h["accuracy"][-1] <= 1.0
    assert nn.accuracy(outputs, [1, 1, 1], labels=(-1, 1)) == sum(o > 0 for o in outputs) / 3


# ---------------------------------------------------------------- the replay page


WAIT = "return arguments[0].getAttribute('data-ready')"


def open_view(driver: Any, page: Path) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    driver.get_log("performance")
    el = driver.find_element(By.CSS_SELECTOR, ".chaingrad-training")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(WAIT, el) == "1")
    return el


def set_position(driver: Any, el: Any, k: int) -> None:
    driver.execute_script(
        "var s = arguments[0].querySelector('[data-role=\"epoch\"]'); s.value = arguments[1];"
        "s.dispatchEvent(new Event('input'));",
        el,
        k,
    )


SHOWN = """
var root = arguments[0];
function attr(sel, a) { return Array.from(root.querySelectorAll(sel)).map(e => e.getAttribute(a)); }
var params = {};
root.querySelectorAll('[data-param]').forEach(function (row) {
  var cells = {};
  row.querySelectorAll('[data-field]').forEach(
    c => cells[c.getAttribute('data-field')] = c.textContent);
  params[row.getAttribute('data-param')] = cells;
});
var neurons = {};
root.querySelectorAll('[data-role="neuron"]').forEach(
  n => neurons[n.getAttribute('data-neuron')] = JSON.parse(n.getAttribute('data-probes')));
var graph = Array.from(root.querySelectorAll('[data-role="graph"] [data-node]')).map(g => [
  +g.getAttribute('data-node'),
  (g.querySelector('[data-field="data"]') || {}).textContent,
  (g.querySelector('[data-field="grad"]') || {textContent: ''}).textContent]);  // none: blank
return {
  slider: root.querySelector('[data-role="epoch"]').value,
  epoch: root.getAttribute('data-epoch'),
  loss: root.querySelector('[data-role="loss"]').getAttribute('data-value'),
  classes: attr('[data-role="boundary"] [data-point]', 'data-class'),
  val_classes: attr('[data-role="boundary"] [data-val]', 'data-class'),
  names: attr('[data-param]', 'data-param'), params: params, neurons: neurons, graph: graph
};
"""


def activation(model: nn.MLP, layer: int, neuron: int, x: list[float]) -> float:
    """Neuron ``neuron`` of layer ``layer`` at input ``x``, through the engine."""
    out = model.layers[0](x)
    for lay in model.layers[1 : layer + 1]:
        out = lay(out)
    return out[neuron].data


def player_texts(root: autograd.Value) -> list[tuple[int, str, str]]:
    """Each node's data and grad text at the player's last step (its finished graph)."""
    page = autograd.player(root)._repr_html_()
    start = page.index('class="cg-data">') + len('class="cg-data">')
    data = json.loads(page[start : page.index("</script>", start)])
    return [
        (i, node["data"], node["grads"][-1][1] if node["grads"] else "")
        for i, node in enumerate(data["nodes"])
    ]


def test_the_replay_page_shows_each_epoch_as_the_run_had_it(browser, tmp_path: Path) -> None:
    model, X, y, Xv, loss, history, kept = moons_run(view=tmp_path / "view.html")
    page = tmp_path / "view.html"
    final = model.state_dict()
    el = open_view(browser, page)
    n = len(kept)
    names = [name for name, _ in model.named_parameters()]
    for k in (0, n // 2, n - 1):
        set_position(browser, el, k)
        shown = browser.execute_script(SHOWN, el)
        assert shown["slider"] == str(k) and shown["epoch"] == str(k)
        assert float(shown["loss"]) == history["loss"][k]
        entry = kept[k]
        assert shown["classes"] == [str(int(o > 0.0)) for o in entry["outputs"]]
        assert shown["val_classes"] == [str(int(o > 0.0)) for o in entry["val_outputs"]]
        assert shown["names"] == names  # in named_parameters order (not sorted)
        for name in names:
            cells = shown["params"][name]
            adam = entry["adam"][name]
            assert cells == {
                "value": number(entry["state"][name]),
                "grad": number(entry["grads"][name]),
                "m": number(adam["m"]),
                "v": number(adam["v"]),
            }
        model.load_state_dict(entry["state"])
        assert sorted(shown["neurons"]) == sorted(
            f"{li}.{ni}" for li in range(2) for ni in range(len(model.layers[li].neurons))
        )
        for key, probes in shown["neurons"].items():
            li, ni = map(int, key.split("."))
            assert len(probes) == 5
            for x0, x1, value in probes:
                assert value == activation(model, li, ni, [x0, x1])
        out = model(X[0])[0]
        expected = player_texts(loss([out], [y[0]]))
        assert sorted(shown["graph"]) == [list(t) for t in expected]
    model.load_state_dict(final)
    assert network_requests(browser, page) == []


def test_two_views_share_a_page(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    views = []
    for seed in (1, 2):
        model = nn.MLP(2, [3, 1], rng=seed)
        X, labels = nn.datasets.moons(20, noise=0.1, rng=0)
        y = [2 * t - 1 for t in labels]
        h = nn.fit(
            model, X, y, nn.hinge_loss, nn.SGD(model, lr=0.1), epochs=4, progress=False, view=True
        )
        views.append(h.view._repr_html_())
    page = tmp_path / "two.html"
    page.write_text("<!DOCTYPE html><html><body>" + "".join(views) + "</body></html>")
    browser.get(page.as_uri())
    roots = browser.find_elements(By.CSS_SELECTOR, ".chaingrad-training")
    assert len(roots) == 2
    for el in roots:
        WebDriverWait(browser, 30).until(lambda d, el=el: d.execute_script(WAIT, el) == "1")
    set_position(browser, roots[0], 0)
    first = browser.execute_script(SHOWN, roots[0])
    second = browser.execute_script(SHOWN, roots[1])
    assert first["epoch"] == "0" and second["epoch"] == "3"
    assert " id=" not in "".join(views)


def test_the_readme_moons_page_is_at_most_2_mb(tmp_path: Path) -> None:
    X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], rng=1)
    opt = nn.SGD(model.parameters(), lr=1.0)

    def loss(scores: Any, targets: Any) -> Any:
        return nn.hinge_loss(scores, targets) + nn.l2_penalty(model, 1e-4)

    def schedule(epoch: int, history: Any) -> None:
        opt.lr = 1.0 - 0.9 * (epoch + 1) / 100

    history = nn.fit(
        model,
        X,
        y,
        loss,
        opt,
        epochs=100,
        callback=schedule,
        progress=False,
        view=tmp_path / "moons.html",
    )
    assert history["accuracy"][-1] == 1.0
    assert (tmp_path / "moons.html").stat().st_size <= 2_000_000


def test_plot_decision_boundary_draws_on_the_given_axes() -> None:
    matplotlib = pytest.importorskip("matplotlib", reason="matplotlib is in the dev extra")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model = nn.MLP(2, [4, 1], rng=0)
    X, labels = nn.datasets.moons(30, noise=0.1, rng=0)
    fig, ax = plt.subplots()
    assert nn.plot_decision_boundary(model, X, labels, ax=ax) is ax
    assert len(ax.collections) >= 1 and ax.images
    plt.close(fig)
    with pytest.raises(ValueError, match="not 2-D"):
        nn.plot_decision_boundary(nn.MLP(3, [1], rng=0), [[1.0, 2.0, 3.0]], [1])
    assert not math.isnan(ax.get_xlim()[0])
