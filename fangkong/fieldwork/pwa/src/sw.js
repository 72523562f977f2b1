// The field pages' service worker (issue 17), built with Workbox by `npm run build` into
// fangkong/fieldwork/static/fieldwork/sw.js and served at /field/sw.js (scope /field/).
//
// What it caches, and nothing more: the app shell (the offline page and the static files it loads) and the
// reference data of the signed-in worker (/api/v1/field/reference: their own grid only). Submissions are never
// cached: the page keeps them in IndexedDB until the server has them. A logout clears every cache
// (Clear-Site-Data from the server, and the page's own clean-up).
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { registerRoute } from "workbox-routing";
import { NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";

const SHELL = "fk-field-shell-v1";
const STATIC = "fk-field-static-v1";
const REFERENCE = "fk-field-reference-v1";
const SHELL_URLS = ["/field/offline/"];

self.skipWaiting();
clientsClaim();

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS.map((u) => new Request(u, { credentials: "same-origin" })))),
  );
});

// The offline page itself: the network first (a fresh CSRF token and session), the cached shell without one.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === "/field/offline/",
  new NetworkFirst({ cacheName: SHELL, networkTimeoutSeconds: 4 }),
);

// The static files of the shell (Bootstrap, htmx, the page's script): served from the cache, refreshed behind.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: STATIC, plugins: [new ExpirationPlugin({ maxEntries: 60 })] }),
);

// The worker's reference data: fresh when online, the last copy offline (one entry: the user's own).
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === "/api/v1/field/reference",
  new NetworkFirst({ cacheName: REFERENCE, networkTimeoutSeconds: 4, plugins: [new ExpirationPlugin({ maxEntries: 1 })] }),
);

// The page asks for this at logout (and when another user signs in on the same phone).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
  }
});
