/* Charts of the consolidation page (Chart.js served by the portal). */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var totals = document.getElementById("chart-totals");
  var datasets = [{ label: data.series[0], data: data.current, backgroundColor: "#1f5f8b" }];
  if (data.series[1]) datasets.push({ label: data.series[1], data: data.previous, backgroundColor: "#9ab8cf" });
  if (data.series[2]) datasets.push({ label: data.series[2], data: data.last_year, backgroundColor: "#e0a458" });
  new Chart(totals, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      maintainAspectRatio: false,
      scales: { y: { type: "logarithmic", title: { display: true, text: "thang logarit" } } },
      plugins: { tooltip: { callbacks: { title: function (items) { var c = items[0].label; return c + " – " + (data.names[c] || ""); } } } }
    }
  });
  var select = document.getElementById("chart-indicator");
  var districtChart = new Chart(document.getElementById("chart-districts"), {
    type: "bar",
    data: { labels: data.districts, datasets: [{ label: select.value, data: data.by_district[select.value] || [], backgroundColor: "#2e8b57" }] },
    options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } } }
  });
  select.addEventListener("change", function () {
    districtChart.data.datasets[0].label = select.value;
    districtChart.data.datasets[0].data = data.by_district[select.value] || [];
    districtChart.update();
  });
})();
