// bisearch search page: reads the state from the URL, calls the JSON API and renders the answer.
// Every piece of document text is put into the page with textContent / text nodes, never as markup.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE = 10;
const STATE_KEYS = ["q", "lang", "since", "until", "sort", "path", "year", "offset", "term"];

// ---- state <-> URL ----------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of STATE_KEYS) s[k] = p.get(k) || "";
  s.offset = Math.max(0, parseInt(s.offset, 10) || 0);
  return s;
}

function stateUrl(s) {
  const p = new URLSearchParams();
  for (const k of STATE_KEYS) if (s[k] !== "" && s[k] !== 0 && s[k] !== undefined) p.set(k, String(s[k]));
  const qs = p.toString();
  return "/" + (qs ? "?" + qs : "");
}

function go(s, push = true) {
  const url = stateUrl(s);
  if (push) history.pushState(null, "", url);
  render(readState());
}

// ---- text helpers -----------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

// Appends @text to @parent with the byte ranges @ranges (UTF-8 offsets into
// text, as the API gives them) wrapped in <mark>; all as text nodes.
function appendHighlighted(parent, text, ranges) {
  const bytes = encoder.encode(text);
  const sorted = (ranges || [])
    .map(([b, e]) => [Math.max(0, Math.min(b, bytes.length)), Math.max(0, Math.min(e, bytes.length))])
    .filter(([b, e]) => e > b)
    .sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [b, e] of sorted) {
    if (e <= at) continue;
    const start = Math.max(b, at);
    if (start > at) parent.appendChild(document.createTextNode(decoder.decode(bytes.subarray(at, start))));
    const mark = document.createElement("mark");
    mark.textContent = decoder.decode(bytes.subarray(start, e));
    parent.appendChild(mark);
    at = e;
  }
  if (at < bytes.length) parent.appendChild(document.createTextNode(decoder.decode(bytes.subarray(at))));
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

// Only http(s) addresses become links; anything else (javascript:, data:) stays text.
function safeHref(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function langName(l) {
  return { ko: "한국어", en: "English", mixed: "mixed" }[l] || l;
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const e = body && body.error;
    throw new Error(e ? (e.parameter ? e.parameter + ": " : "") + e.message : "HTTP " + r.status);
  }
  return body;
}

// ---- search -----------------------------------------------------------------

function searchQuery(s) {
  const p = new URLSearchParams();
  p.set("q", s.q);
  p.set("limit", String(PAGE));
  p.set("offset", String(s.offset));
  p.set("facets", "lang,year,folder");
  if (s.lang) p.set("lang", s.lang);
  let since = s.since, until = s.until;
  if (s.year) {
    since = since || s.year + "-01-01";
    until = until || s.year + "-12-31";
  }
  if (since) p.set("since", since);
  if (until) p.set("until", until);
  if (s.sort && s.sort !== "relevance") p.set("sort", s.sort);
  if (s.path) p.set("path", s.path);
  return "/api/search?" + p.toString();
}

function renderHit(hit) {
  const li = el("li", null, "hit");
  li.tabIndex = 0;
  li.dataset.lang = hit.lang;
  li.dataset.date = hit.date || "";
  const h = el("h3");
  const title = hit.title || hit.doc_id;
  if (hit.title && hit.title_highlights) appendHighlighted(h, hit.title, hit.title_highlights);
  else h.textContent = title;
  li.appendChild(h);

  const meta = el("div", null, "meta");
  const docLink = el("a", hit.doc_id, "doc-link");
  docLink.href = "#";
  docLink.addEventListener("click", (ev) => {
    ev.preventDefault();
    openDocument(hit.doc_id);
  });
  const idSpan = el("span");
  idSpan.appendChild(docLink);
  meta.appendChild(idSpan);
  meta.appendChild(el("span", "#" + (hit.passage + 1)));
  if (hit.place && hit.place.label) meta.appendChild(el("span", hit.place.label, "place"));
  if (hit.date) meta.appendChild(el("span", hit.date, "date"));
  meta.appendChild(el("span", langName(hit.lang), "lang"));
  const href = safeHref(hit.url);
  if (href) {
    const a = el("a", "source");
    a.href = href;
    a.rel = "noopener noreferrer";
    const s = el("span");
    s.appendChild(a);
    meta.appendChild(s);
  } else if (hit.url) {
    meta.appendChild(el("span", hit.url, "url-text"));
  }
  if (hit.more_in_doc) meta.appendChild(el("span", "+" + hit.more_in_doc + " more in this document"));
  li.appendChild(meta);

  const pair = el("div", null, "pair" + (hit.counterpart ? "" : " single"));
  const text = el("div", null, "passage");
  text.lang = hit.lang === "en" ? "en" : "ko";
  appendHighlighted(text, hit.text, hit.highlights);
  pair.appendChild(text);
  if (hit.counterpart) {
    const c = el("div", null, "counterpart");
    c.lang = hit.counterpart.lang === "en" ? "en" : "ko";
    c.appendChild(el("span", "⇄ " + langName(hit.counterpart.lang), "label"));
    c.appendChild(document.createTextNode(hit.counterpart.text));
    pair.appendChild(c);
  }
  li.appendChild(pair);
  return li;
}


function renderFacets(s, summary) {
  const groups = $("facet-groups");
  groups.replaceChildren();
  const byName = { ...(summary.facets || {}) };  // NAME -> [{value, count}], most first
  // Languages are always offered (with counts when the index gives them).
  if (!byName.lang) byName.lang = ["ko", "en", "mixed"].map((v) => ({ value: v, count: null }));
  const titles = { lang: "Language", year: "Year", folder: "Folder" };
  for (const name of ["lang", "year", "folder"]) {
    let values = (byName[name] || []).filter((v) => !(name === "folder" && (v.value === "" || v.value === ".")));
    if (values.length === 0) continue;
    if (name === "year") values = [...values].sort((a, b) => (a.value < b.value ? 1 : -1));  // newest first
    groups.appendChild(el("h2", titles[name]));
    const ul = el("ul");
    ul.dataset.facet = name;
    for (const v of values.slice(0, 30)) {
      const li = el("li");
      const b = el("button", name === "lang" ? langName(v.value) : v.value || "(top)");
      b.type = "button";
      b.dataset.value = v.value;
      b.addEventListener("click", () => {
        const next = { ...s, offset: 0 };
        if (name === "lang") next.lang = v.value;
        if (name === "year") next.year = v.value;
        if (name === "folder") next.path = v.value;
        go(next);
      });
      li.appendChild(b);
      if (v.count !== null && v.count !== undefined) li.appendChild(el("span", " " + v.count, "count"));
      ul.appendChild(li);
    }
    groups.appendChild(ul);
  }
  if (summary.date_first || summary.date_last) {
    groups.appendChild(el("h2", "Dates"));
    groups.appendChild(el("p", (summary.date_first || "…") + " – " + (summary.date_last || "…"), "date-range"));
  }
}

function renderFilters(s) {
  const box = $("filters");
  box.replaceChildren();
  const shown = { lang: "language", year: "year", path: "folder", since: "from", until: "to" };
  for (const k of Object.keys(shown)) {
    if (!s[k]) continue;
    const b = el("button", "✕ " + shown[k] + ": " + (k === "lang" ? langName(s[k]) : s[k]), "filter");
    b.type = "button";
    b.dataset.filter = k;
    b.addEventListener("click", () => go({ ...s, [k]: "", offset: 0 }));
    box.appendChild(b);
  }
}

let generation = 0;

async function render(s) {
  const mine = ++generation;
  $("q").value = s.q;
  $("sort").value = s.sort || "relevance";
  $("since").value = s.since;
  $("until").value = s.until;
  document.title = s.q ? s.q + " – bisearch" : "bisearch";
  renderFilters(s);
  setTermPanel(s.term !== "", s.term);
  const msg = $("message");
  msg.className = "";
  if (!s.q) {
    $("results").replaceChildren();
    $("facet-groups").replaceChildren();
    $("pager").hidden = true;
    msg.textContent = "";
    return;
  }
  msg.textContent = "Searching…";
  let body;
  try {
    body = await api(searchQuery(s));
  } catch (e) {
    if (mine !== generation) return;
    msg.className = "error";
    msg.textContent = e.message;
    $("results").replaceChildren();
    $("pager").hidden = true;
    return;
  }
  if (mine !== generation) return;
  const sum = body.summary;
  const list = $("results");
  list.replaceChildren(...body.hits.map(renderHit));
  list.start = s.offset + 1;
  const about = sum.total_exact ? "" : "about ";
  msg.textContent = body.hits.length
    ? `${s.offset + 1}–${s.offset + body.hits.length} of ${about}${sum.total_estimate}`
    : "No passages match.";
  renderFacets(s, sum);
  const pager = $("pager");
  pager.hidden = s.offset === 0 && body.hits.length < PAGE;
  $("prev").disabled = s.offset === 0;
  $("next").disabled = body.hits.length < PAGE || s.offset + PAGE >= sum.total_estimate;
  $("page-info").textContent = "Page " + (Math.floor(s.offset / PAGE) + 1);
  document.body.dataset.loaded = String(mine);
}

// ---- term panel -------------------------------------------------------------

function setTermPanel(open, term) {
  $("terms").hidden = !open;
  $("terms-button").setAttribute("aria-expanded", String(open));
  if (open && term && $("term").dataset.shown !== term) lookUp(term);
}

async function lookUp(term) {
  $("term").value = term;
  $("term").dataset.shown = term;
  const list = $("translations");
  const msg = $("terms-message");
  list.replaceChildren();
  msg.textContent = "Looking up…";
  let body;
  try {
    body = await api("/api/terms?q=" + encodeURIComponent(term));
  } catch (e) {
    msg.textContent = e.message;
    return;
  }
  msg.textContent = body.translations.length ? "" : "No translations known for this term.";
  for (const t of body.translations) {
    const li = el("li", null, "translation");
    li.appendChild(el("strong", t.text));
    li.appendChild(el("span", ` ${langName(t.lang)} · ${t.kind} · evidence ${t.evidence}`, "kind"));
    const sources = (t.sources || []).map((x) => x.source + " " + x.evidence).join(", ");
    if (sources) li.appendChild(el("div", "sources: " + sources, "kind"));
    if (t.note) li.appendChild(el("div", t.note, "kind"));
    for (const ex of t.examples || []) {
      const d = el("div", null, "example");
      d.appendChild(el("span", ex.doc_id + " #" + (ex.passage + 1) + ": ", "kind"));
      d.appendChild(document.createTextNode(ex.snippet));
      li.appendChild(d);
    }
    list.appendChild(li);
  }
}

// ---- document view ----------------------------------------------------------

async function openDocument(id) {
  const section = $("document");
  const list = $("doc-passages");
  section.hidden = false;
  $("doc-title").textContent = id;
  list.replaceChildren();
  try {
    const body = await api("/api/doc/" + id.split("/").map(encodeURIComponent).join("/"));
    $("doc-title").textContent = body.title || body.doc_id;
    for (const p of body.passages) {
      const li = el("li");
      if (p.place && p.place.label) li.appendChild(el("span", p.place.label + " ", "kind"));
      li.appendChild(document.createTextNode(p.text));
      list.appendChild(li);
    }
  } catch (e) {
    list.appendChild(el("li", e.message));
  }
  section.scrollIntoView();
  $("doc-close").focus();
}

// ---- wiring -----------------------------------------------------------------

function formState() {
  const s = readState();
  return {
    ...s,
    q: $("q").value.trim(),
    sort: $("sort").value === "relevance" ? "" : $("sort").value,
    since: $("since").value.trim(),
    until: $("until").value.trim(),
    offset: 0,
  };
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const s = formState();
    // A new query keeps the filters; a changed date range replaces the year facet.
    if (s.since || s.until) s.year = "";
    go(s);
  });
  $("sort").addEventListener("change", () => go(formState()));
  $("prev").addEventListener("click", () => {
    const s = readState();
    go({ ...s, offset: Math.max(0, s.offset - PAGE) });
  });
  $("next").addEventListener("click", () => {
    const s = readState();
    go({ ...s, offset: s.offset + PAGE });
  });
  $("terms-button").addEventListener("click", () => {
    const s = readState();
    const q = $("q").value.trim();
    if (s.term || !$("terms").hidden) go({ ...s, term: "" });
    else if (q) go({ ...s, term: q });
    else setTermPanel(true, "");  // nothing to look up yet: the panel's own box
    if (!$("terms").hidden && !q) $("term").focus();
  });
  $("terms-close").addEventListener("click", () => go({ ...readState(), term: "" }));
  $("terms-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const t = $("term").value.trim();
    if (t) go({ ...readState(), term: t });
  });
  $("doc-close").addEventListener("click", () => {
    $("document").hidden = true;
    $("q").focus();
  });
  $("copy-link").addEventListener("click", async () => {
    const link = location.href;
    $("link-box").hidden = false;
    $("link").value = link;
    $("link").select();
    try {
      await navigator.clipboard.writeText(link);
    } catch (e) {
      /* the link stays selected in the box for Ctrl+C */
    }
  });
  document.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (ev.key === "Escape") {
      if (!$("terms").hidden) go({ ...readState(), term: "" });
      else if (!$("document").hidden) $("document").hidden = true;
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "/") {
      ev.preventDefault();
      $("q").focus();
      $("q").select();
    } else if (ev.key === "t") {
      $("terms-button").click();
    } else if (ev.key === "]" && !$("next").disabled) {
      $("next").click();
    } else if (ev.key === "[" && !$("prev").disabled) {
      $("prev").click();
    }
  });
  window.addEventListener("popstate", () => render(readState()));
  render(readState());
  if (!readState().q) $("q").focus();
});
