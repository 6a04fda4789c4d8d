// Charts of the analytic report page, drawn from the figures embedded in the page: a label per
// system installation, the value written at the end of every bar, at most TOP_N bars.
(function () {
  const source = document.getElementById("figures");
  if (!source || typeof Chart === "undefined") return;
  const f = JSON.parse(source.textContent);
  const TOP_N = 12;
  const number = new Intl.NumberFormat("ru-RU");

  const valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = "12px sans-serif";
      ctx.fillStyle = "#212529";
      ctx.textBaseline = "middle";
      chart.data.datasets.forEach(function (dataset, i) {
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          const text = (dataset.valueText || [])[j] || number.format(dataset.data[j]);
          ctx.fillText(text, bar.x + 4, bar.y);
        });
      });
      ctx.restore();
    },
  };

  function topWithOthers(rows, value) {
    const sorted = rows.slice().sort(function (a, b) { return value(b) - value(a); });
    if (sorted.length <= TOP_N) return sorted;
    const rest = sorted.slice(TOP_N - 1);
    const others = { label: "остальные (" + rest.length + ")", orgs: rest.reduce(function (s, r) { return s + value(r); }, 0) };
    return sorted.slice(0, TOP_N - 1).concat([others]);
  }

  function bars(canvas, labels, data, valueText, colors) {
    const max = Math.max.apply(null, data.concat([1]));
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: data, valueText: valueText, backgroundColor: colors || "#2f6fb3" }] },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        responsive: true,
        locale: "ru-RU",
        scales: { x: { beginAtZero: true, suggestedMax: max * 1.25 } },
        plugins: { legend: { display: false } },
      },
      plugins: [valueLabels],
    });
  }

  const systems = topWithOthers((f.by_system || []).filter(function (s) { return s.orgs > 0; }), function (s) { return s.orgs; });
  bars(
    document.getElementById("chart-systems"),
    systems.map(function (s) { return s.label || s.short_name; }),
    systems.map(function (s) { return s.orgs; })
  );
  const pj = f.paper_journal || { yes: 0, no: 0, planned: 0 };
  const total = pj.yes + pj.no + pj.planned || 1;
  const paper = [pj.yes, pj.no, pj.planned];
  bars(
    document.getElementById("chart-paper"),
    ["ведут", "отказались", "планируют отказ"],
    paper,
    paper.map(function (v) { return number.format(v) + " (" + (v * 100 / total).toLocaleString("ru-RU", { maximumFractionDigits: 1 }) + "%)"; }),
    ["#146c43", "#0a58ca", "#b02a37"]
  );
})();
