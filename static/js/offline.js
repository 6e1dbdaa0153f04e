/* The installable portal: registers the service worker, keeps the values typed without a
 * network in IndexedDB (one record per report and field, with the version and the value it
 * was typed over), and shows in the shell whether the network is there and how many changes
 * wait to be sent. Sending is done by the report page (reports/report_form.js). */
(function () {
  "use strict";
  var DB_NAME = "hb-offline";
  var STORE = "pending";
  var dbPromise = null;
  var channel = ("BroadcastChannel" in window) ? new BroadcastChannel("hb-offline") : null;
  var listeners = [];

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      if (!("indexedDB" in window)) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: ["report", "field"] });
        store.createIndex("report", "report");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function changed() {
    listeners.forEach(function (fn) { fn(); });
    if (channel) channel.postMessage("changed");
    refresh();
  }

  var queue = {
    /* Keep one field's value; the first record of a field keeps the version and the server
     * value it was typed over, so that a later conflict can be told from a clean change. */
    put: function (report, field, value, baseVersion, baseValue) {
      return tx("readwrite", function (store) {
        var get = store.get([report, field]);
        get.onsuccess = function () {
          var old = get.result;
          store.put({
            report: report, field: field, value: value, at: new Date().toISOString(),
            base_version: old ? old.base_version : baseVersion,
            base_value: old ? old.base_value : baseValue,
            state: old && old.state === "closed" ? "closed" : "pending"
          });
        };
      }).then(changed);
    },
    rebase: function (report, field, baseVersion, baseValue) {
      return tx("readwrite", function (store) {
        var get = store.get([report, field]);
        get.onsuccess = function () {
          if (!get.result) return;
          get.result.base_version = baseVersion;
          get.result.base_value = baseValue;
          if (get.result.state !== "closed") get.result.state = "pending";
          store.put(get.result);
        };
      }).then(changed);
    },
    mark: function (report, state) {
      return queue.forReport(report).then(function (records) {
        return tx("readwrite", function (store) {
          records.forEach(function (r) { r.state = state; store.put(r); });
        });
      }).then(changed);
    },
    /* Forget the fields whose value was sent (only if it is still the value that was sent). */
    drop: function (report, sent) {
      return tx("readwrite", function (store) {
        Object.keys(sent).forEach(function (field) {
          var get = store.get([report, field]);
          get.onsuccess = function () {
            if (get.result && get.result.value === sent[field]) store.delete([report, field]);
          };
        });
      }).then(changed);
    },
    dropAll: function (report) {
      return tx("readwrite", function (store) {
        var req = store.index("report").openCursor(IDBKeyRange.only(report));
        req.onsuccess = function () { var c = req.result; if (c) { c.delete(); c.continue(); } };
      }).then(changed);
    },
    forReport: function (report) {
      return tx("readonly", function (store) { return store.index("report").getAll(IDBKeyRange.only(report)); });
    },
    count: function () { return tx("readonly", function (store) { return store.count(); }); },
    all: function () { return tx("readonly", function (store) { return store.getAll(); }); },
    onChange: function (fn) { listeners.push(fn); }
  };
  window.HBOffline = queue;
  if (channel) channel.onmessage = function () { listeners.forEach(function (fn) { fn(); }); refresh(); };

  // --- The indicator in the shell ------------------------------------------------------------
  var el = document.getElementById("net-status");
  var sending = false;
  function refresh() {
    if (!el) return;
    var online = navigator.onLine;
    el.hidden = false;
    el.classList.toggle("is-offline", !online);
    el.querySelector(".bi").className = "bi " + (online ? "bi-wifi" : "bi-wifi-off");
    el.querySelector(".js-net-text").textContent = online ? el.dataset.online : el.dataset.offline;
    queue.count().then(function (n) {
      var badge = el.querySelector(".js-net-pending");
      badge.hidden = !n;
      var text = n === 1 ? el.dataset.pendingOne : el.dataset.pendingMany.replace("{n}", n);
      badge.textContent = text + (n && online && sending ? " · " + el.dataset.sending : "");
      el.dataset.pending = String(n);
      return n ? queue.all() : [];
    }).then(function (records) {
      var link = el.querySelector(".js-net-review");
      var first = (records || [])[0];
      var here = document.getElementById("report-form");
      link.hidden = !first || (here && parseInt(here.dataset.report, 10) === first.report);
      if (first) link.href = el.dataset.reportUrl.replace("/0/", "/" + first.report + "/");
    }).catch(function () { /* no IndexedDB: nothing can be waiting */ });
  }
  queue.setSending = function (value) { sending = value; refresh(); };

  // --- Sending from any page -------------------------------------------------------------------
  // The report page sends its own values (and settles conflicts); from any other page, values
  // waiting for a report are sent when the network is there. A conflict or a report closed
  // meanwhile is left for the report page, which the indicator then links to.
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  var syncing = false;
  function sendWaiting() {
    if (!el || !el.dataset.saveUrl || syncing || !navigator.onLine) return;
    var open = document.getElementById("report-form");
    var here = open ? parseInt(open.dataset.report, 10) : null;
    syncing = true;
    queue.all().then(function (records) {
      var byReport = {};
      records.forEach(function (r) {
        if (r.report === here) return;
        (byReport[r.report] = byReport[r.report] || []).push(r);
      });
      return Promise.all(Object.keys(byReport).map(function (id) {
        var kept = byReport[id];
        var versions = kept.map(function (r) { return r.base_version; });
        if (kept.some(function (r) { return r.state !== "pending"; }) || Math.min.apply(null, versions) !== Math.max.apply(null, versions)) {
          return null;
        }
        var body = new FormData();
        body.append("version", versions[0]);
        var sent = {};
        kept.forEach(function (r) { body.append("v_" + r.field, r.value); sent[r.field] = r.value; });
        return fetch(el.dataset.saveUrl.replace("/0/", "/" + id + "/"), {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "Accept": "application/json", "X-CSRFToken": cookie("csrftoken") }
        }).then(function (response) {
          var report = parseInt(id, 10);
          if (response.status === 200) return queue.drop(report, sent);
          if (response.status === 409) return queue.mark(report, "conflict");
          if (response.status === 423) return queue.mark(report, "closed");
          return null;  // invalid value, signed out…: left for the report page
        }).catch(function () { return null; });
      }));
    }).catch(function () {}).then(function () { syncing = false; refresh(); });
  }
  queue.sendWaiting = sendWaiting;
  window.addEventListener("online", function () { refresh(); sendWaiting(); });
  window.addEventListener("offline", refresh);
  setInterval(sendWaiting, 30000);
  refresh();
  sendWaiting();

  // --- Service worker --------------------------------------------------------------------------
  if (!("serviceWorker" in navigator) || !el || !el.dataset.sw) return;
  navigator.serviceWorker.register(el.dataset.sw, { scope: "/" }).then(function (registration) {
    var pages = document.querySelector("[data-offline-pages]");
    if (!pages) return;
    var urls = JSON.parse(pages.dataset.offlinePages || "[]");
    return navigator.serviceWorker.ready.then(function (ready) {
      (ready.active || registration.active).postMessage({ type: "keep-pages", urls: urls });
    });
  }).catch(function () { /* the portal works without it, only not offline */ });
})();
