// One tap per person: each checkbox change is saved at once (POST to the toggle endpoint).
// Without JavaScript the same checkboxes are submitted with the "Lưu điểm danh" button.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) return;
  var labels = document.getElementById("attendance-labels").dataset;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var base = form.getAttribute("data-toggle-url");
  var counter = document.getElementById("present-count");
  var save = form.querySelector(".js-no-js-save");
  if (save) save.classList.add("d-none");

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList.contains("js-attendance")) return;
    var row = box.closest(".attendance-row");
    var url = base.replace(/\/0\/$/, "/" + box.value + "/");
    var body = new URLSearchParams({ present: box.checked ? "1" : "0" });
    box.disabled = true;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok || !data.ok) throw new Error(data.error || labels.error);
          return data;
        });
      })
      .then(function (data) {
        row.classList.toggle("list-group-item-success", data.present);
        row.querySelector(".attendance-state").textContent = data.present ? labels.present : labels.absent;
        row.dataset.saved = "1";
        counter.textContent = data.n_present;
      })
      .catch(function (error) {
        box.checked = !box.checked;
        window.alert(error.message || labels.error);
      })
      .finally(function () {
        box.disabled = false;
      });
  });
})();
