// The review page's behaviour: select a value (its box on its page, its cell in the panel),
// select a finding (the boxes of every value it involves), filter, correct values and save
// the corrected result. No libraries; everything it needs is in the page.
(function () {
  "use strict";
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const result = data("fr-result");
  const statusOf = data("fr-status");
  const meta = data("fr-meta");
  const pages = document.getElementById("pages");
  const panel = document.getElementById("panel");
  const corrections = new Map(); // key -> {report, path, extracted, corrected}
  let lit = [];

  const sel = (key) => '[data-key="' + CSS.escape(key) + '"]';
  // A value's boxes: drawn on a page picture, or its quote marked on a text page.
  const boxesOf = (key) => Array.from(pages.querySelectorAll(".box" + sel(key) + ", mark" + sel(key)));
  const cellsOf = (key) => Array.from(panel.querySelectorAll(".fr-v" + sel(key)));

  function unlight() {
    lit.forEach((el) => el.classList.remove("active", "involved"));
    lit = [];
  }
  function light(el, cls) {
    el.classList.add(cls);
    lit.push(el);
  }
  function showPage(number) {
    const page = document.getElementById("page-" + number);
    if (page) page.scrollIntoView({ block: "start" });
  }
  function revealCell(cell) {
    const details = cell.closest("details");
    if (details && !details.open) details.open = true;
  }

  function tokens(path) {
    // A report path as in `evidence`; a table column name follows ".values." whole.
    const at = path.indexOf(".values.");
    const head = at >= 0 ? path.slice(0, at) : path;
    const out = [];
    head.split(".").forEach((part) => {
      const m = part.match(/^([^\[]+)((?:\[\d+\])*)$/);
      out.push(m[1]);
      (m[2].match(/\d+/g) || []).forEach((n) => out.push(Number(n)));
    });
    if (at >= 0) out.push("values", path.slice(at + 8));
    return out;
  }
  function getPath(obj, toks) {
    return toks.reduce((o, t) => (o == null ? null : o[t]), obj);
  }
  function setPath(obj, toks, value) {
    let o = obj;
    toks.slice(0, -1).forEach((t, i) => {
      if (o[t] == null) o[t] = typeof toks[i + 1] === "number" ? [] : {};
      o = o[t];
    });
    o[toks[toks.length - 1]] = value;
  }
  function splitKey(key) {
    const bar = key.indexOf("|");
    return { report: key.slice(0, bar), path: key.slice(bar + 1) };
  }
  function extracted(key) {
    const k = splitKey(key);
    const v = getPath(result.reports[Number(k.report)], tokens(k.path));
    return v === undefined ? null : v;
  }
  function current(key) {
    return corrections.has(key) ? corrections.get(key).corrected : extracted(key);
  }

  // --- the editor -------------------------------------------------------------------------
  const editor = document.getElementById("editor");
  const edValue = document.getElementById("ed-value");
  const edError = document.getElementById("ed-error");
  let editing = null;

  function openEditor(key) {
    const cell = cellsOf(key)[0];
    if (!cell || key.startsWith("f")) {
      editor.hidden = true;
      editing = null;
      return;
    }
    const k = splitKey(key);
    const ev = (result.reports[Number(k.report)].evidence || {})[k.path];
    editing = key;
    document.getElementById("ed-key").textContent = "report " + k.report + " · " + k.path;
    document.getElementById("ed-page").textContent = ev ? "p. " + ev.page : "no evidence";
    document.getElementById("ed-text").textContent = ev ? ev.text : "";
    const v = current(key);
    edValue.value = v == null ? "" : String(v);
    edValue.placeholder = cell.dataset.type + (cell.dataset.choices ? ": " + cell.dataset.choices : "");
    edError.textContent = "";
    editor.hidden = false;
  }

  function parseValue(type, raw, choices) {
    const text = raw.trim();
    if (text === "") return { value: null };
    if (type === "decimal") {
      const plain = text.replace(/[,\s，]/g, "");
      if (!/^-?\d+(\.\d+)?$/.test(plain))
        return { error: "write a plain number such as 1467.16 (万元, no unit or % sign), or leave it empty for null" };
      return { value: plain };
    }
    if (type === "int") {
      if (!/^-?\d+$/.test(text)) return { error: "write a whole number such as 2022" };
      return { value: Number(text) };
    }
    if (type === "date") {
      const d = new Date(text + "T00:00:00Z");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || isNaN(d) || d.toISOString().slice(0, 10) !== text)
        return { error: "write the date as YYYY-MM-DD" };
      return { value: text };
    }
    if (type === "choice") {
      const allowed = (choices || "").split("|");
      if (!allowed.includes(text)) return { error: "one of: " + allowed.join(", ") };
      return { value: text };
    }
    return { value: text };
  }

  function render(key) {
    const v = current(key);
    const changed = corrections.has(key);
    cellsOf(key).forEach((cell) => {
      cell.textContent = v == null ? "" : String(v);
      cell.classList.toggle("fr-null", v == null);
      cell.classList.toggle("corrected", changed);
    });
    boxesOf(key).forEach((b) => b.classList.toggle("corrected", changed));
    const n = corrections.size;
    document.getElementById("n-corr").textContent =
      n === 0 ? "no corrections" : n === 1 ? "1 correction" : n + " corrections";
  }

  // Correct the value at `key` from the text `raw`; returns an error message or null.
  function correct(key, raw) {
    const cell = cellsOf(key)[0];
    if (!cell) return "no such value: " + key;
    const parsed = parseValue(cell.dataset.type, raw, cell.dataset.choices);
    if (parsed.error) return parsed.error;
    const before = extracted(key);
    const k = splitKey(key);
    if (JSON.stringify(parsed.value) === JSON.stringify(before)) corrections.delete(key);
    else corrections.set(key, { report: Number(k.report), path: k.path, extracted: before, corrected: parsed.value });
    render(key);
    return null;
  }
  function undo(key) {
    corrections.delete(key);
    render(key);
  }

  document.getElementById("ed-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!editing) return;
    const error = correct(editing, edValue.value);
    edError.textContent = error || "";
  });
  document.getElementById("ed-undo").addEventListener("click", () => {
    if (editing) {
      undo(editing);
      openEditor(editing);
    }
  });

  // The result with every correction applied (REPORT_FORMAT; the corrections listed under
  // the extension field `review`, so a reader sees what the reviewer changed).
  function correctedResult() {
    const doc = JSON.parse(JSON.stringify(result));
    const list = [];
    corrections.forEach((c) => {
      setPath(doc.reports[c.report], tokens(c.path), c.corrected);
      list.push(c);
    });
    doc.review = { corrected_from: meta.result, corrections: list };
    return doc;
  }
  function save() {
    const text = JSON.stringify(correctedResult(), null, 2) + "\n";
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    a.download = meta.corrected_name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
    return text;
  }
  document.getElementById("save").addEventListener("click", save);

  // --- selecting ----------------------------------------------------------------------------
  function select(key) {
    unlight();
    const boxes = boxesOf(key);
    boxes.forEach((b) => {
      b.classList.remove("hidden");
      light(b, "active");
    });
    const cells = cellsOf(key);
    cells.forEach((c) => light(c, "active"));
    if (boxes.length) boxes[0].scrollIntoView({ block: "center", inline: "center" });
    else if (cells.length && cells[0].dataset.page) showPage(cells[0].dataset.page);
    openEditor(key);
    return boxes.length;
  }
  function selectFinding(card) {
    unlight();
    light(card, "active");
    const boxes = JSON.parse(card.dataset.keys).flatMap(boxesOf);
    boxes.forEach((b) => {
      b.classList.remove("hidden");
      light(b, "involved");
    });
    if (boxes.length) boxes[0].scrollIntoView({ block: "center", inline: "center" });
    editor.hidden = true;
    return boxes.length;
  }

  panel.addEventListener("click", (e) => {
    const item = e.target.closest(".fr-involved li[data-key], .fr-v[data-key]");
    if (item) {
      select(item.dataset.key);
      return;
    }
    const card = e.target.closest(".fr-finding");
    if (card) selectFinding(card);
  });
  pages.addEventListener("click", (e) => {
    const box = e.target.closest(".box, mark[data-key]");
    if (!box) return;
    select(box.dataset.key);
    const cell = cellsOf(box.dataset.key)[0];
    if (cell) {
      revealCell(cell);
      cell.scrollIntoView({ block: "center" });
    }
  });

  // --- filters ------------------------------------------------------------------------------
  const fReport = document.getElementById("f-report");
  const fKind = document.getElementById("f-kind");
  const fStatus = document.getElementById("f-status");
  function reportShown(index) {
    if (index === null) return fReport.value === "" && fKind.value === "";
    return (
      (fReport.value === "" || fReport.value === String(index)) &&
      (fKind.value === "" || result.reports[index].kind === fKind.value)
    );
  }
  function reportOfKey(key) {
    if (key.startsWith("f")) {
      const r = result.findings[Number(key.slice(1, key.indexOf("|")))].report;
      return r === null || r === undefined ? null : r;
    }
    return Number(splitKey(key).report);
  }
  const valueStatus = (key) => statusOf[key] || "unchecked";
  function applyFilters() {
    const s = fStatus.value;
    panel.querySelectorAll("details.group").forEach((g) => {
      if (s !== "" && g.dataset.status === s) g.open = true;
    });
    panel.querySelectorAll("section.report").forEach((sec) => {
      sec.hidden = !reportShown(Number(sec.dataset.report));
    });
    panel.querySelectorAll(".fr-finding").forEach((card) => {
      const r = card.dataset.report === "" ? null : Number(card.dataset.report);
      card.hidden = !(reportShown(r) && (s === "" || s === card.dataset.status));
    });
    panel.querySelectorAll(".fr-fields tr").forEach((tr) => {
      const cell = tr.querySelector(".fr-v");
      tr.hidden = s !== "" && !!cell && valueStatus(cell.dataset.key) !== s;
    });
    pages.querySelectorAll(".box, mark[data-key]").forEach((b) => {
      const k = b.dataset.key;
      const st = k.startsWith("f") ? result.findings[Number(k.slice(1, k.indexOf("|")))].status : valueStatus(k);
      b.classList.toggle("hidden", !reportShown(reportOfKey(k)) || (s !== "" && st !== s));
    });
  }
  [fReport, fKind, fStatus].forEach((el) => el.addEventListener("change", applyFilters));

  panel.querySelectorAll("#reports .fr-v[data-key]").forEach((cell) => {
    const st = statusOf[cell.dataset.key];
    if (st) cell.classList.add("s-" + st);
  });

  // --- keys and zoom ------------------------------------------------------------------------
  // j / k walk the failed checks that the filters show, in the panel's order.
  let cursor = -1;
  function step(delta) {
    const cards = Array.from(panel.querySelectorAll('.fr-finding[data-status="fail"]')).filter((c) => !c.hidden);
    if (!cards.length) return null;
    cursor = (cursor + delta + cards.length) % cards.length;
    const card = cards[cursor];
    const group = card.closest("details");
    if (group) group.open = true;
    selectFinding(card);
    card.scrollIntoView({ block: "nearest" });
    return card.dataset.finding;
  }
  document.addEventListener("keydown", (e) => {
    if (e.target.closest && e.target.closest("input, select, textarea")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j") step(1);
    else if (e.key === "k") step(-1);
  });
  // Zoom sets every page's width (the column scrolls sideways when they are wider than it).
  function zoom(factor) {
    const first = pages.querySelector(".page");
    const width = Math.max(300, Math.min(3000, Math.round(first.getBoundingClientRect().width * factor)));
    const root = document.documentElement.style;
    root.setProperty("--page-width", width + "px");
    root.setProperty("--page-max", "none");
    return width;
  }
  document.getElementById("zoom-in").addEventListener("click", () => zoom(1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(0.8));

  // For tests and for reviewers who script the page from the console.
  window.frReview = {
    select, selectFinding, correct, undo, save, applyFilters, step, zoom,
    correctedJson: () => JSON.stringify(correctedResult(), null, 2) + "\n",
    ready: true,
  };
})();
