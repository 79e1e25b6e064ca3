// The model report's own script, inlined after chart.js (plain ES2017 in a String.raw, as
// reports/html-client.ts: the page opens from disk with no build step). It only draws: every
// figure was computed in capacity/report/model-html.ts.
export const MODEL_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  var charts = [];
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#374151';
  Chart.defaults.elements.point.radius = 0;
  Chart.defaults.elements.line.borderWidth = 1.75;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  // The peak hour, shaded behind every time chart.
  Chart.register({
    id: 'peakHour',
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!x || !data.peak || chart.config.type !== 'line' || x.type === 'logarithmic') return;
      var x0 = Math.max(area.left, x.getPixelForValue(data.peak.start));
      var x1 = Math.min(area.right, x.getPixelForValue(data.peak.end));
      if (x1 <= x0) return;
      ctx.save();
      ctx.fillStyle = 'rgba(124,58,237,0.08)';
      ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
      ctx.fillStyle = '#5b21b6';
      ctx.font = '600 11px ' + Chart.defaults.font.family;
      ctx.fillText('peak hour', x0 + 4, area.top + 13);
      ctx.restore();
    }
  });

  function xy(values) {
    return values.map(function (v, i) { return { x: data.x[i], y: v }; });
  }
  function timeChart(id, datasets, yTitle, yExtra) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    var y = { beginAtZero: true, title: { display: true, text: yTitle }, grid: { color: '#eef0f3' } };
    for (var k in yExtra) y[k] = yExtra[k];
    charts.push(new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: { type: 'linear', min: 0, max: data.xMax, title: { display: true, text: data.xTitle }, grid: { color: '#eef0f3' } }, y: y }
    } }));
  }
  function perOperator(key, label, dashed) {
    return data.ops.map(function (o, i) {
      var c = PALETTE[i % PALETTE.length];
      return { label: o.id + (label ? ' ' + label : ''), data: xy(o[key]), borderColor: c, backgroundColor: c, borderDash: dashed ? [6, 4] : undefined, spanGaps: true };
    });
  }

  timeChart('chart-offered', perOperator('offered', 'offered', true).concat(perOperator('carried', 'carried', false)), 'messages / s');
  timeChart('chart-queue', perOperator('queued', '', false), 'messages waiting');
  timeChart('chart-wait', perOperator('waitS', '', false), 'seconds');
  timeChart('chart-receipt', perOperator('receiptP99S', 'p99', false).concat(perOperator('receiptP50S', 'p50', true)), 'seconds');
  timeChart('chart-pending', perOperator('awaiting', '', false), 'messages');
  timeChart('chart-lost', perOperator('lostPerS', '', false), 'messages / s');

  // HDR percentile plot (as the run report draws it): x = 1/(1-q) on a log axis.
  function percentileLabel(x) {
    var q = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return q.toFixed(digits) + '%';
  }
  var dist = document.getElementById('chart-dist');
  if (dist) {
    var maxX = 10;
    data.distribution.forEach(function (d) { d.points.forEach(function (p) { if (p.x > maxX) maxX = p.x; }); });
    maxX = Math.pow(10, Math.ceil(Math.log10(maxX)));
    charts.push(new Chart(dist, { type: 'line', data: { datasets: data.distribution.map(function (d, i) {
      return { label: d.label, data: d.points, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] };
    }) }, options: {
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'logarithmic', min: 1, max: maxX, title: { display: true, text: 'percentile' }, grid: { color: '#eef0f3' },
          afterBuildTicks: function (axis) { var t = []; for (var v = 1; v <= maxX; v *= 10) t.push({ value: v }); axis.ticks = t; },
          ticks: { callback: function (v) { return percentileLabel(v); } } },
        y: { type: 'logarithmic', title: { display: true, text: 'latency (log)' }, grid: { color: '#eef0f3' },
          afterBuildTicks: function (axis) { var t = []; for (var v = 0.001; v <= axis.max * 1.0001; v *= 10) if (v >= axis.min / 1.0001) t.push({ value: v }); axis.ticks = t; },
          ticks: { callback: function (v) { return v >= 1 ? v + ' s' : Math.round(v * 1000) + ' ms'; } } }
      }
    } }));
  }
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('afterprint', function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`
