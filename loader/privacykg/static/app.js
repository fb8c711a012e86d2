// privacykg query UI: no framework, no CDN. Talks to /sparql, /api/queries, /api/run and /api/graph;
// results.js draws the results table; editor.js is the SPARQL editor over the #query textarea.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const editor = window.PKGEditor.create($("query"));
  const state = { library: [], current: null };

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
    editor.setValue(q.query);
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
  function libraryRun() { return !!state.current && editor.getValue() === state.current.query; }

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
    const body = new URLSearchParams({ query: editor.getValue() });
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
    if (!res.ok) {
      const msg = await res.text();
      showError(`${res.status}: ${msg}`);
      if (!libraryRun()) { editor.markError(msg); offerPrefix(msg); }
      text($("status"), "");
      return;
    }
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

  // For an unknown prefix the server names the PREFIX line to add: a button adds it.
  function offerPrefix(msg) {
    const m = /^PREFIX ([\w-]+): <[^>]+>$/m.exec(msg);
    if (!m) return;
    const b = h("button", { type: "button", class: "add-prefix" }, `Add PREFIX ${m[1]}:`);
    b.addEventListener("click", () => { editor.declare(m[1]); b.remove(); });
    $("results").append(b);
  }

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
    const { drawGraph } = window.privacykgGraph;  // static/graph.js
    sel.addEventListener("change", () => drawGraph(sel.value));
    if (sel.value) drawGraph(sel.value);
  }

  $("run").addEventListener("click", run);
  editor.onChange(paramsNote);
  for (const a of document.querySelectorAll("#downloads [data-fmt]")) a.addEventListener("click", () => download(a.dataset.fmt));
  $("endpoint").textContent = location.origin + "/sparql";
  loadLibrary().catch((e) => showError(String(e)));
  loadPolicies().catch((e) => showError(String(e)));
})();
