/* Service worker of the portal (served at /sw.js so that it controls every page).
 *
 * - Static assets: precached at install, then served from the cache (their names change
 *   with their content in production, and CONFIG.version changes whenever one does).
 * - Pages: network first; a copy of the shell and of the report pages is kept so that a
 *   district officer can open them without a network. A page that takes too long falls back
 *   to its copy. Nothing else is cached, and nothing is ever sent from here: saving stays
 *   with the page (report_form.js), through the portal's save endpoint and its version check.
 * - Logging out deletes the copies of pages. */
"use strict";
const CONFIG = {{ config|safe }};
const STATIC_CACHE = "hb-static-" + CONFIG.version;
const PAGE_CACHE = "hb-pages-v1";
const PAGE_PATTERNS = CONFIG.pages.map(function (p) { return new RegExp(p); });

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      // The offline page names no one, so it stays with the assets when pages are forgotten.
      return cache.addAll(CONFIG.assets.concat([CONFIG.offline]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("hb-static-") === 0 && k !== STATIC_CACHE; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function cacheablePage(url) {
  return url.origin === self.location.origin && PAGE_PATTERNS.some(function (re) { return re.test(url.pathname); });
}

function keepPage(request, response) {
  // Only a page really shown to a signed-in user: not a redirect to the login page.
  if (!response || response.status !== 200 || response.redirected || response.type !== "basic") return;
  var type = response.headers.get("content-type") || "";
  if (type.indexOf("text/html") !== 0) return;
  var copy = response.clone();
  caches.open(PAGE_CACHE).then(function (cache) { cache.put(request.url.split("#")[0], copy); });
}

function fromNetworkOrCopy(request) {
  var url = new URL(request.url);
  var network = fetch(request).then(function (response) {
    if (cacheablePage(url)) keepPage(request, response);
    return response;
  });
  if (!cacheablePage(url)) {
    return network.catch(function () { return caches.match(CONFIG.offline); });
  }
  var copy = caches.match(request.url.split("#")[0], { ignoreVary: true, cacheName: PAGE_CACHE });
  // A patchy network can hang for a long time: after a few seconds, show the copy if there is one.
  var slow = new Promise(function (resolve) { setTimeout(resolve, CONFIG.timeout); }).then(function () { return copy; });
  return Promise.race([network, slow.then(function (r) { return r || network; })]).catch(function () {
    return copy.then(function (r) { return r || caches.match(CONFIG.offline); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrCopy(request));
    return;
  }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(
      caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        });
      })
    );
  }
});

// The report list of a district officer names the forms of the open periods: keep them
// now, while there is a network, so that they open later without one.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    var urls = data.urls.filter(function (u) { return cacheablePage(new URL(u, self.location.origin)); });
    event.waitUntil(Promise.all(urls.map(function (u) {
      var request = new Request(new URL(u, self.location.origin).href, { credentials: "same-origin" });
      return fetch(request).then(function (response) { keepPage(request, response); }).catch(function () {});
    })));
  }
  if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});
