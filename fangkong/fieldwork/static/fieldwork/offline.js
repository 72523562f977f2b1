// The offline field page (issue 17): records are kept in an IndexedDB outbox with a uuid made here, sent when the
// connection returns (or on "send now"), and removed only once the server has them (201, or 200 for a replay).
// A 409 keeps the record aside and shows both versions; the user keeps theirs (a new uuid against the server's
// version) or discards it. Nothing personal is kept beyond the worker's own reference data, cleared at logout.
(function () {
  "use strict";
  const app = document.getElementById("field-app");
  if (!app) return;
  const words = document.getElementById("t-words").dataset;
  const user = app.dataset.user;
  const DB = "fk-field-" + user;
  const csrf = () => (app.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("outbox", { keyPath: "uuid" });
        req.result.createObjectStore("aside", { keyPath: "uuid" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function tx(store, mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const t = db.transaction(store, mode);
      const result = fn(t.objectStore(store));
      t.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      t.onerror = () => { db.close(); reject(t.error); };
    });
  }
  const all = (store) => tx(store, "readonly", (s) => s.getAll());
  const put = (store, value) => tx(store, "readwrite", (s) => s.put(value));
  const del = (store, key) => tx(store, "readwrite", (s) => s.delete(key));

  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const say = (text) => { document.getElementById("send-message").textContent = text; };

  async function showCounts() {
    document.getElementById("unsent").textContent = String((await all("outbox")).length);
    const online = navigator.onLine;
    const badge = document.getElementById("network");
    badge.textContent = online ? words.online : words.offline;
    badge.className = "badge " + (online ? "text-bg-success" : "text-bg-warning");
  }

  async function queue(kind, payload, baseVersion) {
    const record = { uuid: newUuid(), kind, payload, base_version: baseVersion, made_at: new Date().toISOString() };
    await put("outbox", record);
    await showCounts();
    say(words.saved);
    if (navigator.onLine) sendAll();
  }

  let sending = false;
  async function sendAll() {
    if (sending) return;
    sending = true;
    try {
      for (const record of await all("outbox")) {
        let response;
        try {
          response = await fetch(app.dataset.submit, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
            body: JSON.stringify({ uuid: record.uuid, kind: record.kind, payload: record.payload, base_version: record.base_version }),
          });
        } catch (e) {
          break; // still offline: keep everything for later
        }
        if (response.status === 200 || response.status === 201) {
          await del("outbox", record.uuid);
          addSent(record);
        } else if (response.status === 409 || response.status === 400 || response.status === 404) {
          const answer = await response.json().catch(() => ({}));
          await del("outbox", record.uuid);
          await put("aside", { ...record, status: response.status, answer });
        } else {
          break; // a server error or a lost session: try again later
        }
      }
    } finally {
      sending = false;
      await showCounts();
      await showAside();
    }
  }

  function addSent(record) {
    const li = document.createElement("li");
    li.className = "list-group-item";
    const p = record.payload;
    li.textContent = `${words.sent}: ${record.kind === "disinfection" ? `${p.place_name || ""} ${p.area_m2} m²` : p.note || record.kind}`;
    document.getElementById("sent").prepend(li);
  }

  function describe(obj) {
    return Object.entries(obj || {})
      .filter(([k]) => !["place", "task", "item", "campaign", "household"].includes(k))
      .map(([k, v]) => `${k}: ${v === null ? "—" : v}`)
      .join("; ");
  }

  async function showAside() {
    const box = document.getElementById("conflicts");
    box.replaceChildren();
    for (const record of await all("aside")) {
      const card = document.createElement("div");
      card.className = "card mb-2";
      card.dataset.testid = "conflict";
      const body = document.createElement("div");
      body.className = "card-body";
      const title = document.createElement("p");
      title.className = "fw-bold mb-1";
      title.textContent = record.status === 409 ? words.conflict : words.rejected;
      body.append(title);
      if (record.status === 409) {
        for (const [label, value] of [[words.server, record.answer.server], [words.device, record.payload]]) {
          const line = document.createElement("p");
          line.className = "mb-1 small";
          line.textContent = `${label}: ${describe(value)}`;
          body.append(line);
        }
        const keep = document.createElement("button");
        keep.type = "button";
        keep.className = "btn btn-outline-danger me-2";
        keep.textContent = words.keep;
        keep.addEventListener("click", async () => {
          await del("aside", record.uuid);
          await queue(record.kind, record.payload, record.answer.server_version);
        });
        body.append(keep);
      } else {
        const why = document.createElement("p");
        why.className = "mb-1 small";
        why.textContent = JSON.stringify(record.answer.detail || "");
        body.append(why);
      }
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-outline-secondary";
      drop.textContent = words.discard;
      drop.addEventListener("click", async () => { await del("aside", record.uuid); await showAside(); });
      body.append(drop);
      card.append(body);
      box.append(card);
    }
  }

  async function loadReference() {
    let data;
    try {
      const response = await fetch(app.dataset.reference, { credentials: "same-origin" });
      if (!response.ok) return;
      data = await response.json();
    } catch (e) {
      return;
    }
    if (data.user !== user) return;
    const select = document.getElementById("f-place");
    select.replaceChildren();
    for (const place of data.places) {
      const option = document.createElement("option");
      option.value = place.uuid;
      option.textContent = `${place.name} · ${place.unit}`;
      select.append(option);
    }
    if (!data.places.length) {
      const option = document.createElement("option");
      option.value = "";
      option.textContent = words.none;
      select.append(option);
    }
    const list = document.getElementById("tasks");
    list.replaceChildren();
    for (const task of data.tasks.filter((t) => t.kind !== "disinfection")) {
      const li = document.createElement("li");
      li.className = "list-group-item";
      const label = document.createElement("label");
      label.className = "form-label";
      label.textContent = `${task.kind_label}: ${task.title}`;
      const input = document.createElement("input");
      input.className = "form-control mb-2";
      input.placeholder = words.note;
      label.htmlFor = input.id = "task-" + task.uuid;
      const done = document.createElement("button");
      done.type = "button";
      done.className = "btn btn-danger";
      done.textContent = words.done;
      done.addEventListener("click", async () => {
        await queue("task_done", { task: task.uuid, note: input.value || words.done }, task.version);
        li.remove();
      });
      li.append(label, input, done);
      list.append(li);
    }
  }

  document.getElementById("disinfection-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const place = form.place.value;
    const area = parseInt(form.area_m2.value, 10);
    if (!place || !(area > 0) || !form.agent.value.trim() || !form.concentration.value.trim()) {
      say(words.invalid);
      return;
    }
    const placeName = form.place.selectedOptions[0] ? form.place.selectedOptions[0].textContent : "";
    const payload = {
      place, place_name: placeName, area_m2: area, agent: form.agent.value.trim(),
      concentration: form.concentration.value.trim(), note: form.note.value.trim(), done_at: new Date().toISOString(),
    };
    form.area_m2.value = ""; // cleared before saving, so the next record typed meanwhile is not wiped
    form.note.value = "";
    await queue("disinfection", payload, null);
  });
  document.getElementById("send-now").addEventListener("click", sendAll);
  window.addEventListener("online", () => { showCounts(); sendAll(); });
  window.addEventListener("offline", showCounts);

  // Logging out on this page also clears what it keeps (the server's Clear-Site-Data does it for every page).
  document.querySelectorAll("form[action$='/accounts/logout/']").forEach((form) => {
    form.addEventListener("submit", () => {
      indexedDB.deleteDatabase(DB);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "clear" });
      }
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.sw, { scope: "/field/" }).catch(() => {});
  }
  showCounts();
  showAside();
  loadReference().then(() => { if (navigator.onLine) sendAll(); });
})();
