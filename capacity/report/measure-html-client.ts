// The capacity report's script (plain ES2017 in a String.raw; see reports/html-client.ts): x is the
// offered rate of each step; the knee (the highest rate that held) is a dashed vertical line.
export const CAPACITY_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2'];
  var charts = [];
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#374151';
  Chart.defaults.elements.line.borderWidth = 1.75;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.register({
    id: 'knee',
    afterDatasetsDraw: function (chart) {
      if (data.knee === null) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      var px = x.getPixelForValue(data.knee);
      if (px < area.left || px > area.right) return;
      ctx.save();
      ctx.strokeStyle = '#15803d';
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.fillStyle = '#15803d';
      ctx.font = '600 11px ' + Chart.defaults.font.family;
      ctx.fillText('held ' + data.knee + '/s', px + 4, area.top + 13);
      ctx.restore();
    }
  });
  function pts(values) {
    return values.map(function (v, i) { return { x: data.rate[i], y: v }; });
  }
  function chart(id, datasets, yTitle, yType) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    charts.push(new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'offered, messages / s' }, grid: { color: '#eef0f3' } },
        y: { type: yType || 'linear', beginAtZero: yType !== 'logarithmic', title: { display: true, text: yTitle }, grid: { color: '#eef0f3' } }
      }
    } }));
  }
  var maxRate = data.rate.length ? data.rate[data.rate.length - 1] : 1;
  var carried = [
    { label: 'carried everything', data: [{ x: 0, y: 0 }, { x: maxRate, y: maxRate }], borderColor: '#9ca3af', borderDash: [4, 4], pointRadius: 0 },
    { label: 'carried', data: pts(data.carried), borderColor: '#111827', backgroundColor: data.ok.map(function (ok) { return ok ? '#16a34a' : '#dc2626'; }), pointRadius: 5 }
  ];
  data.operators.forEach(function (o, i) {
    carried.push({ label: o.id, data: pts(o.carried), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 3 });
  });
  chart('chart-carried', carried, 'carried, messages / s');
  chart('chart-latency', [
    { label: 'submit p50', data: pts(data.submitP50), borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderDash: [5, 4] },
    { label: 'submit p99', data: pts(data.submitP99), borderColor: PALETTE[0], backgroundColor: PALETTE[0] },
    { label: 'receipt p50', data: pts(data.receiptP50), borderColor: PALETTE[3], backgroundColor: PALETTE[3], borderDash: [5, 4] },
    { label: 'receipt p99', data: pts(data.receiptP99), borderColor: PALETTE[3], backgroundColor: PALETTE[3] }
  ], 'ms (log)', 'logarithmic');
  chart('chart-lost', [
    { label: 'dropped', data: pts(data.dropped), borderColor: PALETTE[2], backgroundColor: PALETTE[2] },
    { label: 'rejected', data: pts(data.rejected), borderColor: PALETTE[4], backgroundColor: PALETTE[4] }
  ], 'messages');
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`
