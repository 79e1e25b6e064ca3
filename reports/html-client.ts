// The report page's own script, inlined after chart.js. Kept as plain ES2017 text (no template
// literals, so it can live in this String.raw) because the page must open from disk with no
// build step and no network. It only draws: every figure was computed in report-data.ts.
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
  var FAULT_COLOURS = { outage: 'rgba(220,38,38,0.13)', black_hole: 'rgba(31,41,55,0.14)', latency_spike: 'rgba(202,138,4,0.16)', throttle_change: 'rgba(234,88,12,0.14)', receipt_backlog: 'rgba(37,99,235,0.12)' };

  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#374151';
  Chart.defaults.elements.point.radius = 0;
  Chart.defaults.elements.line.borderWidth = 1.75;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  // Fault windows drawn as boxes behind the data of every time chart, labelled at the top.
  var faultBoxes = {
    id: 'faultBoxes',
    beforeDatasetsDraw: function (chart, _args, opts) {
      if (!opts || !opts.faults || !opts.faults.length) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      opts.faults.forEach(function (f, i) {
        var x0 = Math.max(area.left, x.getPixelForValue(f.start));
        var x1 = Math.min(area.right, x.getPixelForValue(f.end));
        if (x1 <= x0) x1 = x0 + 2;
        ctx.fillStyle = FAULT_COLOURS[f.kind] || 'rgba(147,51,234,0.12)';
        ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
        ctx.fillStyle = '#7f1d1d';
        ctx.font = '600 11px ' + Chart.defaults.font.family;
        ctx.fillText(f.operator + ' ' + f.kind, x0 + 4, area.top + 13 + 13 * (i % 3));
      });
      ctx.restore();
    }
  };
  Chart.register(faultBoxes);

  function xy(values) {
    return values.map(function (v, i) { return { x: data.t[i], y: v }; });
  }
  function line(label, values, colour, extra) {
    var ds = { label: label, data: xy(values), borderColor: colour, backgroundColor: colour, spanGaps: false };
    for (var k in extra) ds[k] = extra[k];
    return ds;
  }
  function timeAxis() {
    // includeBounds false: the run's end gets no tick of its own beside the last round one ("30 31").
    return { type: 'linear', min: 0, max: Math.max(data.durationS, data.t.length ? data.t[data.t.length - 1] + data.intervalS : 1), title: { display: true, text: 'seconds since start' }, grid: { color: '#eef0f3' }, ticks: { includeBounds: false } };
  }
  function yAxis(title, extra) {
    var a = { beginAtZero: true, title: { display: true, text: title }, grid: { color: '#eef0f3' } };
    for (var k in extra) a[k] = extra[k];
    return a;
  }
  function timeChart(id, datasets, yTitle, yExtra) {
    return make(id, { type: 'line', data: { datasets: datasets }, options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: timeAxis(), y: yAxis(yTitle, yExtra) },
      plugins: { faultBoxes: { faults: data.faults } }
    } });
  }
  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    charts.push(new Chart(canvas, config));
  }

  timeChart('chart-throughput', [
    line('planned', data.throughput.planned, '#9ca3af', { borderDash: [6, 4] }),
    line('sent', data.throughput.sent, PALETTE[0]),
    line('accepted', data.throughput.accepted, PALETTE[1])
  ], 'messages / s');

  ['submit', 'receipt'].forEach(function (kind) {
    var s = data.latencyOverTime[kind];
    timeChart('chart-' + kind + '-time', [
      // At low rates an interval's p99.9 is its p99 (or its max): drawn on top and dashed, both stay visible.
      line('p50', s.p50, PALETTE[1], { order: 4 }),
      line('p90', s.p90, PALETTE[0], { order: 3 }),
      line('p99', s.p99, PALETTE[4], { order: 2, borderWidth: 3 }),
      line('p99.9', s.p999, PALETTE[2], { order: 1, borderDash: [6, 4] })
    ], 'ms');
  });

  // HdrHistogram plotter style: x = 1/(1-q) on a log axis, ticks named by percentile.
  function percentileLabel(x) {
    var q = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return q.toFixed(digits) + '%';
  }
  ['submit', 'receipt', 'transit'].forEach(function (kind) {
    var d = data.distribution[kind];
    var maxX = 10;
    d.corrected.concat(d.uncorrected).forEach(function (p) { if (p.x > maxX) maxX = p.x; });
    maxX = Math.pow(10, Math.ceil(Math.log10(maxX)));
    make('chart-dist-' + kind, { type: 'line', data: { datasets: [
      { label: 'corrected (from intended send time)', data: d.corrected, borderColor: PALETTE[0], backgroundColor: PALETTE[0] },
      { label: 'uncorrected (from actual send time)', data: d.uncorrected, borderColor: PALETTE[4], backgroundColor: PALETTE[4], borderDash: [5, 4] }
    ] }, options: {
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'logarithmic', min: 1, max: maxX, title: { display: true, text: 'percentile' }, grid: { color: '#eef0f3' },
          afterBuildTicks: function (axis) {
            var ticks = [];
            for (var v = 1; v <= maxX; v *= 10) ticks.push({ value: v });
            axis.ticks = ticks;
          },
          ticks: { callback: function (v) { return percentileLabel(v); } } },
        y: yAxis('ms')
      },
      plugins: { tooltip: { callbacks: { title: function (items) { return items.length ? percentileLabel(items[0].parsed.x) : ''; } } } }
    } });
  });

  var OUTCOME_COLOURS = { DELIVRD: '#16a34a', UNDELIV: '#dc2626', EXPIRED: '#ea580c', REJECTD: '#9333ea', 'other final': '#6b7280', 'no receipt': '#111827', pending: '#93c5fd', 'failed in gateway': '#b45309', 'held by gateway': '#78350f' };
  make('chart-outcomes', { type: 'bar', data: { labels: data.outcomes.operators, datasets: data.outcomes.kinds.map(function (k, i) {
    return { label: k.label, data: k.data, backgroundColor: OUTCOME_COLOURS[k.label] || PALETTE[i % PALETTE.length] };
  }) }, options: { indexAxis: 'y', scales: { x: yAxis('messages', { stacked: true }), y: { stacked: true, grid: { display: false } } } } });

  timeChart('chart-errors', data.errors.map(function (e, i) {
    var c = PALETTE[(i + 2) % PALETTE.length];
    return line(e.label, e.data, c, { fill: i === 0 ? 'origin' : '-1', backgroundColor: c + '99', stepped: 'before' });
  }), 'per interval', { stacked: true });

  timeChart('chart-gauges', [
    line('in flight (no submit answer yet)', data.gauges.inFlight, PALETTE[0]),
    line('awaiting receipt', data.gauges.awaitingReceipt, PALETTE[3])
  ], 'messages');

  // Per stream (only drawn when the page has the streams section): sent solid, accepted dashed.
  var streamSets = [];
  data.streams.forEach(function (st, i) {
    var c = PALETTE[i % PALETTE.length];
    streamSets.push(line(st.name + ' sent', st.sent, c));
    streamSets.push(line(st.name + ' accepted', st.accepted, c, { borderDash: [6, 4] }));
  });
  if (data.streams.length > 1) timeChart('chart-streams', streamSets, 'messages / s');

  // The network's side, per operator (report-data.ts networkOverTime).
  if (data.network) {
    var net = data.network;
    var perOp = function (rows) { return rows.map(function (vals, i) { return line(net.operators[i], vals, PALETTE[i % PALETTE.length], { stepped: 'before' }); }); };
    timeChart('chart-net-throttled', perOp(net.throttled), 'throttled / s');
    timeChart('chart-net-unanswered', perOp(net.unanswered), 'unanswered / s');
    timeChart('chart-net-binds', perOp(net.binds), 'binds up', { ticks: { precision: 0 } });
  }
  if (data.gateway) {
    var gwSets = [{ label: 'all queued', data: data.gateway.total, borderColor: '#111827', backgroundColor: '#111827', borderWidth: 2.5 }];
    data.gateway.links.forEach(function (l, i) {
      var c = PALETTE[i % PALETTE.length];
      gwSets.push({ label: l.label, data: l.data, borderColor: c, backgroundColor: c, borderDash: [5, 3] });
    });
    timeChart('chart-gw-queue', gwSets, 'messages held', { ticks: { precision: 0 } });
  }

  // Charts are sized to the screen; resize them for the paper and back.
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('afterprint', function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`
