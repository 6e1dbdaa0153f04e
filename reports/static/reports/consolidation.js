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
      scales: { y: { type: "logarithmic", title: { display: true, text: data.totals_axis } } },
      plugins: { tooltip: { callbacks: { title: function (items) { var c = items[0].label; return c + " – " + (data.names[c] || ""); } } } }
    }
  });
  var select = document.getElementById("chart-indicator");
  function districtTitle(code) {
    var unit = data.units[code];
    var words = (code + " – " + (data.names[code] || "") + (unit ? " (" + unit + ")" : "")).split(" ");
    var lines = [""];
    words.forEach(function (w) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + w).length > 48) lines.push(w);
      else lines[last] = lines[last] ? lines[last] + " " + w : w;
    });
    return lines;
  }
  var districtChart = new Chart(document.getElementById("chart-districts"), {
    type: "bar",
    data: { labels: data.districts, datasets: [{ label: select.value, data: data.by_district[select.value] || [], backgroundColor: "#2e8b57" }] },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.districts_axis } } },
      plugins: { legend: { display: false }, title: { display: true, text: districtTitle(select.value), font: { weight: "normal" } } }
    }
  });
  select.addEventListener("change", function () {
    districtChart.data.datasets[0].label = select.value;
    districtChart.data.datasets[0].data = data.by_district[select.value] || [];
    districtChart.options.plugins.title.text = districtTitle(select.value);
    districtChart.update();
  });
})();
