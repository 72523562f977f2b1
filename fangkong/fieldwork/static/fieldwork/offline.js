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
  const labels = JSON.parse((document.getElementById("field-labels") || {}).textContent || "{}");
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
    let sent = 0;
    try {
      // In the order they were recorded: a pool's samples before the pool is closed by hand.
      const records = (await all("outbox")).sort((a, b) => (a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0));
      for (const record of records) {
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
          sent += 1;
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
    if (sent) await loadReference(); // what is still to do, as the server now sees it
  }

  function addSent(record) {
    const li = document.createElement("li");
    li.className = "list-group-item";
    const p = record.payload;
    li.textContent = `${words.sent}: ${record.kind === "disinfection" ? `${p.place_name || ""} ${p.area_m2} m²` : p.label || p.note || record.kind}`;
    document.getElementById("sent").prepend(li);
  }

  // Codes shown by their names (outcomes, symptoms, measures), learnt from the reference data.
  const names = {};
  function show(v) {
    if (v === null || v === "") return "—";
    if (Array.isArray(v)) return v.map((x) => names[x] || x).join("、") || "—";
    if (v === true || v === false) return v ? "✓" : "✗";
    return names[v] || v;
  }
  function describe(obj) {
    return Object.entries(obj || {})
      .filter(([k]) => !["place", "task", "item", "campaign", "household", "order", "version", "label", "photo", "place_name", "travellers", "checkpoint", "point", "round"].includes(k))
      .map(([k, v]) => `${labels[k] || k}: ${show(v)}`)
      .join("; ");
  }

  // The server's reasons in words: {"travellers.0.temperature": ["…"]} → "Temperature (°C): …".
  function reasons(detail) {
    if (!detail) return "";
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map(reasons).join(" ");
    return Object.entries(detail).map(([k, v]) => {
      const key = k.split(".").pop();
      const label = key === "__all__" ? "" : `${labels[key] || words[camel(key)] || key}: `;
      return label + [].concat(v).join(" ");
    }).join("; ");
  }
  const camel = (k) => k.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());

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
        why.textContent = `${record.payload.label || ""} — ${reasons(record.answer.detail)}`;
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


  // What an unsent record is about, so a reload does not offer the same person or item again.
  function pendingKey(record) {
    const p = record.payload || {};
    if (record.kind === "follow_up") return "follow_up:" + p.order;
    if (record.kind === "push_verification") return "push:" + p.item;
    if (record.kind === "household_visit") return `visit:${p.campaign}:${p.household}`;
    return "";
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else if (k in node && k !== "list") node[k] = v;
      else node.setAttribute(k, v);
    });
    node.append(...children);
    return node;
  }

  function markSaved(card) {
    card.querySelectorAll("input, select, button").forEach((x) => { x.disabled = true; });
    card.append(el("p", { className: "small text-success mb-0 mt-2", text: words.pending }));
  }

  function showFollowUps(data, pending) {
    const box = document.getElementById("follow-ups");
    box.replaceChildren();
    const rows = data.follow_ups || [];
    document.getElementById("follow-ups-box").hidden = !rows.length;
    const symptoms = (data.choices && data.choices.symptoms) || [];
    for (const row of rows) {
      const id = "fu-" + row.order;
      const card = el("div", { className: "card mb-2", "data-testid": "follow-up" });
      const body = el("div", { className: "card-body" });
      body.append(el("h3", { className: "h6 d-flex justify-content-between" },
        el("span", { text: row.name }),
        el("span", { className: "badge " + (row.done < row.asked ? "text-bg-danger" : "text-bg-success"), text: `${row.done}/${row.asked}` })));
      body.append(el("p", { className: "small text-muted mb-2", text: row.home_isolation ? words.homeIsolation : words.monitoring }));
      const temp = el("input", { className: "form-control form-control-lg", id: id + "-t", inputMode: "decimal", value: "36.5" });
      const symptomBoxes = symptoms.map(([code, label]) => {
        const box = el("input", { className: "form-check-input", type: "checkbox", id: `${id}-s-${code}`, value: code });
        return el("div", { className: "form-check form-check-inline py-1" }, box,
          el("label", { className: "form-check-label", htmlFor: box.id, text: label }));
      });
      const home = el("input", { className: "form-check-input", type: "checkbox", id: id + "-home", checked: true });
      const save = el("button", { type: "button", className: "btn btn-primary btn-lg w-100", text: words.record });
      body.append(
        el("div", { className: "row g-2 align-items-end" },
          el("div", { className: "col-6" }, el("label", { className: "form-label", htmlFor: temp.id, text: `${words.temperature} · ${row.name}` }), temp),
          el("div", { className: "col-6" }, save)),
        el("details", { className: "mt-2" }, el("summary", { text: words.symptoms }), ...symptomBoxes),
        el("div", { className: "form-check mt-1" }, home, el("label", { className: "form-check-label", htmlFor: home.id, text: words.atHome })));
      save.addEventListener("click", async () => {
        const value = parseFloat(temp.value.replace(",", "."));
        if (!(value >= 34 && value <= 43)) { say(words.badTemperature); temp.focus(); return; }
        const chosen = symptomBoxes.map((d) => d.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
        markSaved(card);
        await queue("follow_up", {
          order: row.order, label: `${row.name} ${temp.value}°C`, temperature: temp.value.trim(), symptoms: chosen,
          at_home: home.checked, note: "", recorded_at: new Date().toISOString(),
        }, row.version);
      });
      card.append(body);
      box.append(card);
      if (pending.has("follow_up:" + row.order)) markSaved(card);
    }
  }

  function showPushItems(data, pending) {
    const box = document.getElementById("push-items");
    box.replaceChildren();
    const rows = data.push_items || [];
    document.getElementById("push-items-box").hidden = !rows.length;
    const outcomes = (data.choices && data.choices.outcomes) || [];
    const measures = (data.choices && data.choices.measures) || [];
    for (const row of rows) {
      const id = "pi-" + row.item;
      const card = el("div", { className: "card mb-2", "data-testid": "push-item" });
      const body = el("div", { className: "card-body" });
      body.append(el("h3", { className: "h6" }, el("span", { text: row.name + " " }), el("span", { className: "fk-masked small fw-normal", text: row.masked_id })));
      body.append(el("p", { className: "small text-muted mb-2", text: `${row.origin || ""} ${row.address || ""} · ${words.verifyBy} ${row.deadline_at.slice(0, 16).replace("T", " ")}` }));
      const measure = el("select", { className: "form-select form-select-lg", id: id + "-m" }, el("option", { value: "", text: "—" }),
        ...measures.map(([code, name]) => el("option", { value: code, text: name })));
      const note = el("input", { className: "form-control form-control-lg", id: id + "-n", maxLength: 500 });
      body.append(
        el("div", { className: "mb-2" }, el("label", { className: "form-label", htmlFor: measure.id, text: words.measure }), measure),
        el("div", { className: "mb-2" }, el("label", { className: "form-label", htmlFor: note.id, text: `${words.outcomeNote} · ${row.name}` }), note));
      const buttons = el("div", { className: "d-grid gap-2", role: "group" });
      for (const [code, label, needsMeasure, needsNote] of outcomes) {
        const button = el("button", { type: "button", className: "btn btn-lg py-3 " + (code === "new_found" ? "btn-danger" : "btn-outline-dark"), text: label });
        button.addEventListener("click", async () => {
          if (needsMeasure && !measure.value) { say(words.needsMeasure); measure.focus(); return; }
          if (needsNote && !note.value.trim()) { say(words.needsNote); note.focus(); return; }
          markSaved(card);
          await queue("push_verification", {
            item: row.item, label: `${row.name} · ${label}`, outcome: code, note: note.value.trim(), measure_code: measure.value,
          }, row.version);
        });
        buttons.append(button);
      }
      body.append(buttons);
      card.append(body);
      box.append(card);
      if (pending.has("push:" + row.item)) markSaved(card);
    }
  }

  let campaigns = [];
  function showVisits(data, pending) {
    campaigns = data.campaigns || [];
    const form = document.getElementById("visit-form");
    form.hidden = !campaigns.some((c) => c.households.length);
    const select = document.getElementById("v-campaign");
    select.replaceChildren(...campaigns.map((c) => el("option", { value: c.campaign, text: c.name })));
    fillHouseholds(pending);
  }
  function fillHouseholds(pending) {
    const campaign = campaigns.find((c) => c.campaign === document.getElementById("v-campaign").value);
    const select = document.getElementById("v-household");
    select.replaceChildren(el("option", { value: "", text: "—" }));
    for (const h of (campaign ? campaign.households : [])) {
      const waiting = pending && pending.has(`visit:${campaign.campaign}:${h.household}`);
      const mark = waiting ? ` (${words.pending})` : h.visited ? ` (${words.visited})` : "";
      select.append(el("option", { value: h.household, text: `${h.number} · ${h.address}${mark}` }));
    }
  }
  document.getElementById("v-campaign").addEventListener("change", async () => {
    fillHouseholds(new Set((await all("outbox")).map(pendingKey)));
  });
  document.getElementById("visit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const campaign = campaigns.find((c) => c.campaign === form.campaign.value);
    const household = campaign && campaign.households.find((h) => h.household === form.household.value);
    if (!household) { say(words.noHousehold); return; }
    const payload = {
      campaign: campaign.campaign, household: household.household, label: `${household.number} · ${household.address}`,
      people_present: parseInt(form.people_present.value, 10) || 0, returnees_found: parseInt(form.returnees_found.value, 10) || 0,
      note: form.note.value.trim(), visited_at: new Date().toISOString(),
    };
    form.note.value = "";
    form.household.selectedOptions[0].textContent += ` (${words.pending})`;
    form.household.value = "";
    await queue("household_visit", payload, household.version);
  });

  // 查验登记 offline: a person, or a vehicle with its people. The phone checks what it can (the temperature rule,
  // red codes, what registering with the grid needs); the server checks everything again when it is sent.
  let checkpointData = {};
  const options = (select, rows, blank) => {
    select.replaceChildren(...(blank ? [el("option", { value: "", text: "—" })] : []),
      ...rows.map(([value, label]) => el("option", { value, text: label })));
  };
  function travellerBox(index) {
    const d = checkpointData;
    const id = (name) => `c-t${index}-${name}`;
    const field = (name, label, input) => {
      input.id = id(name);
      input.name = name;
      return el("div", { className: "mb-2" }, el("label", { className: "form-label", htmlFor: input.id, text: label }), input);
    };
    const check = (name, label, checked) => {
      const box = el("input", { className: "form-check-input", type: "checkbox", id: id(name), name, checked });
      return el("div", { className: "form-check form-check-inline py-1" }, box, el("label", { className: "form-check-label", htmlFor: box.id, text: label }));
    };
    const select = (rows) => { const x = el("select", { className: "form-select form-select-lg" }); options(x, rows); return x; };
    const text = (attrs) => el("input", { className: "form-control form-control-lg", autocomplete: "off", ...attrs });
    const box = el("fieldset", { className: "border rounded p-2 mb-2", "data-testid": "traveller" });
    box.append(el("legend", { className: "fs-6 mb-1", text: `${words.person} ${index + 1}` }));
    const code = select((d.colours || []).map(([c, name]) => [c, name]));
    if ((d.colours || []).some(([c]) => c === "green")) code.value = "green";
    const vaccination = select(d.vaccinations || []);
    vaccination.value = "full";
    const disposition = select(d.dispositions || []);
    box.append(
      field("document_number", words.document, text({ maxLength: 40 })),
      el("div", { className: "row g-2" },
        el("div", { className: "col-6" }, field("name", words.name, text({ maxLength: 100 }))),
        el("div", { className: "col-6" }, field("phone", words.phone, text({ type: "tel", maxLength: 20 })))),
      el("div", { className: "row g-2" },
        el("div", { className: "col-6" }, field("health_code", words.healthCode, code)),
        el("div", { className: "col-6" }, field("vaccination", words.vaccination, vaccination))),
      el("div", { className: "row g-2" },
        el("div", { className: "col-6" }, field("temperature", words.temperature, text({ inputMode: "decimal", maxLength: 5 }))),
        el("div", { className: "col-6" }, field("temperature_again", words.temperatureAgain, text({ inputMode: "decimal", maxLength: 5 })))),
      check("wears_mask", words.mask, true), check("trip_star", words.tripStar, false), check("is_driver", words.driver, false),
      field("trip_cities", words.tripCities, text({ maxLength: 200 })),
      field("disposition", words.disposition, disposition),
      field("clinic", words.clinic, text({ maxLength: 100 })));
    return box;
  }
  function showCrossing(data) {
    checkpointData = data;
    const form = document.getElementById("crossing-form");
    form.hidden = !(data.checkpoints || []).length;
    if (form.hidden) return;
    const keep = form.checkpoint.value;
    options(form.checkpoint, data.checkpoints.map((c) => [c.uuid, c.name]));
    if (keep && data.checkpoints.some((c) => c.uuid === keep)) form.checkpoint.value = keep;
    if (!form.kind.options.length) {
      options(form.kind, data.kinds || []);
      options(form.destination_region, data.villages || [], true);
      resetTravellers();
    }
  }
  function resetTravellers() {
    document.getElementById("c-travellers").replaceChildren(travellerBox(0));
  }
  document.getElementById("c-add").addEventListener("click", () => {
    const box = document.getElementById("c-travellers");
    document.getElementById("c-kind").value = "vehicle";
    box.append(travellerBox(box.children.length));
  });
  function readTraveller(box) {
    const v = (name) => box.querySelector(`[name=${name}]`);
    return {
      name: v("name").value.trim(), document_number: v("document_number").value.trim().toUpperCase(),
      phone: v("phone").value.trim(), health_code: v("health_code").value, vaccination: v("vaccination").value,
      temperature: v("temperature").value.trim().replace(",", "."), temperature_again: v("temperature_again").value.trim().replace(",", "."),
      wears_mask: v("wears_mask").checked, trip_star: v("trip_star").checked, is_driver: v("is_driver").checked,
      trip_cities: v("trip_cities").value.trim(), disposition: v("disposition").value, clinic: v("clinic").value.trim(),
    };
  }
  // The phone's own check of one traveller (the server's rules, checkpoints/actions.py check_traveller).
  function travellerProblem(t, village) {
    const fever = parseFloat(checkpointData.fever_from || "37.3");
    const severity = Object.fromEntries((checkpointData.colours || []).map(([c, , s]) => [c, s]));
    if (!t.document_number && !(t.name && t.phone)) return words.needIdentity;
    const first = parseFloat(t.temperature);
    if (!(first >= 34 && first <= 43)) return words.badTemperature;
    if (first >= fever) {
      const again = parseFloat(t.temperature_again);
      if (!(again >= 34 && again <= 43)) return words.remeasure;
      if (again >= fever && t.disposition !== "refer") return words.feverRefer;
    }
    if ((severity[t.health_code] || 0) >= 2 && ["pass", "register"].includes(t.disposition)) return words.redCode;
    if (t.disposition === "register" && !(t.document_number && village)) return words.needVillage;
    return "";
  }
  document.getElementById("crossing-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const kind = form.kind.value;
    if (!form.origin.value.trim()) { say(words.needOrigin); form.origin.focus(); return; }
    if (kind === "vehicle" && !form.plate.value.trim()) { say(words.needPlate); form.plate.focus(); return; }
    const boxes = [...document.getElementById("c-travellers").children];
    const travellers = boxes.map(readTraveller);
    for (const [i, t] of travellers.entries()) {
      const problem = travellerProblem(t, form.destination_region.value);
      if (problem) { say(`${words.person} ${i + 1}: ${problem}`); boxes[i].querySelector("input").focus(); return; }
    }
    const name = form.checkpoint.selectedOptions[0] ? form.checkpoint.selectedOptions[0].textContent : "";
    const payload = {
      checkpoint: form.checkpoint.value, kind: kind === "vehicle" || travellers.length > 1 ? "vehicle" : "person",
      plate: form.plate.value.trim().toUpperCase(), origin: form.origin.value.trim(), destination: form.destination.value.trim(),
      destination_region: form.destination_region.value, travellers, recorded_at: new Date().toISOString(),
      label: `${name} · ${form.origin.value.trim()} · ${travellers.length}`,
    };
    form.plate.value = "";
    form.origin.value = "";
    form.destination.value = "";
    form.kind.value = "person";
    resetTravellers();
    await queue("checkpoint_crossing", payload, null);
  });

  // 采样 offline: scan the tube, then each person's ID number; a pool fills on this phone and closes by itself on
  // the server when full, or by hand ("close this tube").
  const tubeCounts = new Map(); // barcode → samples recorded on this phone since the page opened
  function showSampling(data) {
    const form = document.getElementById("sample-form");
    form.hidden = !(data.points || []).length;
    if (form.hidden) return;
    const keep = { point: form.point.value, round: form.round.value };
    options(form.point, data.points.map((p) => [p.uuid, p.name]));
    options(form.round, (data.rounds || []).map((r) => [r.uuid, r.name]), true);
    options(form.key_group, data.key_groups || [], true);
    if (!form.purpose.options.length) {
      options(form.purpose, data.purposes || []);
      options(form.capacity, (data.capacities || [1]).map((n) => [String(n), n === 1 ? "1" : `${n} 合 1`]));
      form.capacity.value = (data.capacities || []).includes(10) ? "10" : String((data.capacities || [1])[0]);
    }
    if (keep.point) form.point.value = keep.point;
    if (keep.round) form.round.value = keep.round;
    if (!form.round.value && data.rounds && data.rounds.length === 1) form.round.value = data.rounds[0].uuid;
    showPurpose();
  }
  function showPurpose() {
    const group = document.getElementById("s-purpose").value === "key_group";
    document.getElementById("s-group-box").hidden = !group;
    document.getElementById("s-round-box").hidden = group;
  }
  document.getElementById("s-purpose").addEventListener("change", showPurpose);
  // The resident ID number's own check (GB 11643: 17 digits and an ISO 7064 MOD 11-2 check character).
  function validId(value) {
    if (!/^\d{17}[\dX]$/.test(value)) return false;
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
    return "10X98765432"[sum % 11] === value[17];
  }
  function showTube() {
    const form = document.getElementById("sample-form");
    const barcode = form.barcode.value.trim();
    document.getElementById("s-tube").textContent = barcode ? `${words.inTube} ${barcode}: ${tubeCounts.get(barcode) || 0}/${form.capacity.value}` : "";
  }
  document.getElementById("s-barcode").addEventListener("input", showTube);
  document.getElementById("sample-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const barcode = form.barcode.value.trim();
    const id = form.id_number.value.trim().toUpperCase();
    if (!/^[A-Za-z0-9-]{4,40}$/.test(barcode)) { say(words.badBarcode); form.barcode.focus(); return; }
    if (!validId(id)) { say(words.badId); form.id_number.focus(); return; }
    const group = form.purpose.value === "key_group";
    if (group ? !form.key_group.value : !form.round.value) { say(words.needRound); return; }
    const capacity = parseInt(form.capacity.value, 10);
    const payload = {
      point: form.point.value, barcode, id_number: id, capacity, purpose: form.purpose.value,
      round: group ? "" : form.round.value, key_group: group ? form.key_group.value : "",
      desk: parseInt(form.desk.value, 10) || 1, sampled_at: new Date().toISOString(),
      label: `${barcode} · ${id.slice(0, 6)}********${id.slice(14)}`,
    };
    const count = (tubeCounts.get(barcode) || 0) + 1;
    tubeCounts.set(barcode, count);
    form.id_number.value = "";
    showTube();
    await queue("sample", payload, null);
    if (count >= capacity) {
      form.barcode.value = "";
      showTube();
      say(words.tubeFull);
      form.barcode.focus();
    } else {
      form.id_number.focus();
    }
  });
  document.getElementById("s-close").addEventListener("click", async () => {
    const form = document.getElementById("sample-form");
    const barcode = form.barcode.value.trim();
    if (!barcode || !tubeCounts.get(barcode)) { say(words.noTube); form.barcode.focus(); return; }
    form.barcode.value = "";
    showTube();
    await queue("tube_close", { point: form.point.value, barcode, closed_at: new Date().toISOString(), label: barcode }, null);
    say(words.tubeClosed);
    form.barcode.focus();
  });

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
    const places = data.places.map((place) => [place.uuid, `${place.name} · ${place.unit}`]);
    options(document.getElementById("f-place"), places.length ? places : [["", words.none]]);
    document.getElementById("disinfection-form").hidden = data.records_disinfections === false;
    document.getElementById("tasks-box").hidden = data.does_tasks === false && !data.tasks.length;
    const choices = data.choices || {};
    for (const [code, label] of [...(choices.symptoms || []), ...(choices.outcomes || []), ...(choices.measures || [])]) {
      names[code] = label;
    }
    const pending = new Set((await all("outbox")).map(pendingKey));
    showFollowUps(data, pending);
    showPushItems(data, pending);
    showVisits(data, pending);
    showCrossing(data.checkpoint || {});
    showSampling(data.testing || {});
    const list = document.getElementById("tasks");
    // A refresh (after a send) must not wipe a note the worker is typing: keep what each task's input holds.
    // Nor move the worker's cursor: the field that had the focus has it again, with the same selection.
    const typed = new Map([...list.querySelectorAll("input")].map((i) => [i.id, i.value]));
    const active = list.contains(document.activeElement) ? document.activeElement : null;
    const caret = active && active.type !== "file" ? [active.selectionStart, active.selectionEnd] : null;
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
      input.value = typed.get(input.id) || "";
      const done = document.createElement("button");
      done.type = "button";
      done.className = "btn btn-danger";
      done.textContent = words.done;
      const picture = document.createElement("input");
      picture.type = "file";
      picture.accept = "image/*";
      picture.setAttribute("capture", "environment");
      picture.className = "form-control mb-2";
      picture.id = "task-photo-" + task.uuid;
      const pictureLabel = el("label", { className: "form-label small", htmlFor: picture.id, text: words.photo });
      done.addEventListener("click", async () => {
        const photo = await photoOrSay(picture);
        if (photo === null) return;
        await queue("task_done", { task: task.uuid, label: task.title, note: input.value || words.done, photo }, task.version);
        li.remove();
      });
      li.append(label, input, pictureLabel, picture, done);
      list.append(li);
    }
    const again = active && active.id && document.getElementById(active.id);
    if (again) {
      again.focus();
      if (caret) again.setSelectionRange(caret[0], caret[1]);
    }
  }

  // A photo is scaled down on the phone (longest side 1600 px, JPEG) and kept with the record as a data URL; the
  // server checks and re-encodes it like any upload.
  async function photoData(input) {
    const file = input && input.files && input.files[0];
    if (!file) return "";
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    let quality = 0.8;
    let url = canvas.toDataURL("image/jpeg", quality);
    while (url.length > 1500000 && quality > 0.35) {
      quality -= 0.15;
      url = canvas.toDataURL("image/jpeg", quality);
    }
    return url;
  }
  async function photoOrSay(input) {
    try {
      return await photoData(input);
    } catch (e) {
      say(words.badPhoto);
      return null;
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
    const photo = await photoOrSay(form.photo);
    if (photo === null) return;
    const payload = {
      place, place_name: placeName, area_m2: area, agent: form.agent.value.trim(),
      concentration: form.concentration.value.trim(), note: form.note.value.trim(), done_at: new Date().toISOString(),
      photo,
    };
    form.area_m2.value = ""; // cleared before saving, so the next record typed meanwhile is not wiped
    form.note.value = "";
    form.photo.value = "";
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
  loadReference().then(() => { showAside(); if (navigator.onLine) sendAll(); });
})();
