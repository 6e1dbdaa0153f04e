// Charts of the rotation statistics page; data from the json_script block.
(function () {
  "use strict";
  var source = document.getElementById("circulation-chart");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var districts = document.getElementById("chart-districts");
  if (districts) {
    new Chart(districts, {
      type: "bar",
      data: {
        labels: data.districts.labels,
        datasets: [
          { label: labels.copies, data: data.districts.copies, backgroundColor: "#1f6f8b" },
          { label: labels.missing, data: data.districts.missing, backgroundColor: "#e0a800" },
          { label: labels.lost, data: data.districts.lost, backgroundColor: "#c0392b" }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
    });
  }
  var months = document.getElementById("chart-months");
  if (months) {
    new Chart(months, {
      type: "line",
      data: {
        labels: data.months.labels,
        datasets: [
          { label: labels.copies, data: data.months.copies, borderColor: "#1f6f8b", backgroundColor: "#1f6f8b", tension: 0.2 },
          { label: labels.collections, data: data.months.collections, borderColor: "#6c757d", backgroundColor: "#6c757d", yAxisID: "y1" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, ticks: { precision: 0 }, position: "right", grid: { drawOnChartArea: false } } }
      }
    });
  }
})();
