/* Report entry: autosave of drafts with optimistic concurrency, inline validation, and a
 * local copy of unsaved input (localStorage) so nothing typed is lost on a closed tab or a
 * dropped connection. The server refuses a save made from an outdated version (409); the
 * input then stays on the page and in the local copy. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var submitForm = document.getElementById("submit-form");
  var statusEl = document.getElementById("save-status");
  var conflictEl = document.getElementById("conflict-alert");
  var storeKey = "hb-report-" + form.dataset.report;
  var timer = null;
  var saving = null;
  var dirty = false;
  var stopped = false;

  function version() { return form.querySelector(".js-version").value; }
  function setVersion(v) {
    document.querySelectorAll(".js-version").forEach(function (el) { el.value = v; });
  }
  function fields() { return form.querySelectorAll("[name^='v_']"); }
  function snapshot() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.value; });
    return data;
  }
  function keepLocal() {
    try { localStorage.setItem(storeKey, JSON.stringify({ version: version(), values: snapshot() })); } catch (e) { /* private mode */ }
  }
  function dropLocal() { try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ } }
  function say(text, cls) {
    statusEl.textContent = text;
    statusEl.className = "small " + (cls || "text-body-secondary");
  }
  function showErrors(errors) {
    fields().forEach(function (el) {
      var code = el.name.slice(2);
      var msg = (errors && errors[code]) || "";
      document.getElementById("err-" + code).textContent = msg;
      el.classList.toggle("is-invalid", !!msg);
    });
  }
  function showWarnings(warnings) {
    document.querySelectorAll(".js-warning").forEach(function (el) {
      var code = el.id.slice(5);
      el.textContent = (warnings && warnings[code]) ? "⚠ " + warnings[code] : "";
    });
  }
  function checkLocally(el) {
    if (el.tagName === "TEXTAREA") return "";
    var v = el.value.trim().replace(/[.\s]/g, "");
    if (v === "") return "";
    if (!/^-?\d+$/.test(v)) return "Giá trị phải là một số nguyên.";
    if (parseInt(v, 10) < 0) return "Giá trị không được là số âm.";
    return "";
  }

  function save() {
    if (stopped) return Promise.resolve(false);
    if (saving) return saving.then(save);
    if (!dirty) return Promise.resolve(true);
    dirty = false;
    say("Đang lưu…");
    var body = new FormData(form);
    saving = fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (res) {
      saving = null;
      if (res.status === 200) {
        setVersion(res.data.version);
        showErrors({});
        showWarnings(res.data.warnings);
        if (!dirty) dropLocal(); else keepLocal();
        say(res.data.message, "text-success");
        return true;
      }
      if (res.status === 409) {
        stopped = true;
        keepLocal();
        conflictEl.textContent = res.data.message;
        conflictEl.classList.remove("d-none");
        say("Chưa lưu: báo cáo đã được người khác thay đổi.", "text-danger");
        return false;
      }
      showErrors(res.data.errors || {});
      say(res.data.message || "Chưa lưu được.", "text-danger");
      return false;
    }).catch(function () {
      saving = null;
      dirty = true;
      keepLocal();
      say("Mất kết nối: nội dung được giữ trên máy này và sẽ lưu lại khi có mạng.", "text-danger");
      return false;
    });
    return saving;
  }

  function changed(event) {
    dirty = true;
    keepLocal();
    if (event && event.target && event.target.name && event.target.name.indexOf("v_") === 0) {
      var code = event.target.name.slice(2);
      var msg = checkLocally(event.target);
      document.getElementById("err-" + code).textContent = msg;
      event.target.classList.toggle("is-invalid", !!msg);
    }
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    dirty = true;
    save();
  });
  window.addEventListener("online", function () { if (dirty) save(); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty || saving) { keepLocal(); event.preventDefault(); event.returnValue = ""; }
  });
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (!dirty && !saving) return;
      event.preventDefault();
      clearTimeout(timer);
      save().then(function (ok) { if (ok) submitForm.submit(); });
    });
  }

  // Input typed here earlier but never saved (tab closed, connection lost): put it back.
  try {
    var kept = JSON.parse(localStorage.getItem(storeKey) || "null");
    if (kept) {
      var restored = 0;
      fields().forEach(function (el) {
        if (kept.values[el.name] !== undefined && kept.values[el.name] !== el.value) {
          el.value = kept.values[el.name];
          restored += 1;
        }
      });
      if (!restored) {
        dropLocal();
      } else if (kept.version === version()) {
        dirty = true;
        say("Đã khôi phục " + restored + " ô chưa lưu từ lần nhập trước; đang lưu…", "text-warning-emphasis");
        save();
      } else {
        // Someone saved in between: show what this person typed, let them check and save.
        dirty = true;
        keepLocal();
        say("Đã đưa lại " + restored + " ô bạn nhập trước đó nhưng chưa lưu được (báo cáo đã có người khác sửa). Kiểm tra rồi bấm “Lưu nháp”.", "text-warning-emphasis");
      }
    }
  } catch (e) { /* ignore a broken local copy */ }
})();
