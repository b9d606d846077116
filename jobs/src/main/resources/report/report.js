// Draws a mimobatch run's report from the JSON in #data. Every number comes from the summary and
// distributions datasets (pooled over subcarriers by the writer where the summary was grouped by
// them); the page only turns quantile points into CDFs.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var WIDTH = 560;
  var HEIGHT = 300;
  var CDF_POINTS = 400;
  var COLORS = ["#1f5fbf", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#e67700", "#0b7285", "#5c940d",
    "#495057", "#a61e4d", "#364fc7", "#087f5b"];
  var drawn = 0;

  function num(v) {
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (v === "NaN") return NaN;
    return v;
  }

  function rows(table) {
    return (table.rows || []).map(function (r) {
      var o = {};
      table.columns.forEach(function (c, i) { o[c] = r[i]; });
      return o;
    });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { var k = JSON.stringify(v); if (!seen[k]) { seen[k] = 1; out.push(v); } });
    return out;
  }

  function kv(title, map) {
    var t = el("table", undefined, "kv");
    t.appendChild(el("caption", title));
    Object.keys(map || {}).forEach(function (k) {
      var tr = el("tr");
      tr.appendChild(el("th", k));
      tr.appendChild(el("td", String(map[k])));
      t.appendChild(tr);
    });
    return t;
  }

  var summary = rows(data.summary);
  var dists = rows(data.distributions);
  var subcarriers = rows(data.subcarriers);
  var chartKeys = data.keys.filter(function (k) { return k !== "run_id"; });
  var runs = data.keys.indexOf("run_id") >= 0 ? unique(summary.map(function (r) { return r.run_id; })) : [null];
  var pooled = data.pooled ? ", pooled over subcarriers" : "";

  function groupOf(r) { return chartKeys.map(function (k) { return r[k]; }); }
  function inGroup(r, g) { return chartKeys.every(function (k, i) { return r[k] === g[i]; }); }
  function ofRun(r, runId) { return runId === null || r.run_id === runId; }
  function runLabel(runId) { return runId === null ? "" : runId + ": "; }
  function label(g) {
    return chartKeys.map(function (k, i) {
      return k === "rows" ? g[i] + " x" : k === "cols" ? g[i] : k + " " + g[i];
    }).join(" ");
  }

  // ---- header: what was run ----
  var run = data.run || {};
  var head = document.getElementById("run");
  var matrices = {matrices: 0, failed: 0, rank_deficient: 0};
  unique(summary.map(function (r) { return data.keys.map(function (k) { return r[k]; }); })).forEach(function (key) {
    var first = summary.filter(function (r) { return data.keys.every(function (k, i) { return r[k] === key[i]; }); })[0];
    matrices.matrices += first.matrices;
    matrices.failed += first.failed;
    matrices.rank_deficient += first.rank_deficient;
  });
  if (runs[0] !== null) {
    var styles = {};
    runs.forEach(function (r, i) { styles[r] = ["solid", "dashed", "dotted", "dash-dot"][i % 4] + " lines"; });
    head.appendChild(kv("Runs", styles));
  }
  if (run.settings) head.appendChild(kv("Settings", run.settings));
  head.appendChild(kv("Matrices", matrices));
  if (run.statuses) head.appendChild(kv("Rows per status", run.statuses));
  if (run.backend) {
    var backend = {backend: run.backend, precision: run.precision};
    Object.keys(run.kernels || {}).forEach(function (k) { backend[k] = run.kernels[k]; });
    head.appendChild(kv("Backend and kernels", backend));
  }
  if (run.attempts) head.appendChild(kv("Published (attempt of each dataset)", run.attempts));
  if (run.seconds) {
    var secs = {};
    Object.keys(run.seconds).forEach(function (k) { secs[k] = run.seconds[k].toFixed(1) + " s"; });
    head.appendChild(kv("Timings", secs));
  }

  // ---- charts ----
  var main = document.getElementById("charts");

  function chart(parent, title, note, opts, series) {
    var box = el("div", undefined, "chart");
    parent.appendChild(box);
    opts.title = title;
    opts.width = WIDTH;
    opts.height = HEIGHT;
    new uPlot(opts, series, box);
    // What the chart draws, for readers other than the eye (the tests set it against the datasets).
    box.setAttribute("data-series", JSON.stringify({title: title,
      labels: opts.series.slice(1).map(function (s) { return s.label; }), data: series}));
    if (note) box.appendChild(el("div", note, "note"));
    drawn++;
  }

  // A scale and an axis of decades: whole powers of ten at both ends, ticks written 1e-12.
  var decadeScale = {time: false, range: function (u, min, max) {
    return [Math.floor(min), Math.max(Math.ceil(max), Math.floor(min) + 1)];
  }};

  function decades(label) {
    return {label: label, incrs: [1, 2, 5, 10, 20], values: function (u, ticks) {
      return ticks.map(function (t) { return "1e" + t; });
    }};
  }

  // Lines: the colour says what a line shows, the dash which run it belongs to.
  var RUN_DASH = [undefined, [10, 5], [2, 4], [12, 4, 2, 4]];

  function line(label, color, runIndex, thin) {
    return {label: label, color: color, dash: RUN_DASH[runIndex % RUN_DASH.length], thin: thin};
  }

  function seriesOpts(lines) {
    return [{}].concat(lines.map(function (l) {
      return {label: l.label, stroke: COLORS[l.color % COLORS.length], width: l.thin ? 1 : 1.5, dash: l.dash,
        spanGaps: true, points: {show: false}};
    }));
  }

  // The CDF through quantile points (p ascending, values non-decreasing), linear between them.
  function cdf(p, v, x) {
    if (x < v[0]) return 0;
    if (x >= v[v.length - 1]) return 1;
    for (var j = 0; j + 1 < v.length; j++) {
      if (x < v[j + 1]) {
        return v[j + 1] > v[j] && isFinite(v[j]) ? p[j] + (p[j + 1] - p[j]) * (x - v[j]) / (v[j + 1] - v[j]) : p[j + 1];
      }
    }
    return 1;
  }

  // The CDFs of distributions on one x axis: the union of their finite values (thinned to
  // CDF_POINTS). With log10, the axis holds decades: uPlot's own logarithmic scale cannot split
  // ranges far below 1e-15, where the errors of a double-precision SVD lie.
  function cdfs(list, log10) {
    var at = function (v) { v = num(v); return log10 ? Math.log10(v) : v; };
    var xs = [];
    list.forEach(function (d) {
      d.value.forEach(function (v) { v = at(v); if (isFinite(v)) xs.push(v); });
    });
    xs.sort(function (a, b) { return a - b; });
    xs = xs.filter(function (v, i) { return i === 0 || v !== xs[i - 1]; });
    if (xs.length > CDF_POINTS) {
      var step = xs.length / CDF_POINTS, thin = [];
      for (var i = 0; i < CDF_POINTS; i++) thin.push(xs[Math.floor(i * step)]);
      thin.push(xs[xs.length - 1]);
      xs = thin;
    }
    return [xs].concat(list.map(function (d) {
      var values = d.value.map(at);
      return xs.map(function (x) { return cdf(d.p, values, x); });
    }));
  }

  function distribution(g, runId, metric, snr, index) {
    return dists.filter(function (d) {
      return inGroup(d, g) && ofRun(d, runId) && d.metric === metric && (snr === undefined || d.snr_db === snr)
        && (index === undefined || d.index === index);
    })[0];
  }

  var groups = unique(summary.map(groupOf));
  if (data.groups > data.maxGroups) {
    main.appendChild(el("p", data.groups + " groups; the charts of the first " + data.maxGroups + " follow.", "note"));
  }
  groups.slice(0, data.maxGroups).forEach(function (g) {
    var section = el("section");
    section.appendChild(el("h2", label(g)));
    main.appendChild(section);
    var rowsOf = summary.filter(function (r) { return inGroup(r, g); });
    var snrs = unique(rowsOf.map(function (r) { return r.snr_db; })).sort(function (a, b) { return a - b; });

    // Capacity, its outage quantiles and the receiver rates against SNR, per run.
    var measures = [["capacity_mean", "capacity"], ["capacity_wf_mean", "water-filling"],
      ["rate_mmse_mean", "LMMSE receiver"], ["rate_zf_mean", "zero-forcing receiver"]];
    data.summary.columns.filter(function (c) { return /^capacity_p\d/.test(c) && c !== "capacity_p50"; })
      .forEach(function (c) {
        measures.push([c, "outage " + c.replace("capacity_p", "").replace("_", ".").replace(/^0(\d)/, "$1") + " %"]);
      });
    var lines = [], ys = [];
    runs.forEach(function (runId, r) {
      measures.forEach(function (m, i) {
        var y = snrs.map(function (s) {
          var r = rowsOf.filter(function (x) { return x.snr_db === s && ofRun(x, runId); })[0];
          return r && r[m[0]] !== null && r[m[0]] !== undefined ? num(r[m[0]]) : null;
        });
        if (y.some(function (v) { return v !== null; })) {
          var l = line(runLabel(runId) + m[1], i, r, i >= 4);
          if (i >= 4 && runs.length === 1) l.dash = [6, 4];
          lines.push(l);
          ys.push(y);
        }
      });
    });
    chart(section, "Capacity and receiver rates against SNR",
      "Means over the ok rows; outage (" + (runs.length === 1 ? "dashed" : "thin")
        + "): the capacity exceeded with probability 1 − p" + pooled,
      {scales: {x: {time: false}}, axes: [{label: "SNR, dB"}, {label: "bits/s/Hz"}], series: seriesOpts(lines)},
      [snrs].concat(ys));

    // Capacity CDF per SNR (and run).
    var list = [], lines = [];
    runs.forEach(function (runId, r) {
      snrs.forEach(function (s, k) {
        var d = distribution(g, runId, "capacity", s);
        if (d) { list.push(d); lines.push(line(runLabel(runId) + s + " dB", k, r)); }
      });
    });
    chart(section, "Capacity CDF", "Equal power, per SNR" + pooled,
      {scales: {x: {time: false}}, axes: [{label: "capacity, bits/s/Hz"}, {label: "P(C ≤ x)"}], series: seriesOpts(lines)},
      cdfs(list, false));

    // Singular values by index.
    list = []; lines = [];
    var indices = unique(dists.filter(function (d) { return inGroup(d, g) && d.metric === "singular_values"; })
      .map(function (d) { return d.index; })).sort(function (a, b) { return a - b; });
    runs.forEach(function (runId, r) {
      indices.forEach(function (i) {
        var d = distribution(g, runId, "singular_values", undefined, i);
        if (d) { list.push(d); lines.push(line(runLabel(runId) + "σ" + i, i - 1, r)); }
      });
    });
    chart(section, "Singular values by index", "CDF of each σ_i, σ_1 the largest" + pooled,
      {scales: {x: {time: false}}, axes: [{label: "σ"}, {label: "P(σ_i ≤ x)"}], series: seriesOpts(lines)},
      cdfs(list, false));

    // Condition number.
    list = []; lines = [];
    var deficient = 0;
    runs.forEach(function (runId, r) {
      var d = distribution(g, runId, "cond_db");
      if (d) { list.push(d); lines.push(line(runLabel(runId) + "cond", 0, r)); }
      rowsOf.filter(function (r) { return r.snr_db === snrs[0] && ofRun(r, runId); })
        .forEach(function (r) { deficient += r.rank_deficient; });
    });
    chart(section, "Condition number CDF",
      "20·log10(σ_1/σ_min); the " + deficient + " rank-deficient channels (+∞) lie beyond the axis" + pooled,
      {scales: {x: {time: false}}, axes: [{label: "dB"}, {label: "P(cond ≤ x)"}], series: seriesOpts(lines)},
      cdfs(list, false));

    // Accuracy of the SVD, on a logarithmic axis.
    list = []; lines = [];
    runs.forEach(function (runId, r) {
      [["recon_error", "‖H − UΣVᴴ‖/‖H‖"], ["orth_error", "orthogonality"]].forEach(function (m, k) {
        var d = distribution(g, runId, m[0]);
        if (d) { list.push(d); lines.push(line(runLabel(runId) + m[1], k, r)); }
      });
    });
    chart(section, "Reconstruction and orthogonality errors", "CDFs on a logarithmic axis; exact zeros lie off it" + pooled,
      {scales: {x: decadeScale}, axes: [decades("error"), {label: "P(error ≤ x)"}], series: seriesOpts(lines)},
      cdfs(list, true));
  });

  // Capacity across subcarriers, per shape.
  if (data.pooled) {
    unique(subcarriers.map(function (r) { return [r.rows, r.cols]; })).forEach(function (shape) {
      var section = el("section");
      section.appendChild(el("h2", shape[0] + " x " + shape[1] + " across subcarriers"));
      main.appendChild(section);
      var of = subcarriers.filter(function (r) { return r.rows === shape[0] && r.cols === shape[1]; });
      var ks = unique(of.map(function (r) { return r.subcarrier; })).sort(function (a, b) { return a - b; });
      var snrs = unique(of.map(function (r) { return r.snr_db; })).sort(function (a, b) { return a - b; });
      var lines = [], ys = [];
      runs.forEach(function (runId, r) {
        snrs.forEach(function (s, k) {
          lines.push(line(runLabel(runId) + s + " dB", k, r));
          ys.push(ks.map(function (k) {
            var r = of.filter(function (x) { return x.subcarrier === k && x.snr_db === s && ofRun(x, runId); })[0];
            return r && r.capacity_mean !== null ? num(r.capacity_mean) : null;
          }));
        });
      });
      chart(section, "Capacity across subcarriers", "Mean capacity per subcarrier, per SNR",
        {scales: {x: {time: false}}, axes: [{label: "subcarrier"}, {label: "bits/s/Hz"}], series: seriesOpts(lines)},
        [ks].concat(ys));
    });
  }

  // Refinements: loss against iteration for the sampled matrices.
  var methods = unique(data.histories.map(function (h) { return h.method; }));
  if (methods.length) {
    var section = el("section");
    section.appendChild(el("h2", "Refinements"));
    main.appendChild(section);
    methods.forEach(function (m) {
      var curves = data.histories.filter(function (h) { return h.method === m; });
      var longest = curves.reduce(function (a, h) { return Math.max(a, h.loss.length); }, 0);
      var x = [];
      for (var i = 0; i < longest; i++) x.push(i);
      var ys = curves.map(function (h) {
        return x.map(function (i) { var v = i < h.loss.length ? num(h.loss[i]) : null; return v > 0 ? Math.log10(v) : null; });
      });
      var prefix = "refine_" + m.replace(/-/g, "_");
      var notes = [];
      groups.slice(0, data.maxGroups).forEach(function (g) {
        runs.forEach(function (runId) {
          var r = summary.filter(function (x) { return inGroup(x, g) && ofRun(x, runId); })[0];
          if (r && r[prefix + "_converged_fraction"] !== null && r[prefix + "_converged_fraction"] !== undefined) {
            notes.push(runLabel(runId) + label(g) + ": " + (100 * r[prefix + "_converged_fraction"]).toFixed(2)
              + " % converged, iterations p50 " + r[prefix + "_iterations_p50"] + ", p99 " + r[prefix + "_iterations_p99"]);
          }
        });
      });
      chart(section, m, "Loss per iteration of " + curves.length + " sampled matrices, log scale. Over all matrices: "
        + (notes.length ? notes.join("; ") : "none ran") + pooled,
        {scales: {x: {time: false}, y: decadeScale}, axes: [{label: "iteration"}, decades("loss")],
          series: seriesOpts(curves.map(function (h, i) { return line(h.matrix, i, 0); }))},
        [x].concat(ys));
    });
  }

  document.body.setAttribute("data-rendered", String(drawn));
})();
