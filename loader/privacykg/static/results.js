// privacykg results table: SPARQL JSON results as a sortable, paged table. IRIs are written as
// prefixed names (the prefixes come from /api/prefixes, i.e. privacykg.namespaces) and link to
// their pages; long literals are cut short with the full text a click away. No framework, no CDN.
(function () {
  "use strict";
  const PAGE = 50;    // rows a page
  const CUT = 200;    // characters of a literal shown before "more"
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger)$/;
  let names = { prefixes: {}, base: "", vocabulary: "", minted_roots: [] };
  const loaded = fetch("/api/prefixes").then((r) => (r.ok ? r.json() : names)).then((j) => { names = j; })
    .catch(() => {});

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    for (const k of kids) el.append(k);
    return el;
  }

  // The longest namespace the IRI starts with wins (as namespaces.compact does).
  function compact(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(names.prefixes)) {
      if (iri.startsWith(ns) && (best === null || ns.length > names.prefixes[best].length)) best = p;
    }
    return best === null ? iri : `${best}:${iri.slice(names.prefixes[best].length)}`;
  }

  // Where the IRI's page is served: the same rule as pages_html.href on the server.
  function href(iri) {
    const base = names.base;
    if (names.vocabulary && iri.startsWith(names.vocabulary) && base + "ns#" === names.vocabulary) {
      return "/ns#" + encodeURIComponent(iri.slice(names.vocabulary.length));
    }
    const rest = base && iri.startsWith(base) ? iri.slice(base.length) : null;
    if (rest && !rest.includes("#") && !rest.includes("?") && names.minted_roots.includes(rest.split("/")[0])) {
      return "/" + rest.replace(/[^A-Za-z0-9\/\-._~!$&'()*+,;=:@%]/g, encodeURIComponent);
    }
    return "/resource?iri=" + encodeURIComponent(iri);
  }

  // The column holding a label for column v, if the results carry one (vLabel, v_label, vName).
  function labelColumns(vars) {
    const out = {};
    for (const v of vars) {
      const l = [`${v}Label`, `${v}_label`, `${v}label`, `${v}Name`].find((c) => vars.includes(c));
      if (l) out[v] = l;
    }
    return out;
  }

  function isNumber(b) { return !!b && b.type !== "uri" && (NUMERIC.test(b.datatype || "") || /^-?\d+(\.\d+)?$/.test(b.value)); }

  // What a cell shows (and sorts by): a label, a prefixed name, or the literal.
  function shown(b, label) {
    if (!b) return "";
    if (b.type === "uri") return label ? label.value : compact(b.value);
    if (b.type === "bnode") return "_:" + b.value;
    return b.value;
  }

  function literal(value) {
    if (value.length <= CUT) return value;
    const span = h("span", { class: "cut" }, value.slice(0, CUT) + "…");
    const more = h("button", { type: "button", class: "more", "aria-expanded": "false" }, "more");
    more.addEventListener("click", () => {
      const open = more.getAttribute("aria-expanded") === "true";
      span.textContent = open ? value.slice(0, CUT) + "…" : value;
      more.textContent = open ? "more" : "less";
      more.setAttribute("aria-expanded", String(!open));
    });
    return h("span", { class: "long" }, span, " ", more);
  }

  function cell(b, label) {
    if (!b) return h("td", {});
    if (b.type === "uri") {
      const name = compact(b.value);
      const title = name === b.value ? b.value : `${name} <${b.value}>`;
      return h("td", { class: "term" }, h("a", { href: href(b.value), title }, shown(b, label)));
    }
    const td = h("td", isNumber(b) ? { class: "num" } : b.value.length > 60 ? { class: "text" } : {}, literal(b.value));
    if (b["xml:lang"]) td.append(h("span", { class: "lang" }, "@" + b["xml:lang"]));
    return td;
  }

  // Numbers as numbers, else text in natural order (so "cq2" before "cq10"); unbound last.
  function compare(a, b) {
    if (a.text === "" || b.text === "") return (a.text === "") - (b.text === "");
    if (a.num && b.num) return parseFloat(a.text) - parseFloat(b.text);
    return a.text.localeCompare(b.text, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortedRows(t) {
    if (t.sortBy === null) return t.rows;
    const v = t.sortBy, l = t.labels[v];
    const keyed = t.rows.map((row, i) => ({ row, i, text: shown(row[v], l && row[l]), num: isNumber(row[v]) }));
    keyed.sort((a, b) => t.dir * compare(a, b) || a.i - b.i);
    return keyed.map((k) => k.row);
  }

  function header(t) {
    const tr = h("tr", {});
    for (const v of t.vars) {
      const arrow = t.sortBy === v ? (t.dir > 0 ? " ▲" : " ▼") : "";
      const sort = t.sortBy === v ? (t.dir > 0 ? "ascending" : "descending") : "none";
      const b = h("button", { type: "button", class: "sort", title: "sort by " + v }, v, arrow);
      b.addEventListener("click", () => {
        t.dir = t.sortBy === v ? -t.dir : 1;
        t.sortBy = v;
        t.page = 0;
        draw(t);
      });
      tr.append(h("th", { "aria-sort": sort, "data-var": v }, b));
    }
    return h("thead", {}, tr);
  }

  function pager(t, n) {
    const first = t.page * PAGE, last = Math.min(n, first + PAGE);
    const prev = h("button", { type: "button", class: "prev" }, "‹ previous");
    const next = h("button", { type: "button", class: "next" }, "next ›");
    prev.disabled = t.page === 0;
    next.disabled = last >= n;
    prev.addEventListener("click", () => { t.page -= 1; draw(t); });
    next.addEventListener("click", () => { t.page += 1; draw(t); });
    return h("div", { class: "pager" }, prev, " ", h("span", { class: "range" }, `rows ${first + 1}–${last} of ${n}`),
      " ", next);
  }

  function draw(t) {
    const rows = sortedRows(t);
    const body = h("tbody", {});
    for (const row of rows.slice(t.page * PAGE, (t.page + 1) * PAGE)) {
      body.append(h("tr", {}, ...t.vars.map((v) => cell(row[v], t.labels[v] && row[t.labels[v]]))));
    }
    const box = h("div", { class: "results-box" }, h("table", { id: "results-table" }, header(t), body));
    t.el.replaceChildren(...(rows.length > PAGE ? [pager(t, rows.length), box] : [box]));
  }

  // Show SPARQL JSON results (a SELECT's rows or an ASK's boolean) in the element.
  async function render(el, data) {
    await loaded;
    if ("boolean" in data) { el.replaceChildren(h("p", {}, String(data.boolean))); return; }
    const vars = data.head.vars;
    draw({ el, vars, rows: data.results.bindings, labels: labelColumns(vars), sortBy: null, dir: 1, page: 0 });
  }

  window.PKGResults = { render, compact, href, ready: loaded };
})();
