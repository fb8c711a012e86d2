// privacykg query UI: no framework, no CDN. Talks to /sparql, /api/queries, /api/run and /api/graph;
// results.js draws the results table.
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
    for (const b of document.querySelectorAll("#examples button")) b.classList.toggle("chosen", b.dataset.id === q.id);
    paramsNote();
  }

  // A library query whose text is unchanged runs by id at /api/run: the server binds its parameters
  // as RDF terms of their declared types; nothing typed here is pasted into the query's text.
  // Anything else is a free-form query for /sparql, run as written.
  function libraryRun() { return !!state.current && $("query").value === state.current.query; }

  function paramValues() {
    const out = {};
    for (const i of $("params").querySelectorAll("input")) if (i.value.trim()) out[i.name] = i.value.trim();
    return out;
  }

  function paramsNote() {
    const edited = !!state.current && !libraryRun() && state.current.params.length > 0;
    for (const i of $("params").querySelectorAll("input")) i.disabled = edited;
    text($("params-note"), edited ? "The query was edited: it runs as written, without these parameters. " +
      `Choose ${state.current.id} again to use them.` : "");
  }

  function send(format, accept) {
    if (libraryRun()) {
      const body = { id: state.current.id, params: paramValues() };
      if (format) body.format = format;
      return fetch("/api/run", { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "Accept": accept } });
    }
    const body = new URLSearchParams({ query: $("query").value });
    if (format) body.set("format", format);
    return fetch("/sparql", { method: "POST", body, headers: { "Accept": accept } });
  }

  async function run() {
    text($("status"), "running…");
    let res;
    try {
      res = await send(null, "application/sparql-results+json, text/turtle;q=0.9");
    } catch (e) { showError(String(e)); text($("status"), ""); return; }
    const ctype = res.headers.get("content-type") || "";
    if (!res.ok) { showError(`${res.status}: ${await res.text()}`); text($("status"), ""); return; }
    if (ctype.includes("json")) {
      const data = await res.json();
      await window.PKGResults.render($("results"), data);
      const n = data.results ? data.results.bindings.length : 1;
      text($("status"), `${n} row${n === 1 ? "" : "s"}`);
    } else {
      $("results").replaceChildren(h("pre", {}, await res.text()));
      text($("status"), "done");
    }
  }

  function showError(msg) { $("results").replaceChildren(h("p", { class: "error" }, msg)); }

  const EXT = { json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl", ntriples: "nt", jsonld: "jsonld",
                rdfxml: "rdf" };

  async function download(fmt) {
    let res;
    try { res = await send(fmt, "*/*"); } catch (e) { showError(String(e)); return; }
    if (!res.ok) { showError(`${res.status}: ${await res.text()}`); return; }
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `${libraryRun() ? state.current.id : "query"}.${EXT[fmt] || fmt}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
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

  // Fruchterman-Reingold: every pair repels, links pull, the temperature caps each move and cools.
  // Deterministic: the notice in the middle, processes on a ring, their values around them.
  function layout(g, W, H) {
    const nodes = g.nodes.map((n) => Object.assign({}, n, { x: 0, y: 0, dx: 0, dy: 0 }));
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    const links = g.links.filter((l) => byId[l.source] && byId[l.target] && l.source !== l.target);
    const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.9;
    const procs = nodes.filter((n) => n.kind === "process");
    procs.forEach((n, i) => { const a = (2 * Math.PI * i) / procs.length; n.x = W / 2 + 0.3 * W * Math.cos(a); n.y = H / 2 + 0.3 * H * Math.sin(a); });
    const placed = new Set(procs.map((n) => n.id));
    nodes.forEach((n, i) => {
      if (n.kind === "notice") { n.x = W / 2; n.y = H / 2; placed.add(n.id); return; }
      if (placed.has(n.id)) return;
      const l = links.find((x) => x.target === n.id && placed.has(x.source));
      const c = l ? byId[l.source] : { x: W / 2, y: H / 2 };
      const a = i * 2.399963;  // the golden angle spreads siblings
      n.x = c.x + 0.45 * k * Math.cos(a); n.y = c.y + 0.45 * k * Math.sin(a);
    });
    let t = W / 8;
    const steps = 250;
    for (let step = 0; step < steps; step++) {
      for (const n of nodes) { n.dx = 0; n.dy = 0; }
      for (let i = 0; i < nodes.length; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < nodes.length; j++) {
          const b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          let d = Math.sqrt(dx * dx + dy * dy);
          if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.abs(dx) + 0.01; }
          const f = (k * k) / d;
          a.dx += (dx / d) * f; a.dy += (dy / d) * f; b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
        }
      }
      for (const l of links) {
        const a = byId[l.source], b = byId[l.target];
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        const f = (d * d) / k;
        a.dx -= (dx / d) * f; a.dy -= (dy / d) * f; b.dx += (dx / d) * f; b.dy += (dy / d) * f;
      }
      for (const n of nodes) {
        n.dx += (W / 2 - n.x) * 0.02 * k / 50; n.dy += (H / 2 - n.y) * 0.02 * k / 50;  // light gravity
        const d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) + 0.01;
        n.x += (n.dx / d) * Math.min(d, t); n.y += (n.dy / d) * Math.min(d, t);
      }
      t = Math.max(1, t * (1 - 1.5 / steps));
    }
    return { nodes, byId, links };
  }

  async function drawGraph(iri) {
    const res = await fetch("/api/graph?" + new URLSearchParams({ policy: iri }));
    if (!res.ok) return;
    const g = await res.json();
    const svg = $("graph-svg");
    const W = +svg.getAttribute("width"), H = +svg.getAttribute("height");
    const { nodes, byId, links } = layout(g, W, H);
    // fit the drawing, labels included, in the view
    const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
    const x0 = Math.min(...xs) - 20, y0 = Math.min(...ys) - 20;
    const x1 = Math.max(...xs) + 200, y1 = Math.max(...ys) + 20;
    svg.setAttribute("viewBox", `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
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
      grp.setAttribute("href", n.href || "/resource?iri=" + encodeURIComponent(n.id));
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
  $("query").addEventListener("input", paramsNote);
  for (const a of document.querySelectorAll("#downloads [data-fmt]")) a.addEventListener("click", () => download(a.dataset.fmt));
  $("endpoint").textContent = location.origin + "/sparql";
  loadLibrary().catch((e) => showError(String(e)));
  loadPolicies().catch((e) => showError(String(e)));
})();
