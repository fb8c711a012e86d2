// privacykg query UI: no framework, no CDN. Talks to /sparql, /api/queries and /api/graph.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { library: [], current: null };
  const COLORS = { notice: "#243447", controller: "#d9534f", process: "#5b8def", purpose: "#f0ad4e",
                   data: "#5cb85c", recipient: "#9b59b6", country: "#17a2b8", basis: "#aaaaaa" };

  function text(el, s) { el.textContent = s; return el; }
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    for (const k of kids) el.append(k);
    return el;
  }

  async function loadLibrary() {
    const res = await fetch("/api/queries");
    state.library = await res.json();
    const ul = $("examples");
    for (const q of state.library) {
      const b = h("button", { type: "button", "data-id": q.id }, `${q.id}: ${q.question}`);
      b.addEventListener("click", () => choose(q));
      ul.append(h("li", {}, b));
    }
  }

  function choose(q) {
    state.current = q;
    text($("question"), `${q.id}: ${q.question}`);
    $("query").value = q.query;
    const box = $("params");
    box.replaceChildren();
    for (const p of q.params) {
      const input = h("input", { name: p.name, value: p.default && p.default !== "none" ? p.default : "",
                                 placeholder: p.type, title: p.description });
      box.append(h("label", {}, `${p.name} (${p.description}) `, input), h("br"));
    }
  }

  // Parameters are bound with VALUES, the standard way, never pasted into the query's text.
  function boundQuery() {
    let q = $("query").value;
    const inputs = Array.from($("params").querySelectorAll("input")).filter((i) => i.value.trim());
    if (!inputs.length) return q;
    const terms = [];
    for (const i of inputs) {
      const p = (state.current.params || []).find((x) => x.name === i.name) || { type: "string" };
      const v = i.value.trim();
      let term;
      if (p.type === "iri") {
        if (/^<[^<>"{}|^`\\\s]*>$/.test(v)) term = v;
        else if (/^[A-Za-z][\w-]*:[\w\-.]*$/.test(v)) term = v;   // a CURIE: the query declares its prefix
        else throw new Error(`${i.name}: not an IRI or CURIE: ${v}`);
      } else if (p.type === "date") {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(`${i.name}: not a date: ${v}`);
        term = `"${v}"^^<http://www.w3.org/2001/XMLSchema#date>`;
      } else if (p.type === "integer") {
        if (!/^-?\d+$/.test(v)) throw new Error(`${i.name}: not an integer: ${v}`);
        term = v;
      } else {
        term = JSON.stringify(v);  // a string literal with every quote and backslash escaped
      }
      terms.push([i.name, term]);
    }
    const values = `VALUES (${terms.map((t) => "?" + t[0]).join(" ")}) { (${terms.map((t) => t[1]).join(" ")}) }`;
    // insert the VALUES block at the start of the outermost WHERE group
    const m = /WHERE\s*\{/i.exec(q);
    if (!m) return q;
    const at = m.index + m[0].length;
    return q.slice(0, at) + "\n  " + values + "\n" + q.slice(at);
  }

  async function run() {
    let q;
    try { q = boundQuery(); } catch (e) { showError(e.message); return; }
    text($("status"), "running…");
    const body = new URLSearchParams({ query: q });
    const res = await fetch("/sparql", { method: "POST", body,
      headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" } });
    const ctype = res.headers.get("content-type") || "";
    if (!res.ok) { showError(`${res.status}: ${await res.text()}`); text($("status"), ""); return; }
    if (ctype.includes("json")) {
      const data = await res.json();
      renderTable(data);
      const n = data.results ? data.results.bindings.length : 1;
      text($("status"), `${n} row${n === 1 ? "" : "s"}`);
    } else {
      $("results").replaceChildren(h("pre", {}, await res.text()));
      text($("status"), "done");
    }
  }

  function showError(msg) { $("results").replaceChildren(h("p", { class: "error" }, msg)); }

  function cell(b) {
    if (!b) return "";
    if (b.type === "uri") {
      const a = h("a", { href: "/resource?iri=" + encodeURIComponent(b.value) }, b.value);
      if (b.value.startsWith(location.origin)) a.href = b.value.slice(location.origin.length);
      return a;
    }
    return b.value;
  }

  function renderTable(data) {
    if ("boolean" in data) { $("results").replaceChildren(h("p", {}, String(data.boolean))); return; }
    const vars = data.head.vars;
    const table = h("table", { id: "results-table" }, h("tr", {}, ...vars.map((v) => h("th", {}, v))));
    for (const row of data.results.bindings) table.append(h("tr", {}, ...vars.map((v) => h("td", {}, cell(row[v])))));
    $("results").replaceChildren(table);
  }

  function download(fmt) {
    let q;
    try { q = boundQuery(); } catch (e) { showError(e.message); return; }
    const url = "/sparql?" + new URLSearchParams({ query: q, format: fmt });
    window.open(url, "_blank");
  }

  async function loadPolicies() {
    const q = "PREFIX dpv: <https://w3id.org/dpv#>\nPREFIX dct: <http://purl.org/dc/terms/>\n" +
      "SELECT ?n ?t WHERE { ?n a dpv:PrivacyNotice ; dct:title ?t } ORDER BY ?t";
    const res = await fetch("/sparql?" + new URLSearchParams({ query: q }), { headers: { Accept: "application/sparql-results+json" } });
    const data = await res.json();
    const sel = $("policy-select");
    for (const b of data.results.bindings) sel.append(h("option", { value: b.n.value }, b.t.value));
    const wanted = new URLSearchParams(location.search).get("policy");
    if (wanted) sel.value = wanted;
    sel.addEventListener("change", () => drawGraph(sel.value));
    if (sel.value) drawGraph(sel.value);
  }

  async function drawGraph(iri) {
    const res = await fetch("/api/graph?" + new URLSearchParams({ policy: iri }));
    if (!res.ok) return;
    const g = await res.json();
    const svg = $("graph-svg");
    const W = +svg.getAttribute("width"), H = +svg.getAttribute("height");
    const nodes = g.nodes.map((n, i) => Object.assign({}, n, {
      x: W / 2 + 300 * Math.cos(i), y: H / 2 + 250 * Math.sin(i * 1.7), vx: 0, vy: 0 }));
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    const links = g.links.filter((l) => byId[l.source] && byId[l.target]);
    // a small force layout: repulsion, springs, gravity
    for (let step = 0; step < 300; step++) {
      for (const a of nodes) for (const b of nodes) {
        if (a === b) continue;
        let dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        const f = 1800 / d2; a.vx += dx * f; a.vy += dy * f;
      }
      for (const l of links) {
        const a = byId[l.source], b = byId[l.target];
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01, f = (d - 90) * 0.01;
        a.vx += dx / d * f * 10; a.vy += dy / d * f * 10; b.vx -= dx / d * f * 10; b.vy -= dy / d * f * 10;
      }
      for (const n of nodes) {
        n.vx += (W / 2 - n.x) * 0.004; n.vy += (H / 2 - n.y) * 0.004;
        n.x += Math.max(-20, Math.min(20, n.vx)); n.y += Math.max(-20, Math.min(20, n.vy));
        n.vx *= 0.5; n.vy *= 0.5;
        n.x = Math.max(20, Math.min(W - 20, n.x)); n.y = Math.max(20, Math.min(H - 20, n.y));
      }
    }
    const NS = "http://www.w3.org/2000/svg";
    svg.replaceChildren();
    for (const l of links) {
      const a = byId[l.source], b = byId[l.target];
      const line = document.createElementNS(NS, "line");
      Object.entries({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "#bbb" }).forEach(([k, v]) => line.setAttribute(k, v));
      const t = document.createElementNS(NS, "title"); t.textContent = l.label; line.append(t);
      svg.append(line);
    }
    for (const n of nodes) {
      const grp = document.createElementNS(NS, "a");
      grp.setAttribute("href", n.id.startsWith(location.origin) ? n.id.slice(location.origin.length)
                                                                  : "/resource?iri=" + encodeURIComponent(n.id));
      grp.setAttribute("class", "graph-node");
      const c = document.createElementNS(NS, "circle");
      Object.entries({ cx: n.x, cy: n.y, r: n.kind === "notice" ? 12 : 8, fill: COLORS[n.kind] || "#888" })
        .forEach(([k, v]) => c.setAttribute(k, v));
      const label = document.createElementNS(NS, "text");
      Object.entries({ x: n.x + 10, y: n.y + 4, "font-size": 10 }).forEach(([k, v]) => label.setAttribute(k, v));
      label.textContent = n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label;
      const t = document.createElementNS(NS, "title"); t.textContent = `${n.kind}: ${n.label}`;
      grp.append(c, label, t);
      svg.append(grp);
    }
  }

  $("run").addEventListener("click", run);
  for (const a of document.querySelectorAll("#downloads a")) a.addEventListener("click", () => download(a.dataset.fmt));
  $("endpoint").textContent = location.origin + "/sparql";
  loadLibrary().catch((e) => showError(String(e)));
  loadPolicies().catch((e) => showError(String(e)));
})();
