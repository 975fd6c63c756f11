/* chaingrad's training view (nn/view.py writes it into each page).
 * Every number the page shows was computed in Python and sits, deflated and base64-encoded,
 * in the view's own <script type="application/octet-stream" class="cgt-data">: a JSON part
 * (texts and exact numbers per kept epoch) and the maps' bytes (each epoch's minus the
 * previous one's); the graph's pictures (drawn once, only their numbers change) sit, deflated
 * too, in one <script class="cgt-picture"> each. This script unpacks them and only picks which to show for the epoch on
 * the slider. It keeps no global state and looks only inside its own .chaingrad-training
 * element, so several views can share a page. Texts are set with textContent; the graph's
 * picture is the player's SVG, as the player wrote it.
 */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function unpack(text) {
    var bin = atob(text.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  function init(root) {
    if (root.getAttribute("data-started")) return;
    root.setAttribute("data-started", "1");
    var wait = root.querySelector(".cgt-wait");
    if (typeof DecompressionStream === "undefined") {
      wait.textContent = "this browser cannot unpack the view's data (no DecompressionStream)";
      return;
    }
    var scripts = all(root, "script.cgt-picture");
    Promise.all([root.querySelector("script.cgt-data")].concat(scripts).map(function (el) {
      return el.textContent.trim() ? unpack(el.textContent) : Promise.resolve(null);
    })).then(function (parts) {
      var decoder = new TextDecoder();
      var pictures = parts.slice(1).map(function (b) { return b ? decoder.decode(b) : ""; });
      start(root, parts[0], pictures);
      wait.parentNode.removeChild(wait);
    }, function (err) {
      wait.textContent = "could not unpack the view's data: " + err;
    });
  }

  function start(root, raw, pictures) {
    var size = raw[0] | (raw[1] << 8) | (raw[2] << 16) | (raw[3] << 24);
    var meta = JSON.parse(new TextDecoder().decode(raw.subarray(4, 4 + size)));
    var maps = raw.subarray(4 + size);
    var epochs = meta.epochs;
    var n = meta.n;
    var g = meta.grid;
    var boundary = root.querySelector('[data-role="boundary"]');
    var neurons = all(root, '[data-role="neuron"]');
    var block = maps.length ? maps.length / n : 0;
    // undo the deltas: levels[k] = maps[0] + ... + maps[k] (mod 256)
    var levels = new Uint8Array(maps.length);
    for (var k = 0; k < n && block; k++) {
      for (var i = 0; i < block; i++) {
        var j = k * block + i;
        levels[j] = k ? (levels[j - block] + maps[j]) & 255 : maps[j];
      }
    }
    var slider = root.querySelector('[data-role="epoch"]');
    var label = root.querySelector('[data-role="epoch-label"]');
    var loss = root.querySelector('[data-role="loss"]');
    var metrics = root.querySelector('[data-role="metrics"]');
    var marker = root.querySelector('[data-role="marker"]');
    var play = root.querySelector('[data-action="play"]');
    var sort = root.querySelector('[data-action="sort"]');
    var tbody = root.querySelector(".cgt-params tbody");
    var rows = all(root, "[data-param]");
    var cells = rows.map(function (row) { return all(row, "td[data-field]"); });
    var graphBox = root.querySelector('[data-role="graph"]');
    var points = all(root, "[data-point]");
    var vals = all(root, "[data-val]");
    var shownPicture = -1;
    var boxes = [];
    var pos = n - 1;
    var timer = null;
    var sorted = false;

    function paint(canvas, offset, categorical) {
      var ctx = canvas.getContext("2d");
      var img = ctx.createImageData(g, g);
      for (var i = 0; i < g * g; i++) {
        var q = levels[offset + i];
        var c;
        if (categorical) {
          var hex = meta.classes[q % meta.classes.length];
          c = [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)];
          c = [255 - (255 - c[0]) * 0.35, 255 - (255 - c[1]) * 0.35, 255 - (255 - c[2]) * 0.35];
        } else {
          c = meta.palette[q];
        }
        img.data[4 * i] = c[0];
        img.data[4 * i + 1] = c[1];
        img.data[4 * i + 2] = c[2];
        img.data[4 * i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    }

    function picture(k) {
      var p = meta.picture[k];
      if (!graphBox || p < 0) return;
      if (p !== shownPicture) {
        graphBox.innerHTML = pictures[p];
        shownPicture = p;
        boxes = [];
        all(graphBox, "[data-node]").forEach(function (el) {
          boxes[+el.getAttribute("data-node")] = {
            data: el.querySelector('[data-field="data"]'),
            grad: el.querySelector('[data-field="grad"]')
          };
        });
      }
      var texts = epochs[k].graph;
      for (var i = 0; i < boxes.length; i++) {
        if (!boxes[i]) continue;
        if (boxes[i].data) boxes[i].data.textContent = texts[0][i];
        if (boxes[i].grad) boxes[i].grad.textContent = texts[1][i];
      }
    }

    function order() {
      var k = pos;
      var idx = rows.map(function (_, i) { return i; });
      if (sorted) {
        var mag = epochs[k].params.map(function (p) { return Math.abs(parseFloat(p[1])); });
        idx.sort(function (a, b) { return (mag[b] - mag[a]) || (a - b); });
      }
      idx.forEach(function (i) { tbody.appendChild(rows[i]); });
    }

    function show(k) {
      pos = Math.max(0, Math.min(n - 1, k));
      var e = epochs[pos];
      root.setAttribute("data-epoch", String(e.epoch));
      slider.value = String(pos);
      label.textContent = "epoch " + e.epoch;
      var h = e.history;
      loss.setAttribute("data-value", String(h.loss));
      loss.textContent = "loss " + (h.loss === undefined ? "" : h.loss.toFixed(4)) +
        (h.val_loss === undefined ? "" : " (validation " + h.val_loss.toFixed(4) + ")");
      var parts = [];
      Object.keys(h).forEach(function (name) {
        if (name === "loss" || name === "val_loss") return;
        parts.push(name + " " + h[name].toFixed(4));
      });
      metrics.textContent = parts.join("   ");
      if (marker) {
        marker.setAttribute("x1", String(meta.xs[pos]));
        marker.setAttribute("x2", String(meta.xs[pos]));
      }
      if (block) {
        paint(boundary.querySelector("canvas"), pos * block, meta.categorical);
        neurons.forEach(function (fig, j) {
          paint(fig.querySelector("canvas"), pos * block + (j + 1) * g * g, false);
          fig.setAttribute("data-probes", JSON.stringify(e.probes[j]));
        });
        points.forEach(function (el, i) { el.setAttribute("data-class", e.pred.charAt(i)); });
        vals.forEach(function (el, i) { el.setAttribute("data-class", e.vpred.charAt(i)); });
      }
      rows.forEach(function (row, i) {
        cells[i].forEach(function (cell, f) {
          var text = e.params[i][f];
          cell.textContent = text;
          cell.className = text.charAt(0) === "-" ? "cgt-neg" : (text === "0.0000" ? "" : "cgt-pos");
        });
      });
      if (sorted) order();
      picture(pos);
    }

    function stop() {
      if (timer !== null) { clearInterval(timer); timer = null; }
      play.textContent = "play";
      play.setAttribute("aria-pressed", "false");
    }

    play.addEventListener("click", function () {
      if (timer !== null) { stop(); return; }
      if (pos >= n - 1) show(0);
      play.textContent = "pause";
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(function () {
        show(pos + 1);
        if (pos >= n - 1) stop();
      }, Math.max(60, 6000 / n));
    });
    slider.addEventListener("input", function () { stop(); show(+slider.value); });
    // The graph opens at a readable size: fitted to the panel unless that would shrink it
    // below half its natural size (a long graph), then at natural size, scrolled to its
    // output (the loss); - / fit / + size it as the player's buttons do.
    function setZoom(z) {
      var svg = graphBox.querySelector("svg");
      if (!svg) return;
      var natural = svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
      if (!natural) natural = svg.getBoundingClientRect().width;
      zoom = Math.max(0.05, Math.min(4, z));
      svg.style.maxWidth = "none";
      svg.style.width = (natural * zoom) + "px";
      svg.style.height = "auto";
      return natural;
    }
    function fitWidth() {
      var svg = graphBox.querySelector("svg");
      if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return 1;
      return Math.min(1, (graphBox.clientWidth - 2) / svg.viewBox.baseVal.width);
    }
    var zoom = 1;
    function openGraph() {
      var f = fitWidth();
      if (f >= 0.5) { setZoom(f); return; }
      setZoom(0.75);
      var out = graphBox.querySelector('[data-node="' + (boxes.length - 1) + '"]');
      if (out) {
        var a = out.getBoundingClientRect(), b = graphBox.getBoundingClientRect();
        graphBox.scrollLeft += (a.left + a.width / 2) - (b.left + b.width / 2);
        graphBox.scrollTop += (a.top + a.height / 2) - (b.top + b.height / 2);
      }
    }
    var graphActions = {
      "zoom-in": function () { setZoom(zoom * 1.25); },
      "zoom-out": function () { setZoom(zoom / 1.25); },
      fit: function () { setZoom(fitWidth()); }
    };
    Object.keys(graphActions).forEach(function (name) {
      var b = root.querySelector('[data-action="' + name + '"]');
      if (b) b.addEventListener("click", graphActions[name]);
    });
    sort.addEventListener("click", function () {
      sorted = !sorted;
      sort.setAttribute("aria-pressed", String(sorted));
      sort.textContent = sorted ? "name order" : "sort by |grad|";
      order();
    });
    root.addEventListener("keydown", function (ev) {
      if (ev.target.tagName === "INPUT") return;
      if (ev.key === "ArrowLeft") { stop(); show(pos - 1); ev.preventDefault(); }
      if (ev.key === "ArrowRight") { stop(); show(pos + 1); ev.preventDefault(); }
    });
    show(n - 1);
    if (shownPicture >= 0) openGraph();
    root.setAttribute("data-ready", "1");
  }

  all(document, ".chaingrad-training").forEach(init);
})();
