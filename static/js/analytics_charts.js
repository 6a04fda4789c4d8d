// Charts of the analytic report page, drawn from the figures embedded in the page.
(function () {
  const source = document.getElementById("figures");
  if (!source || typeof Chart === "undefined") return;
  const f = JSON.parse(source.textContent);
  const systems = (f.by_system || []).filter(function (s) { return s.orgs > 0; });
  new Chart(document.getElementById("chart-systems"), {
    type: "bar",
    data: { labels: systems.map(function (s) { return s.short_name; }), datasets: [{ label: "Организаций", data: systems.map(function (s) { return s.orgs; }), backgroundColor: "#2f6fb3" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, locale: "ru-RU" },
  });
  const pj = f.paper_journal || { yes: 0, no: 0, planned: 0 };
  new Chart(document.getElementById("chart-paper"), {
    type: "doughnut",
    data: { labels: ["ведут", "отказались", "планируют отказ"], datasets: [{ data: [pj.yes, pj.no, pj.planned], backgroundColor: ["#b02a37", "#0a58ca", "#146c43"] }] },
    options: { locale: "ru-RU" },
  });
})();
