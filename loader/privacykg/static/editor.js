// The SPARQL editor: CodeMirror 5 (vendored in static/vendor/codemirror/, MIT) over the query
// textarea. Highlighting by CodeMirror's SPARQL mode; completion (Ctrl-Space, and while typing a
// prefixed name or a variable) of our prefixes from /api/prefixes and of the vocabulary's terms
// from /api/terms, adding the PREFIX declaration a completion needs, of SPARQL's keywords and of
// the query's own variables; the server's "line L, column C" error marked.
(function () {
  "use strict";
  const vocab = { prefixes: {}, terms: [] };
  const PNAME = /([A-Za-z][\w-]*)?(:[\w.%-]*)?$/;  // the prefixed name (or bare prefix) being typed

  async function loadVocabulary() {
    const [p, t] = await Promise.all([fetch("/api/prefixes"), fetch("/api/terms")]);
    vocab.prefixes = (await p.json()).prefixes;
    vocab.terms = (await t.json()).terms;
  }

  function declared(cm, prefix) {
    const re = new RegExp(`^\\s*PREFIX\\s+${prefix}:`, "im");
    return re.test(cm.getValue());
  }

  // Add "PREFIX p: <iri>" after the query's last PREFIX/BASE line at the top (or as its first line).
  function declare(cm, prefix) {
    if (declared(cm, prefix) || !(prefix in vocab.prefixes)) return;
    let at = 0;
    for (let i = 0; i < cm.lineCount(); i++) {
      const line = cm.getLine(i);
      if (/^\s*(PREFIX|BASE)\b/i.test(line)) at = i + 1;
      else if (line.trim() && !line.trim().startsWith("#")) break;
    }
    cm.replaceRange(`PREFIX ${prefix}: <${vocab.prefixes[prefix]}>\n`, { line: at, ch: 0 });
  }

  function item(text, displayText, prefix) {
    return { text, displayText, hint(cm, data, completion) {
      cm.replaceRange(completion.text, data.from, data.to, "complete");
      declare(cm, prefix);
    } };
  }

  // SPARQL 1.1's keywords and functions, offered (upper case) for a bare word being typed.
  const KEYWORDS = ("SELECT DISTINCT REDUCED WHERE PREFIX BASE FROM NAMED OPTIONAL FILTER BIND VALUES " +
    "UNION MINUS GRAPH SERVICE SILENT EXISTS NOT IN AS ASK CONSTRUCT DESCRIBE GROUP ORDER BY HAVING " +
    "LIMIT OFFSET ASC DESC UNDEF COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG " +
    "LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE " +
    "ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER SUBSTR REPLACE REGEX YEAR MONTH DAY " +
    "HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 COALESCE IF STRLANG STRDT " +
    "SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC").split(" ");
  const VARIABLE = /[?$]([\w]*)$/;  // a variable being typed, its name so far

  // The variables the query uses (?x and $x alike) that start with what is typed, but itself.
  function variables(cm, typed) {
    const seen = new Set([...cm.getValue().matchAll(/[?$]([A-Za-z_]\w*)/g)].map((m) => m[1]));
    return [...seen].filter((v) => v.startsWith(typed) && v !== typed).sort();
  }

  // A bare word: the keywords that start with it, then the prefixes.
  function words(word) {
    const upper = word.toUpperCase();
    const keys = word ? KEYWORDS.filter((k) => k.startsWith(upper) && k !== upper) : [];
    return keys.map((k) => ({ text: k, displayText: k, className: "pkg-hint-keyword" }));
  }

  // The hint source: after "?" the query's variables; after "p:" the terms of prefix p; before a
  // colon, the keywords and the prefixes.
  function hint(cm) {
    const cur = cm.getCursor();
    const before = cm.getLine(cur.line).slice(0, cur.ch);
    const v = before.match(VARIABLE);
    if (v) {
      const list = variables(cm, v[1]).map((name) => `${v[0][0]}${name}`);
      return list.length ? { list, from: { line: cur.line, ch: cur.ch - v[0].length }, to: cur } : null;
    }
    const m = before.match(PNAME);
    const prefix = m[1] || "", local = m[2] ? m[2].slice(1) : null;
    const from = { line: cur.line, ch: cur.ch - m[0].length };
    let list;
    if (local !== null) {
      if (!(prefix in vocab.prefixes)) return null;
      const want = `${prefix}:${local}`.toLowerCase();
      list = vocab.terms.filter((t) => t.curie.toLowerCase().startsWith(want))
        .map((t) => item(t.curie, t.label ? `${t.curie} — ${t.label}` : t.curie, prefix));
    } else {
      list = words(prefix).concat(Object.keys(vocab.prefixes).filter((p) => p.startsWith(prefix)).sort()
        .map((p) => item(`${p}:`, `${p}: <${vocab.prefixes[p]}>`, p)));
    }
    return list.length ? { list, from, to: cur } : null;
  }

  // ---- the server's error, marked where it says ------------------------------------------------
  const marks = [];

  function clearError(cm) {
    for (const m of marks.splice(0)) m.clear ? m.clear() : cm.removeLineClass(m, "background", "pkg-error-line");
    cm.clearGutter("pkg-errors");
  }

  // Mark "line L, column C" of a server message (1-based, as server/messages.py writes them):
  // a gutter marker carrying the message, the line tinted, the text at the column underlined
  // (the prefixed name there, if the message names one). Returns false if there is no position.
  function markError(cm, message) {
    clearError(cm);
    const m = /at line (\d+), column (\d+)/.exec(message);
    if (!m) return false;
    const line = Math.min(+m[1] - 1, cm.lineCount() - 1), text = cm.getLine(line);
    let ch = Math.min(Math.max(+m[2] - 1, 0), text.length);
    const named = /\(in ([^)\s]+)\)/.exec(message);
    let from = ch, to = ch + 1;
    if (named) {
      const i = text.lastIndexOf(named[1], ch);
      if (i >= 0) { from = i; to = i + named[1].length; }
    } else if (ch >= text.length && ch > 0) { from = ch - 1; to = ch; }
    const flag = document.createElement("span");
    flag.className = "pkg-error-flag";
    flag.textContent = "●";
    flag.title = message;
    cm.setGutterMarker(line, "pkg-errors", flag);
    marks.push(cm.addLineClass(line, "background", "pkg-error-line"));
    marks.push(cm.markText({ line, ch: from }, { line, ch: Math.min(to, text.length) },
      { className: "pkg-error-mark", title: message }));
    return true;
  }

  function create(textarea) {
    const cm = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
      gutters: ["pkg-errors", "CodeMirror-linenumbers"], extraKeys: { "Ctrl-Space": "autocomplete" },
      hintOptions: { hint, completeSingle: false, closeCharacters: /[\s()[\]{};>,]/ },
    });
    cm.on("change", () => { cm.save(); clearError(cm); });
    // while typing a prefixed name: complete once the colon is typed, and as its local name grows
    cm.on("inputRead", (_, change) => {
      if (cm.state.completionActive || change.origin !== "+input") return;
      const before = cm.getLine(change.to.line).slice(0, cm.getCursor().ch);
      const m = before.match(PNAME);
      if (m && m[1] && m[2] !== undefined && m[1] in vocab.prefixes) cm.showHint();
      else if (/(^|[\s({,])[?$]\w$/.test(before) && variables(cm, before.slice(-1)).length) cm.showHint();
    });
    // without the vocabulary the editor still edits and highlights; data-terms says it is loaded
    loadVocabulary().then(() => { cm.getWrapperElement().dataset.terms = vocab.terms.length; }).catch(() => {});
    return { cm, getValue: () => cm.getValue(), setValue: (s) => { cm.setValue(s); cm.save(); },
             onChange: (f) => cm.on("change", f), markError: (msg) => markError(cm, msg),
             clearError: () => clearError(cm), declare: (prefix) => declare(cm, prefix) };
  }

  window.PKGEditor = { create };
})();
