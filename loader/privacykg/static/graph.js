// privacykg graph view: a policy's nodes and links from /api/graph as plain SVG. Zoom (wheel, +/-),
// pan (drag the background), drag nodes, filters by kind, focus on a node and its neighbours
// (shift-click, or the process list). Labels keep a fixed screen size: the view's group is scaled,
// each node and edge label is scaled back. A click that did not drag opens the node's page.
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const COLORS = { notice: "#243447", controller: "#d9534f", process: "#5b8def", purpose: "#f0ad4e",
                   data: "#5cb85c", recipient: "#9b59b6", country: "#17a2b8", basis: "#aaaaaa" };
  const KIND_NAMES = { notice: "notice", controller: "controller", process: "process", purpose: "purpose",
                       data: "personal data", recipient: "recipient", country: "country", basis: "legal basis" };
  const EDGE_LABEL_ZOOM = 1.6;  // edge labels show from this zoom, relative to the fitted view
  const DRAG_PX = 4;            // a press that moves less than this is a click
  let current = null;           // the graph on screen: nodes, links, elements and view

  function el(tag, attrs, ...kids) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  }

  function seed(nodes, links, byId, W, H, k) {
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
  }

  // Fruchterman-Reingold: every pair repels, links pull, the temperature caps each move and cools.
  // Deterministic: the notice in the middle, processes on a ring, their values around them. The area
  // grows with the number of nodes, so a 150-node policy is as spread out as a 20-node one; hubs
  // repel more (by their degree) and the notice pulls its processes weakly, so they spread out.
  function layout(g) {
    const nodes = g.nodes.map((n) => Object.assign({}, n, { x: 0, y: 0, dx: 0, dy: 0 }));
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    const links = g.links.filter((l) => byId[l.source] && byId[l.target] && l.source !== l.target);
    const W = 260 * Math.sqrt(nodes.length + 4), H = 0.7 * W;
    const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.9;
    for (const n of nodes) n.deg = 1 + links.filter((l) => l.source === n.id || l.target === n.id).length / 4;
    seed(nodes, links, byId, W, H, k);
    let t = W / 8;
    const steps = 400;
    for (let step = 0; step < steps; step++) {
      for (const n of nodes) { n.dx = 0; n.dy = 0; }
      for (let i = 0; i < nodes.length; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < nodes.length; j++) {
          const b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          let d = Math.sqrt(dx * dx + dy * dy);
          if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.abs(dx) + 0.01; }
          const f = (k * k * Math.sqrt(a.deg * b.deg)) / d;
          a.dx += (dx / d) * f; a.dy += (dy / d) * f; b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
        }
      }
      for (const l of links) {
        const a = byId[l.source], b = byId[l.target];
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        const f = (d * d) / k * (a.kind === "notice" ? 0.15 : 1);
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

  // Columns by kind, for large graphs: processes between what the notice says (left) and their
  // purposes, data and recipients (right). Within a column, nodes are ordered by the mean row of
  // their neighbours (a few barycentre sweeps), so links mostly run straight across.
  const COLUMNS = [["notice", "controller"], ["process"], ["purpose"], ["data"], ["recipient", "country", "basis"]];
  const COL_GAP = 340, ROW_GAP = 19;

  function columns(g) {
    const col = (n) => { const i = COLUMNS.findIndex((c) => c.includes(n.kind)); return i < 0 ? COLUMNS.length : i; };
    const cols = [];
    for (const n of g.nodes) (cols[col(n)] = cols[col(n)] || []).push(n);
    const near = Object.fromEntries(g.nodes.map((n) => [n.id, []]));
    for (const l of g.links) { near[l.source].push(g.byId[l.target]); near[l.target].push(g.byId[l.source]); }
    const rows = (c, x) => c.forEach((n, i) => { n.x = x; n.y = (i - (c.length - 1) / 2) * ROW_GAP; });
    const filled = cols.filter(Boolean);
    filled.forEach((c, i) => rows(c, i * COL_GAP));
    for (let sweep = 0; sweep < 6; sweep++) {
      filled.forEach((c, i) => {
        const mean = (n) => (near[n.id].length ? near[n.id].reduce((t, m) => t + m.y, 0) / near[n.id].length : n.y);
        const keyed = c.map((n) => [mean(n), n]).sort((a, b) => a[0] - b[0]);
        c.splice(0, c.length, ...keyed.map((p) => p[1]));
        rows(c, i * COL_GAP);
      });
    }
  }

  function arrange(g, how) {
    g.arranged = how;
    if (how === "columns") columns(g);
    else for (const n of g.nodes) { n.x = n.fx; n.y = n.fy; }
  }

  function build(svg, g) {
    const root = el("g", { class: "viewport" });
    const edges = el("g", { class: "edges" }), edgeLabels = el("g", { class: "edge-labels" });
    const nodeLayer = el("g", { class: "nodes" });
    for (const l of g.links) {
      l.line = el("line", { class: "edge" }, el("title", {}, l.label));
      l.text = el("g", { class: "edge-label" }, el("text", { "text-anchor": "middle", y: 4 }, l.label));
      edges.append(l.line); edgeLabels.append(l.text);
    }
    for (const n of g.nodes) {
      n.links = g.links.filter((l) => l.source === n.id || l.target === n.id);
      n.short = n.label.length > 32 ? n.label.slice(0, 31) + "…" : n.label;
      n.elem = el("a", { href: n.href || "/resource?iri=" + encodeURIComponent(n.id), class: "graph-node",
                         "data-kind": n.kind, draggable: "false" },
        el("circle", { r: n.kind === "notice" ? 12 : 8, fill: COLORS[n.kind] || "#888" }),
        el("text", { x: n.kind === "notice" ? 15 : 11, y: 4 }, n.short),
        el("title", {}, `${n.kind}: ${n.label}`));
      nodeLayer.append(n.elem);
    }
    root.append(edges, edgeLabels, nodeLayer);
    svg.replaceChildren(el("rect", { class: "graph-bg", width: "100%", height: "100%" }), root);
    return root;
  }

  function placeNode(n, s) { n.elem.setAttribute("transform", `translate(${n.x},${n.y}) scale(${1 / s})`); }

  function placeLink(g, l, s) {
    const a = g.byId[l.source], b = g.byId[l.target];
    Object.entries({ x1: a.x, y1: a.y, x2: b.x, y2: b.y }).forEach(([k, v]) => l.line.setAttribute(k, v));
    // in columns, a link that crosses a column has its label in the gap before its target
    const span = Math.abs(b.x - a.x), t = g.arranged === "columns" && span > COL_GAP ? 1 - COL_GAP / 2 / span : 0.5;
    l.text.setAttribute("transform", `translate(${a.x + t * (b.x - a.x)},${a.y + t * (b.y - a.y)}) scale(${1 / s})`);
  }

  function applyView(g) {
    const { s, tx, ty } = g.view;
    g.root.setAttribute("transform", `translate(${tx},${ty}) scale(${s})`);
    g.svg.dataset.scale = s.toFixed(4);
    g.svg.classList.toggle("zoomed", s >= g.view.fit * EDGE_LABEL_ZOOM);
    for (const n of g.nodes) placeNode(n, s);
    for (const l of g.links) placeLink(g, l, s);
  }

  function shown(g, n) { return !g.hidden.has(n.kind) && (!g.focus || g.focus.has(n.id)); }

  function applyFilters(g) {
    for (const n of g.nodes) {
      n.elem.classList.toggle("off", !shown(g, n));
      n.elem.querySelector("text").textContent = g.focus ? n.label : n.short;  // in focus, room for whole labels
    }
    for (const l of g.links) {
      const off = !shown(g, g.byId[l.source]) || !shown(g, g.byId[l.target]);
      l.line.classList.toggle("off", off); l.text.classList.toggle("off", off);
    }
    g.svg.classList.toggle("focused", !!g.focus);
  }

  // Scale and shift so the given nodes fill the view, room left on the right for their labels.
  function fit(g, nodes) {
    const r = g.svg.getBoundingClientRect();
    const room = g.focus ? 420 : 270;  // for the labels right of the rightmost nodes (whole labels in focus)
    const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const s = Math.min(2.5, (r.width - room) / Math.max(1, x1 - x0), (r.height - 50) / Math.max(1, y1 - y0));
    g.view.s = s;
    g.view.tx = 25 - s * x0 + Math.max(0, (r.width - room - s * (x1 - x0)) / 2);
    g.view.ty = 25 - s * y0 + Math.max(0, (r.height - 50 - s * (y1 - y0)) / 2);
    applyView(g);
  }

  function zoomAt(g, factor, px, py) {
    const v = g.view, s = Math.min(v.fit * 20, Math.max(v.fit / 4, v.s * factor));
    v.tx = px - (px - v.tx) * (s / v.s); v.ty = py - (py - v.ty) * (s / v.s); v.s = s;
    applyView(g);
  }

  function zoomCentre(g, factor) {
    const r = g.svg.getBoundingClientRect();
    zoomAt(g, factor, r.width / 2, r.height / 2);
  }

  function focusOn(g, id) {
    const n = g.byId[id];
    g.focus = new Set([id, ...n.links.map((l) => (l.source === id ? l.target : l.source))]);
    applyFilters(g);
    fit(g, g.nodes.filter((m) => shown(g, m)));
    const sel = document.getElementById("graph-focus");
    if (sel) sel.value = n.kind === "process" ? id : "";
  }

  function showAll(g) {
    g.focus = null;
    applyFilters(g);
    fit(g, g.nodes);
    g.view.fit = g.view.s;
    const sel = document.getElementById("graph-focus");
    if (sel) sel.value = "";
  }

  // A press on a node drags it, on the background pans; a press that did not move is a click.
  function onPointerDown(g, e) {
    if (e.button !== 0) return;
    const a = e.target.closest("a.graph-node");
    const n = a ? g.nodes.find((m) => m.elem === a) : null;
    const start = { x: e.clientX, y: e.clientY, tx: g.view.tx, ty: g.view.ty, nx: n && n.x, ny: n && n.y };
    let moved = false;
    e.preventDefault();
    const move = (ev) => {
      const dx = ev.clientX - start.x, dy = ev.clientY - start.y;
      if (!moved && Math.hypot(dx, dy) < DRAG_PX) return;
      moved = true;
      if (n) {
        n.x = start.nx + dx / g.view.s; n.y = start.ny + dy / g.view.s;
        placeNode(n, g.view.s);
        for (const l of n.links) placeLink(g, l, g.view.s);
      } else {
        g.view.tx = start.tx + dx; g.view.ty = start.ty + dy;
        g.root.setAttribute("transform", `translate(${g.view.tx},${g.view.ty}) scale(${g.view.s})`);
      }
    };
    const up = () => {
      window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up);
      g.dragged = moved;
    };
    window.addEventListener("pointermove", move); window.addEventListener("pointerup", up);
  }

  function onClick(g, e) {
    const a = e.target.closest("a.graph-node");
    if (!a) return;
    if (g.dragged) { e.preventDefault(); g.dragged = false; return; }
    if (e.shiftKey) { e.preventDefault(); focusOn(g, g.nodes.find((m) => m.elem === a).id); }
  }

  function hover(g, e, on) {
    const a = e.target.closest && e.target.closest("a.graph-node");
    if (!a) return;
    const n = g.nodes.find((m) => m.elem === a);
    for (const l of n.links) { l.line.classList.toggle("hot", on); l.text.classList.toggle("hot", on); }
  }

  function listen(svg) {
    svg.addEventListener("wheel", (e) => {
      if (!current) return;
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      zoomAt(current, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    svg.addEventListener("pointerdown", (e) => current && onPointerDown(current, e));
    svg.addEventListener("click", (e) => current && onClick(current, e));
    svg.addEventListener("dragstart", (e) => e.preventDefault());
    svg.addEventListener("mouseover", (e) => current && hover(current, e, true));
    svg.addEventListener("mouseout", (e) => current && hover(current, e, false));
  }

  function kindFilters(g, box) {
    const counts = {};
    for (const n of g.nodes) counts[n.kind] = (counts[n.kind] || 0) + 1;
    for (const kind of Object.keys(counts)) {
      const cb = document.createElement("input");
      Object.assign(cb, { type: "checkbox", checked: true, name: "kind", value: kind });
      cb.addEventListener("change", () => { cb.checked ? g.hidden.delete(kind) : g.hidden.add(kind); applyFilters(g); });
      const lab = document.createElement("label");
      lab.className = "k-" + kind;
      lab.append(cb, ` ${KIND_NAMES[kind] || kind} (${counts[kind]})`);
      box.append(lab, " ");
    }
  }

  function button(text, title, action) {
    const b = document.createElement("button");
    Object.assign(b, { type: "button", textContent: text, title });
    b.addEventListener("click", action);
    return b;
  }

  function controls(g) {
    const box = document.getElementById("graph-controls");
    if (!box) return;
    const zoom = document.createElement("span");
    zoom.className = "zoom";
    zoom.append(button("+", "zoom in", () => zoomCentre(g, 1.4)), button("−", "zoom out", () => zoomCentre(g, 1 / 1.4)),
                button("Show all", "show every node, fitted to the view", () => showAll(g)));
    const kinds = document.createElement("span");
    kinds.className = "kinds";
    kindFilters(g, kinds);
    const sel = document.createElement("select");
    sel.id = "graph-focus";
    sel.append(new Option("Focus on a process…", ""));
    for (const n of g.nodes.filter((m) => m.kind === "process")) sel.append(new Option(n.label, n.id));
    sel.addEventListener("change", () => (sel.value ? focusOn(g, sel.value) : showAll(g)));
    const how = document.createElement("select");
    how.id = "graph-layout";
    how.append(new Option("columns by kind", "columns"), new Option("force layout", "force"));
    how.value = g.arranged;
    how.addEventListener("change", () => { arrange(g, how.value); g.focus ? fit(g, g.nodes.filter((m) => shown(g, m))) : showAll(g); });
    box.replaceChildren(zoom, " ", sel, " ", how, " ", kinds);
  }

  async function drawGraph(iri) {
    const res = await fetch("/api/graph?" + new URLSearchParams({ policy: iri }));
    if (!res.ok) return;
    const svg = document.getElementById("graph-svg");
    if (!svg.dataset.listening) { listen(svg); svg.dataset.listening = "1"; }
    const g = Object.assign(layout(await res.json()), { svg, hidden: new Set(), focus: null,
                                                        view: { s: 1, tx: 0, ty: 0, fit: 1 }, dragged: false });
    for (const n of g.nodes) { n.fx = n.x; n.fy = n.y; }
    arrange(g, g.nodes.length > 60 ? "columns" : "force");
    g.root = build(svg, g);
    current = g;
    controls(g);
    showAll(g);
  }

  window.privacykgGraph = { drawGraph, layout };
})();
