/* Receipt by scanning: each barcode or ISBN read by the camera, a photo, a hand-held scanner
 * (which types like a keyboard and ends with Enter) or typed by hand ticks its line of the
 * packing list and names the title. A code that is not on the list is named and ticks
 * nothing; a line scanned twice is counted once. Ticks are kept on this device until the
 * receipt is confirmed. The confirmation itself is the ordinary form below (per item), and
 * receipt by counts is unchanged. Decoding: @zxing/browser, served by the portal. */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  if (!box) return;
  var T = JSON.parse(document.getElementById("scan-texts").textContent);
  var lines = Array.prototype.slice.call(document.querySelectorAll(".receive-line"));
  var byCode = {};
  var scanned = {};
  var storeKey = "hb-receipt-" + box.dataset.rotation;
  var result = box.querySelector(".scan-result");
  var count = box.querySelector("[data-testid=scan-count]");
  var unscannedButton = box.querySelector(".js-unscanned");
  var video = box.querySelector("video");
  var controls = null;
  var lastText = "";
  var lastAt = 0;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }
  function clean(code) { return String(code || "").replace(/[\s-]/g, "").toUpperCase(); }
  // An ISBN-10 (printed on older books) is looked up as its ISBN-13.
  function isbn13(code) {
    if (!/^\d{9}[\dX]$/.test(code)) return null;
    var body = "978" + code.slice(0, 9);
    var sum = 0;
    for (var i = 0; i < 12; i++) sum += parseInt(body[i], 10) * (i % 2 ? 3 : 1);
    return body + ((10 - (sum % 10)) % 10);
  }
  lines.forEach(function (li) {
    li.dataset.codes.split(/\s+/).forEach(function (code) {
      code = clean(code);
      if (code) byCode[code] = li;
    });
  });

  function tick(li) {
    li.classList.add("is-scanned");
    li.querySelector(".scan-tick i").className = "bi bi-check-square-fill";
    li.querySelector(".js-tick-text").textContent = T.ticked;
  }
  function refreshCount() {
    var n = Object.keys(scanned).length;
    count.textContent = fmt(T.count, { n: n, total: lines.length });
    var left = lines.length - n;
    unscannedButton.classList.toggle("d-none", !n || !left);
    unscannedButton.querySelector("span").textContent = fmt(T.markUnscanned, { n: left });
  }
  function keep() {
    try { localStorage.setItem(storeKey, JSON.stringify(Object.keys(scanned))); } catch (e) { /* private mode */ }
  }
  function show(kind, text) {
    result.className = "scan-result alert mb-0 py-2 alert-" + kind;
    result.textContent = text;
  }

  function accept(raw, source) {
    var code = clean(raw);
    if (!code) return;
    var now = Date.now();
    // The camera reads the same code many times a second while it is in view.
    if (source === "camera" && code === lastText && now - lastAt < 2500) return;
    lastText = code;
    lastAt = now;
    var li = byCode[code] || byCode[isbn13(code) || ""];
    if (!li) {
      show("danger", fmt(T.unknown, { code: raw }));
      return;
    }
    var title = li.dataset.title;
    if (scanned[li.dataset.line]) {
      show("info", fmt(T.again, { title: title }));
      return;
    }
    scanned[li.dataset.line] = true;
    tick(li);
    keep();
    refreshCount();
    show("success", fmt(T.found, { title: title }));
    if (navigator.vibrate) navigator.vibrate(60);
  }

  var reader = window.ZXingBrowser ? new window.ZXingBrowser.BrowserMultiFormatReader() : null;

  function stopCamera() {
    if (controls) controls.stop();
    controls = null;
    box.querySelector(".scan-video-wrap").classList.add("d-none");
    box.querySelector(".js-camera-stop").classList.add("d-none");
    box.querySelector(".js-camera-start").classList.remove("d-none");
  }
  box.querySelector(".js-camera-start").addEventListener("click", function () {
    if (!reader || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show("warning", T.noCamera);
      return;
    }
    box.querySelector(".scan-video-wrap").classList.remove("d-none");
    reader.decodeFromConstraints({ video: { facingMode: "environment" } }, video, function (res) {
      if (res) accept(res.getText(), "camera");
    }).then(function (c) {
      controls = c;
      box.querySelector(".js-camera-start").classList.add("d-none");
      box.querySelector(".js-camera-stop").classList.remove("d-none");
      show("secondary", T.cameraOn);
    }).catch(function () {
      box.querySelector(".scan-video-wrap").classList.add("d-none");
      show("warning", T.noCamera);
    });
  });
  box.querySelector(".js-camera-stop").addEventListener("click", stopCamera);

  // A photo of a barcode (also where the browser allows no live camera, e.g. without HTTPS).
  box.querySelector(".js-photo").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file || !reader) return;
    var fr = new FileReader();
    fr.onload = function () {
      reader.decodeFromImageUrl(fr.result).then(function (res) { accept(res.getText(), "photo"); }, function () {
        show("warning", T.unreadable);
      });
      event.target.value = "";
    };
    fr.readAsDataURL(file);
  });

  // Typed by hand or by a scanner acting as a keyboard (it sends Enter after the code).
  var typed = box.querySelector(".js-typed");
  typed.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = typed.querySelector("input");
    accept(input.value, "typed");
    input.value = "";
    input.focus();
  });

  unscannedButton.addEventListener("click", function () {
    lines.forEach(function (li) {
      if (!scanned[li.dataset.line]) li.querySelector("input[type=number]").value = "0";
    });
    show("warning", T.markedUnscanned);
  });
  document.getElementById("receive-items").addEventListener("submit", function () {
    try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
    stopCamera();
  });

  try {
    JSON.parse(localStorage.getItem(storeKey) || "[]").forEach(function (id) {
      var li = lines.filter(function (l) { return l.dataset.line === String(id); })[0];
      if (li) { scanned[id] = true; tick(li); }
    });
  } catch (e) { /* a broken copy: start again */ }
  box.classList.remove("d-none");
  refreshCount();
})();
