/* chaingrad's backprop player (autograd/player.py writes it into each page).
 * Every number and text the page shows was computed in Python and sits in the player's own
 * <script type="application/json" class="cg-data">; this script only picks which to show at
 * the current step. It keeps no global state and looks only inside its own .chaingrad-player
 * element, so several players can share a page. Texts are set with textContent, never as HTML.
 */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function byIndex(root, attr) {
    var out = {};
    all(root, "[" + attr + "]").forEach(function (el) {
      var k = el.getAttribute(attr);
      (out[k] = out[k] || []).push(el);
    });
    return out;
  }

  function toggle(el, name, on) {
    if (on) el.classList.add(name);
    else el.classList.remove(name);
  }

  function init(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var data = JSON.parse(root.querySelector("script.cg-data").textContent);
    var nodes = data.nodes;
    var n = data.n;
    var boxes = [];
    all(root, "svg [data-node]").forEach(function (g) {
      boxes[+g.getAttribute("data-node")] = {
        g: g,
        data: g.querySelector('[data-field="data"]'),
        grad: g.querySelector('[data-field="grad"]')
      };
    });
    var ops = byIndex(root, "data-op");
    var locals = byIndex(root, "data-local");
    var into = byIndex(root, "data-into");
    var out = byIndex(root, "data-out");
    var copies = byIndex(root, "data-copy");
    var stepText = root.querySelector('[data-role="step"]');
    var slider = root.querySelector('[data-role="slider"]');
    var caption = root.querySelector('[data-role="caption"]');
    var info = root.querySelector('[data-role="info"]');
    var play = root.querySelector('[data-action="play"]');
    var graph = root.querySelector(".cg-graph");
    var svg = root.querySelector("svg.cg-svg");
    var speed = root.querySelector('[data-role="speed"]');
    var natural = svg ? parseFloat(svg.getAttribute("width")) * 4 / 3 : 0;  // pt to px
    var zoom = 1;
    var pos = 0;
    var timer = null;
    var selected = -1;

    function gradAt(i, p) {
      var t = nodes[i].grads;
      var s = "";
      for (var j = 0; j < t.length && t[j][0] <= p; j++) s = t[j][1];
      return s;
    }

    function each(map, k, fn) {
      (map[k] || []).forEach(fn);
    }

    function describeOp(i) {
      var v = nodes[i];
      var lines = [v.expr + "   (op node)"];
      if (v.rule) lines.push("local derivatives, from the op's rule:\n" + v.rule);
      info.textContent = lines.join("\n");
    }

    function describe(i) {
      var v = nodes[i];
      var known = v.at <= pos;
      var lines = [
        (v.expr || v.name) + "   (" + v.role + ")",
        "data " + (known ? v.data : "(not computed yet)") +
          "   grad " + (gradAt(i, pos) || "(not known yet)") + "   at step " + pos + " / " + n
      ];
      if (v.local) lines.push("local derivatives: " + v.local);
      if (v.chain) lines.push("chain rule: " + v.chain);
      info.textContent = lines.join("\n");
    }

    function show(p) {
      pos = Math.max(0, Math.min(n, p));
      var cur = data.current[pos];
      var kind = data.kind[pos];
      var touched = data.touched[pos];
      for (var i = 0; i < nodes.length; i++) {
        var box = boxes[i];
        if (!box) continue;
        var known = nodes[i].at <= pos;
        if (box.data) box.data.textContent = known ? nodes[i].data : "";
        if (box.grad) box.grad.textContent = gradAt(i, pos);
        toggle(box.g, "cg-pending", !known);
        toggle(box.g, "cg-current", i === cur);
        toggle(box.g, "cg-updated", touched.indexOf(i) >= 0);
        var k = String(i);
        each(ops, k, function (el) {
          toggle(el, "cg-pending", !known);
          toggle(el, "cg-current", i === cur);
        });
        each(locals, k, function (el) {
          // not computed yet: a faded "?" keeps the arrow whole
          var t = el.querySelector("text");
          if (t) {
            if (t.getAttribute("data-shown") === null) t.setAttribute("data-shown", t.textContent);
            t.textContent = known ? t.getAttribute("data-shown") : "?";
          }
          toggle(el, "cg-pending", !known);
          toggle(el, "cg-hot", kind === "b" && i === cur);
        });
        each(into, k, function (el) {
          toggle(el, "cg-hot", kind === "b" && i === cur);
          toggle(el, "cg-fwd", kind === "f" && i === cur);
          toggle(el, "cg-pending", !known);
        });
        each(copies, k, function (el) {
          toggle(el, "cg-pending", !known);
        });
        each(out, k, function (el) {
          toggle(el, "cg-fwd", kind === "f" && i === cur);
          toggle(el, "cg-pending", !known);
        });
      }
      if (cur >= 0 && boxes[cur]) follow(boxes[cur].g);
      stepText.textContent = pos + " / " + n;
      slider.value = String(pos);
      caption.textContent = data.captions[pos];
      if (selected >= 0) describe(selected);
    }

    function follow(g) {
      // keep the current node in view, sideways and up and down, when it is not
      var a = g.getBoundingClientRect();
      var b = graph.getBoundingClientRect();
      if (a.left < b.left || a.right > b.right) {
        graph.scrollLeft += (a.left + a.width / 2) - (b.left + b.width / 2);
      }
      if (a.top < b.top || a.bottom > b.bottom) {
        graph.scrollTop += (a.top + a.height / 2) - (b.top + b.height / 2);
      }
    }

    function setZoom(z) {
      if (!svg || !natural) return;
      zoom = Math.max(0.05, Math.min(8, z));
      svg.style.maxWidth = "none";
      svg.style.width = (natural * zoom) + "px";
      var cur = data.current[pos];
      if (cur >= 0 && boxes[cur]) follow(boxes[cur].g);
    }

    function fit() {
      if (graph.clientWidth && natural) setZoom(Math.min(1, (graph.clientWidth - 2) / natural));
    }

    function stop() {
      if (timer !== null) {
        clearInterval(timer);
        timer = null;
      }
      play.textContent = "play";
      play.setAttribute("aria-pressed", "false");
    }

    function start() {
      if (pos >= n) show(0);
      play.textContent = "pause";
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        show(pos + 1);
        if (pos >= n) stop();
      }, speed ? +speed.value : 900);
    }

    var actions = {
      first: function () { stop(); show(0); },
      prev: function () { stop(); show(pos - 1); },
      next: function () { stop(); show(pos + 1); },
      last: function () { stop(); show(n); },
      play: function () { if (timer === null) start(); else stop(); },
      "zoom-in": function () { setZoom(zoom * 1.25); },
      "zoom-out": function () { setZoom(zoom / 1.25); },
      fit: fit
    };
    if (speed) {
      speed.addEventListener("change", function () {
        if (timer !== null) { clearInterval(timer); timer = null; start(); }
      });
    }
    all(root, "[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        actions[button.getAttribute("data-action")]();
      });
    });
    slider.addEventListener("input", function () {
      stop();
      show(+slider.value);
    });
    root.addEventListener("keydown", function (e) {
      var key = {
        ArrowLeft: "prev", ArrowRight: "next", Home: "first", End: "last", " ": "play",
        "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", "0": "fit"
      }[e.key];
      var tag = e.target.tagName;
      if (tag === "INPUT" && e.target.type === "text") return;  // an answer being typed
      // the slider moves itself with the arrows; a focused button presses itself with space
      if (!key || (tag === "INPUT" && key !== "play") || (tag === "BUTTON" && key === "play")) {
        return;
      }
      e.preventDefault();
      actions[key]();
    });
    Object.keys(ops).forEach(function (k) {
      ops[k].forEach(function (el) {
        el.addEventListener("mouseenter", function () { describeOp(+k); });
        el.addEventListener("click", function () { describeOp(+k); });
      });
    });
    boxes.forEach(function (box, i) {
      box.g.addEventListener("mouseenter", function () { describe(i); });
      box.g.addEventListener("click", function () {
        selected = selected === i ? -1 : i;
        describe(i);
      });
    });
    if (data.practice) practise(root, data, boxes);
    all(root, "[hidden]").forEach(function (el) { el.removeAttribute("hidden"); });
    // Fit the drawing to the page unless that would shrink it past reading (a long chain):
    // then it keeps its size and the graph scrolls, following the current node.
    if (svg && graph.clientWidth && natural > 2.5 * graph.clientWidth) {
      svg.classList.add("cg-wide");
      setZoom(1);
    } else {
      fit();
    }
    show(data.practice ? data.n - data.practice_backward : 0);
  }

  // Practice: the page holds, for each gradient, only the salted SHA-256 of each form an
  // answer may take (autograd.display.answers.answer_keys); an answer is right when the same
  // digest of what the learner typed, written as answer_form writes it, is one of them.
  function answerForm(x, digits) {
    if (x === 0) return "0";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    return x.toExponential(digits - 1).replace("e+", "e");
  }

  function digest(text) {
    var bytes = new TextEncoder().encode(text);
    return crypto.subtle.digest("SHA-256", bytes).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function practise(root, data, boxes) {
    var score = root.querySelector('[data-role="score"]');
    var solved = {};
    var total = data.practice.length;
    function count() {
      score.textContent = Object.keys(solved).length + " / " + total;
    }
    data.practice.forEach(function (q) {
      var row = root.querySelector('.cg-q[data-node="' + q.node + '"]');
      var input = row.querySelector("input");
      var hint = row.querySelector(".cg-hint");
      function mark(right, text) {
        toggle(row, "cg-right", right);
        toggle(row, "cg-wrong", !right);
        hint.textContent = text;
      }
      input.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") return;
        e.preventDefault();
        var typed = input.value.trim().replace("\u2212", "-");
        var x = Number(typed);
        if (typed === "" || isNaN(x)) {
          mark(false, "  type a number, such as -0.25");
          return;
        }
        if (!window.crypto || !crypto.subtle) {
          mark(false, "  this page cannot check answers here: the browser offers no SubtleCrypto");
          return;
        }
        digest(data.salt + "|" + answerForm(x, data.digits)).then(function (key) {
          if (q.keys.indexOf(key) >= 0) {
            solved[q.node] = true;
            mark(true, "  right");
            var box = boxes[q.node];
            if (box && box.grad) box.grad.textContent = typed;
          } else {
            delete solved[q.node];
            mark(false, "  not quite: " + q.hint);
          }
          count();
        });
      });
    });
  }

  all(document, ".chaingrad-player").forEach(init);
})();
