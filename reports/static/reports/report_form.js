/* Report entry: autosave of drafts with optimistic concurrency, inline validation, and work
 * without a network. Every value typed is first kept in IndexedDB (static/js/offline.js:
 * one record per report and field, with the version and the portal's value it was typed
 * over), then sent through the save endpoint and its version check; a record is forgotten
 * only once the portal has it. When the network returns, waiting values are sent without a
 * click. If someone saved the report meanwhile, fields they did not touch are merged; a
 * field both changed is shown side by side and the officer chooses. If the report was
 * submitted meanwhile, the values are refused by the portal, stay on this device and can be
 * downloaded as a file. All texts come from the page (report-form-texts, translated). */
(function () {
  "use strict";
  var script = document.currentScript;
  var T = JSON.parse(document.getElementById("report-form-texts").textContent);
  var reportId = parseInt(script.dataset.report, 10);
  var Q = window.HBOffline;
  var form = document.getElementById("report-form");
  var closedPanel = document.getElementById("closed-panel");
  var lastState = null;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }
  function records() { return Q ? Q.forReport(reportId).catch(function () { return []; }) : Promise.resolve([]); }

  // --- Refused values: the report was submitted or locked meanwhile -----------------------
  function showClosed(reason) {
    records().then(function (kept) {
      if (!kept.length) return;
      if (Q) Q.mark(reportId, "closed");
      closedPanel.querySelector("h2").textContent = T.closedTitle;
      closedPanel.querySelector(".js-closed-text").textContent = fmt(T.closedText, { reason: reason });
      closedPanel.querySelector(".js-download span").textContent = T.download;
      closedPanel.querySelector(".js-forget span").textContent = T.forget;
      closedPanel.classList.remove("d-none");
      if (form) form.querySelectorAll("input, textarea, button").forEach(function (el) { el.disabled = true; });
    });
  }
  function csvCell(value) { return '"' + String(value === undefined || value === null ? "" : value).replace(/"/g, '""') + '"'; }
  function download() {
    records().then(function (kept) {
      var server = (lastState && lastState.values) || {};
      var rows = [T.csvHeader];
      kept.forEach(function (r) {
        var at = new Date(r.at);
        var when = ("0" + at.getDate()).slice(-2) + "/" + ("0" + (at.getMonth() + 1)).slice(-2) + "/" + at.getFullYear() +
          " " + ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
        rows.push([r.field, T.labels[r.field] || "", r.value, server[r.field] !== undefined ? server[r.field] : (r.base_value || ""), when]);
      });
      var text = "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
      var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = T.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      closedPanel.querySelector(".js-forget").disabled = false;
    });
  }
  if (closedPanel) {
    closedPanel.querySelector(".js-download").addEventListener("click", download);
    closedPanel.querySelector(".js-forget").addEventListener("click", function () {
      Q.dropAll(reportId).then(function () { closedPanel.classList.add("d-none"); });
    });
  }
  if (!form) {
    // Read-only page (submitted, accepted, locked): anything still kept from offline typing is refused.
    showClosed(T.closedReason);
    return;
  }

  var submitForm = document.getElementById("submit-form");
  var submitOffline = document.getElementById("submit-offline");
  var statusEl = document.getElementById("save-status");
  var conflictPanel = document.getElementById("conflict-panel");
  var timer = null;
  var saving = null;
  var dirty = false;
  var stopped = false;
  var waiting = false;  // the last attempt found no network
  var lastPut = Promise.resolve();
  var legacyKey = "hb-report-" + reportId;

  function version() { return form.querySelector(".js-version").value; }
  function setVersion(v) {
    document.querySelectorAll(".js-version").forEach(function (el) { el.value = v; });
  }
  function fields() { return form.querySelectorAll("[name^='v_']"); }
  function field(code) { return form.querySelector("[name='v_" + code + "']"); }
  function snapshot() {
    var data = {};
    fields().forEach(function (el) { data[el.name.slice(2)] = el.value; });
    return data;
  }
  // The portal's value of each field, as last seen: what a value typed here is typed over.
  var serverValues = snapshot();

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
    if (!/^-?\d+$/.test(v)) return T.notInteger;
    if (parseInt(v, 10) < 0) return T.notNegative;
    return "";
  }

  function fetchState() {
    return fetch(T.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok || (response.headers.get("content-type") || "").indexOf("application/json") !== 0) throw new Error("state");
        return response.json();
      }).then(function (state) { lastState = state; showStatus(state); return state; });
  }

  // The badge at the top follows the portal: a report a colleague submitted meanwhile no
  // longer reads "Đang soạn" (the classes are reports/_status.html's).
  var BADGES = { accepted: "text-bg-success", submitted: "text-bg-primary", returned: "text-bg-warning", draft: "text-bg-secondary" };
  function showStatus(state) {
    var box = document.querySelector("[data-testid='report-status']");
    if (!box || !state.status_display) return;
    var badge = box.querySelector(".badge");
    if (!badge || badge.textContent === state.status_display) return;
    badge.textContent = state.status_display;
    badge.className = "badge " + (BADGES[state.status] || "text-bg-danger");
    // The on-time or late mark beside it belonged to the status shown before.
    Array.prototype.slice.call(box.querySelectorAll(".badge"), 1).forEach(function (b) { b.remove(); });
  }

  // Values typed over an older version: merge what can be merged, ask about the rest.
  function reconcile(state) {
    if (!state.editable) { stopped = true; showClosed(fmt(T.closedStatus, { status: state.status_display })); return Promise.resolve(); }
    return records().then(function (kept) {
      var mine = {};
      var conflicts = [];
      var work = [];
      kept.forEach(function (r) {
        var theirs = state.values[r.field] !== undefined ? state.values[r.field] : "";
        mine[r.field] = r.value;
        if (theirs === r.value) {
          work.push(Q.drop(reportId, { [r.field]: r.value }));
        } else if (String(r.base_version) === String(state.version) || (r.base_value !== null && r.base_value === theirs)) {
          work.push(Q.rebase(reportId, r.field, state.version, theirs));
        } else {
          conflicts.push({ field: r.field, mine: r.value, theirs: theirs });
        }
      });
      setVersion(state.version);
      fields().forEach(function (el) {
        var code = el.name.slice(2);
        var theirs = state.values[code] !== undefined ? state.values[code] : "";
        serverValues[code] = theirs;
        if (!(code in mine)) el.value = theirs;
      });
      return Promise.all(work).then(function () {
        if (conflicts.length) { showConflicts(conflicts, state); return; }
        if (kept.length) say(T.merged, "text-warning-emphasis");
        stopped = false;
        dirty = true;
        return save();
      });
    });
  }

  function showConflicts(conflicts, state) {
    stopped = true;
    say(T.conflictWaiting, "text-danger");
    conflictPanel.querySelector("h2").textContent = T.conflictTitle;
    conflictPanel.querySelector(".js-conflict-intro").textContent =
      fmt(T.conflictIntro, { who: state.updated_by || T.someone, time: state.updated_at });
    var box = conflictPanel.querySelector(".js-conflict-rows");
    box.textContent = "";
    conflicts.forEach(function (c) {
      var fs = document.createElement("fieldset");
      fs.className = "mb-3";
      fs.dataset.field = c.field;
      fs.setAttribute("data-testid", "conflict-" + c.field);
      var legend = document.createElement("legend");
      legend.className = "fs-6 fw-semibold";
      legend.textContent = c.field + " · " + (T.labels[c.field] || "");
      fs.appendChild(legend);
      var row = document.createElement("div");
      row.className = "row g-2";
      [["mine", T.mine, c.mine], ["theirs", T.theirs + " (" + (state.updated_by || T.someone) + ")", c.theirs]].forEach(function (side) {
        var col = document.createElement("div");
        col.className = "col-6";
        var label = document.createElement("label");
        label.className = "conflict-choice h-100";
        var input = document.createElement("input");
        input.type = "radio";
        input.className = "form-check-input me-2";
        input.name = "choice-" + c.field;
        input.value = side[0];
        var head = document.createElement("span");
        head.className = "small text-body-secondary d-block";
        head.textContent = side[1];
        var value = document.createElement("span");
        value.className = "fs-5 fw-semibold d-block";
        value.textContent = side[2] === "" ? T.empty : side[2];
        label.appendChild(input);
        label.appendChild(head);
        label.appendChild(value);
        col.appendChild(label);
        row.appendChild(col);
      });
      fs.appendChild(row);
      box.appendChild(fs);
    });
    var button = conflictPanel.querySelector(".js-conflict-save");
    button.textContent = T.keepChoice;
    function ready() { button.disabled = conflicts.some(function (c) { return !box.querySelector("input[name='choice-" + c.field + "']:checked"); }); }
    box.onchange = ready;
    ready();
    button.onclick = function () {
      var work = conflicts.map(function (c) {
        var choice = box.querySelector("input[name='choice-" + c.field + "']:checked").value;
        if (choice === "mine") return Q.rebase(reportId, c.field, state.version, c.theirs);
        field(c.field).value = c.theirs;
        return Q.drop(reportId, { [c.field]: c.mine });
      });
      Promise.all(work).then(function () {
        conflictPanel.classList.add("d-none");
        stopped = false;
        dirty = true;
        save();
      });
    };
    conflictPanel.classList.remove("d-none");
    conflictPanel.scrollIntoView({ block: "start" });
  }

  function send(values) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("version", version());
    Object.keys(values).forEach(function (code) { body.append("v_" + code, values[code]); });
    return fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
      if (!json) return { status: response.redirected ? 401 : response.status, data: {} };
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function save() {
    if (stopped) return Promise.resolve(false);
    if (saving) return saving.then(save);
    saving = lastPut.then(records).then(function (kept) {
      var values = {};
      kept.forEach(function (r) { values[r.field] = r.value; });
      if (!kept.length && !dirty) return true;
      if (!kept.length) values = snapshot();  // "Lưu nháp" with nothing waiting: save the page as it is
      dirty = false;
      if (!navigator.onLine) { say(T.offlineKept, "text-danger"); waiting = true; return false; }
      say(T.saving);
      if (Q) Q.setSending(true);
      return send(values).then(function (res) {
        waiting = false;
        if (res.status === 200) {
          setVersion(res.data.version);
          Object.keys(values).forEach(function (code) { serverValues[code] = values[code]; });
          showErrors({});
          showWarnings(res.data.warnings);
          say(res.data.message, "text-success");
          if (!Q) return true;
          // Typed while this save was on its way: now typed over the version just saved.
          return Q.drop(reportId, values).then(records).then(function (left) {
            return Promise.all(left.map(function (r) {
              return Q.rebase(reportId, r.field, res.data.version, serverValues[r.field]);
            }));
          }).then(function () { return true; });
        }
        if (res.status === 409) {
          return fetchState().then(reconcile).then(function () { return false; });
        }
        if (res.status === 423) {
          stopped = true;
          return fetchState().catch(function () { return null; }).then(function () { showClosed(res.data.message); return false; });
        }
        if (res.status === 401 || res.status === 403) { say(T.loginNeeded, "text-danger"); return false; }
        showErrors(res.data.errors || {});
        say(res.data.message || T.notSaved, "text-danger");
        return false;
      }, function () {
        waiting = true;
        say(T.offlineKept, "text-danger");
        return false;
      });
    }).then(function (ok) {
      saving = null;
      if (Q) Q.setSending(false);
      return ok;
    }, function () {
      saving = null;
      if (Q) Q.setSending(false);
      return false;
    });
    return saving;
  }

  function keep(el) {
    var code = el.name.slice(2);
    if (!Q) { dirty = true; return; }
    lastPut = lastPut.then(function () {
      return Q.put(reportId, code, el.value, parseInt(version(), 10), serverValues[code]);
    }).catch(function () { dirty = true; });
  }

  function changed(event) {
    var el = event && event.target;
    if (!el || !el.name || el.name.indexOf("v_") !== 0) return;
    keep(el);
    var code = el.name.slice(2);
    var msg = checkLocally(el);
    document.getElementById("err-" + code).textContent = msg;
    el.classList.toggle("is-invalid", !!msg);
    clearTimeout(timer);
    if (!navigator.onLine) { say(T.offlineKept, "text-danger"); return; }
    timer = setTimeout(save, 1200);
  }

  function networkChanged() {
    var online = navigator.onLine;
    if (submitOffline) {
      submitOffline.textContent = T.submitOffline;
      submitOffline.classList.toggle("d-none", online);
      submitForm.querySelector("button[type=submit]").disabled = !online;
    }
    if (!online) return;
    records().then(function (kept) {
      if (!kept.length || stopped) return;
      say(T.sending, "text-warning-emphasis");
      if (String(kept[0].base_version) !== version()) { fetchState().then(reconcile); return; }
      save();
    });
  }

  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    dirty = true;
    save();
  });
  window.addEventListener("online", networkChanged);
  window.addEventListener("offline", networkChanged);
  // A network that comes back without an "online" event (a weak signal): try again now and then.
  setInterval(function () { if (waiting && navigator.onLine && !saving && !stopped) networkChanged(); }, 20000);
  if (!Q) {
    window.addEventListener("beforeunload", function (event) {
      if (dirty || saving) { event.preventDefault(); event.returnValue = ""; }
    });
  }
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (!navigator.onLine) { event.preventDefault(); networkChanged(); return; }
      event.preventDefault();
      clearTimeout(timer);
      save().then(function (ok) {
        if (ok !== false && !stopped) submitForm.submit();
      });
    });
  }

  // Values typed here earlier and not yet on the portal (page closed, network lost): put them back.
  function restore() {
    return records().then(function (kept) {
      if (!kept.length) return;
      if (kept.some(function (r) { return r.state === "closed"; })) { stopped = true; showClosed(T.closedReason); }
      kept.forEach(function (r) {
        var el = field(r.field);
        if (el) el.value = r.value;
      });
      if (stopped) return;
      waiting = true;
      if (!navigator.onLine) { say(fmt(T.restoredOffline, { n: kept.length }), "text-warning-emphasis"); return; }
      say(fmt(T.restored, { n: kept.length }), "text-warning-emphasis");
      var current = version();
      var stale = kept.some(function (r) { return String(r.base_version) !== current; });
      if (stale) {
        // Typed over an older version: compare with what the page shows now.
        lastState = { version: parseInt(current, 10), editable: true, values: serverValues, updated_by: "", updated_at: "" };
        return fetchState().then(reconcile, function () { return reconcile(lastState); });
      }
      return save();
    });
  }

  // The local copy of earlier versions of this page (localStorage) moves into the queue.
  var legacy = null;
  try { legacy = JSON.parse(localStorage.getItem(legacyKey) || "null"); localStorage.removeItem(legacyKey); } catch (e) { legacy = null; }
  if (legacy && legacy.values && Q) {
    Object.keys(legacy.values).forEach(function (name) {
      var code = name.slice(2);
      if (legacy.values[name] !== serverValues[code]) {
        lastPut = lastPut.then(function () {
          return Q.put(reportId, code, legacy.values[name], parseInt(legacy.version, 10), String(legacy.version) === version() ? serverValues[code] : null);
        });
      }
    });
  }
  lastPut.then(restore).then(networkChanged);
})();
