// The replay report: one self-contained HTML page (inline CSS, frames embedded as data: URIs, no
// script, no external resource). Summary tables on top, then one card per frame, failures first,
// each with the reader's geometry drawn over the image.

import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import type { FrameRead, Quad } from "./frames.ts";
import { failureRank, outcomeOf, type Outcome, type ReplayRecord, type ReplayStats, type ReplaySummary } from "./replay.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML content and attribute values. */
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const MIN_WIDTH = 192;
const MAX_WIDTH = 512;

const CSS = `
:root { --ok: #1a7f37; --bad: #c62828; --warn: #b26a00; --muted: #666; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { margin: 0 0 4px; font-size: 22px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0 0 16px; }
table.stats { border-collapse: collapse; margin: 8px 24px 8px 0; background: #fff; display: inline-table; vertical-align: top; }
table.stats th, table.stats td { border: 1px solid var(--line); padding: 3px 8px; text-align: right; white-space: nowrap; }
table.stats th:first-child, table.stats td:first-child { text-align: left; }
table.stats tr.overall td { font-weight: 600; background: #f2f2f2; }
td.bad { color: var(--bad); font-weight: 600; } td.pct { color: var(--muted); }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--ok); border-radius: 4px; padding: 10px; display: flex; gap: 12px; width: 640px; max-width: 100%; }
.card.false-match { border-left-color: #8b0000; background: #fff3f3; }
.card.false-mismatch, .card.wrong-verdict, .card.error { border-left-color: var(--bad); }
.card.false-mismatch { background: #fff8f0; }
.card.misread { border-left-color: var(--warn); }
.card h3 { margin: 0 0 6px; font-size: 14px; word-break: break-all; }
.tag { display: inline-block; font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 3px; color: #fff; background: var(--ok); margin-right: 6px; }
.false-match .tag { background: #8b0000; } .false-mismatch .tag, .wrong-verdict .tag, .error .tag { background: var(--bad); } .misread .tag { background: var(--warn); }
.pic { position: relative; flex: none; background: #000; }
.pic img { display: block; width: 100%; height: 100%; image-rendering: pixelated; }
.pic svg { position: absolute; left: 0; top: 0; width: 100%; height: 100%; overflow: visible; }
.pic polygon { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.pic .body { stroke: #00e5ff; } .pic .glyph { stroke: #ffd600; fill: rgba(255, 214, 0, 0.08); pointer-events: all; }
.pic .glyph:hover { fill: rgba(255, 214, 0, 0.35); } .pic .underline { stroke: #ff4081; }
.nopic { flex: none; width: ${MIN_WIDTH}px; min-height: 96px; display: flex; align-items: center; justify-content: center; background: #eee; color: var(--muted); font-size: 12px; text-align: center; padding: 8px; }
.info table { border-collapse: collapse; } .info th { text-align: left; color: var(--muted); font-weight: normal; padding: 1px 10px 1px 0; vertical-align: top; } .info td { padding: 1px 0; }
.info td.diff { color: var(--bad); font-weight: 600; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
.glyphs code { display: inline-block; border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; margin: 2px 2px 0 0; cursor: help; background: #fffbe6; }
.message { color: var(--muted); font-size: 12px; margin-top: 4px; }
`;

const pct = (n: number, of: number) => (of === 0 ? "–" : `${((100 * n) / of).toFixed(1)} %`);

function statsRow(name: string, s: ReplayStats, cls = ""): string {
  const bad = (n: number) => `<td${n > 0 ? ' class="bad"' : ""}>${n}</td>`;
  return `<tr${cls ? ` class="${cls}"` : ""}><td>${esc(name)}</td><td>${s.frames}</td>`
    + `<td>${s.exactReads}</td><td class="pct">${pct(s.exactReads, s.frames)}</td>`
    + `${bad(s.misreads)}<td>${s.nothingRead}</td>${bad(s.falseMatches)}${bad(s.falseMismatches)}`
    + `<td>${s.verdictOk}</td><td class="pct">${pct(s.verdictOk, s.frames)}</td>${bad(s.errors)}</tr>`;
}

function statsTable(first: string, rows: [string, ReplayStats][], overall?: ReplayStats): string {
  const head = `<tr><th>${esc(first)}</th><th>frames</th><th colspan="2">exact reads</th><th>misreads</th><th>nothing read</th>`
    + `<th>false matches</th><th>false mismatches</th><th colspan="2">verdicts as expected</th><th>errors</th></tr>`;
  const body = rows.map(([name, s]) => statsRow(name, s)).join("\n");
  return `<table class="stats">\n<thead>${head}</thead>\n<tbody>\n${overall ? statsRow("all frames", overall, "overall") + "\n" : ""}${body}\n</tbody></table>`;
}

const points = (q: Quad) => q.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join(" ");

function candidatesTitle(g: FrameRead["glyphs"][number], i: number): string {
  return `glyph ${i + 1}: ` + g.candidates.map((c) => `${c.char} ${c.p.toFixed(3)}`).join(", ");
}

function overlay(frame: FrameRead): string {
  const { width, height } = frame.size;
  const parts: string[] = [];
  if (frame.body) parts.push(`<polygon class="body" points="${points(frame.body)}"><title>chip body</title></polygon>`);
  frame.glyphs.forEach((g, i) => parts.push(`<polygon class="glyph" points="${points(g.quad)}"><title>${esc(candidatesTitle(g, i))}</title></polygon>`));
  if (frame.underline) parts.push(`<polygon class="underline" points="${points(frame.underline)}"><title>underline</title></polygon>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none">${parts.join("")}</svg>`;
}

const BROWSER_TYPES: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

/** The frame file as a data: URI a browser shows (other formats are converted to PNG), or null. */
async function dataUri(path: string): Promise<string | null> {
  let bytes: Buffer;
  try { bytes = readFileSync(path); } catch { return null; }
  if (bytes.length === 0) return null;
  try {
    const meta = await sharp(bytes).metadata();
    const type = meta.format ? BROWSER_TYPES[meta.format] : undefined;
    if (type) return `data:${type};base64,${bytes.toString("base64")}`;
    const png = await sharp(bytes).png().toBuffer();
    return `data:image/png;base64,${png.toString("base64")}`;
  } catch {
    return null;
  }
}

const TAGS: Record<Outcome, string> = { "false-match": "FALSE MATCH", "false-mismatch": "FALSE MISMATCH", "wrong-verdict": "WRONG VERDICT", error: "ERROR", misread: "MISREAD", ok: "OK" };

const shown = (text: string | null, none = "nothing read") => (text === null || text === "" ? `<i>${none}</i>` : `<code>${esc(text)}</code>`);

async function card(r: ReplayRecord, index: number): Promise<string> {
  const k = outcomeOf(r);
  let pic: string;
  const uri = r.frame ? await dataUri(r.path) : null;
  if (r.frame && uri) {
    const { width, height } = r.frame.size;
    const w = width < MIN_WIDTH ? width * Math.ceil(MIN_WIDTH / width) : Math.min(width, MAX_WIDTH);
    const h = Math.round((height * w) / width);
    pic = `<div class="pic" style="width:${w}px;height:${h}px"><img src="${uri}" width="${w}" height="${h}" alt="${esc(r.file)}">${overlay(r.frame)}</div>`;
  } else {
    pic = `<div class="nopic">${r.error ? "could not be read" : "image not available"}</div>`;
  }
  const rows: string[] = [];
  const row = (name: string, value: string, diff = false) => rows.push(`<tr><th>${esc(name)}</th><td${diff ? ' class="diff"' : ""}>${value}</td></tr>`);
  if (r.error) {
    row("error", `<code>${esc(r.error.code)}</code> ${esc(r.error.message)}`, true);
    row("expected read", shown(r.expectedRead, "nothing"));
    row("expected verdict", esc(r.expectedVerdict));
  } else {
    row("read", shown(r.text), !r.exact);
    row("expected read", shown(r.expectedRead, "nothing"));
    row("verdict", `${esc(r.verdict)} <span class="message">(${esc(r.reason)})</span>`, !r.verdictOk);
    row("expected verdict", esc(r.expectedVerdict));
    row("confidence", r.confidence === null ? "–" : r.confidence.toFixed(3));
    row("orientation", r.orientation === null ? "–" : `${r.orientation}°`);
    if (r.frame?.runnerUp) row("runner-up", `<code>${esc(r.frame.runnerUp)}</code>`);
    // What the confidence caps and the possible-underline rule look at.
    if (r.frame?.text) {
      row("print left out", `${Math.round(100 * r.frame.unexplainedInk)} %`, r.frame.unexplainedInk > 0.1);
      row("underline evidence", `${Math.round(100 * r.frame.underlineEvidence)} %${r.frame.underline ? " (found)" : ""}`);
      if (r.frame.printBlur !== null) row("print blur", `σ ${(100 * r.frame.printBlur).toFixed(1)} % of the character height`);
    }
  }
  row("part", `<code>${esc(r.part)}</code>`);
  row("group", esc(r.group));
  const measured = r.frame?.charHeightPx;
  row("char height", `${r.charHeightPx === null ? "–" : `${esc(r.charHeightPx)} px`}${measured != null ? ` <span class="message">(measured ${measured.toFixed(1)} px)</span>` : ""}`);
  row("time", `${r.ms.toFixed(1)} ms`);
  const glyphs = r.frame && r.frame.glyphs.length
    ? `<div class="glyphs">${r.frame.glyphs.map((g, i) => `<code title="${esc(candidatesTitle(g, i))}">${esc(g.candidates[0]?.char ?? "?")}</code>`).join("")}</div>`
    : "";
  const message = r.message ? `<div class="message">${esc(r.message)}</div>` : "";
  return `<article class="card ${k}" id="frame-${index}" data-file="${esc(r.file)}">${pic}<div class="info">`
    + `<h3><span class="tag">${TAGS[k]}</span>${esc(r.file)}</h3><table>${rows.join("")}</table>${glyphs}${message}</div></article>`;
}

/** The report as an HTML string. */
export async function renderReport(records: readonly ReplayRecord[], summary: ReplaySummary): Promise<string> {
  const order = records.map((r, i) => ({ r, i })).sort((a, b) => failureRank(a.r) - failureRank(b.r) || a.i - b.i);
  const cards: string[] = [];
  for (const { r, i } of order) cards.push(await card(r, i));
  const o = summary.overall;
  const failures = records.filter((r) => r.error || !r.verdictOk).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chipmark replay — ${esc(summary.dir)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>chipmark replay</h1>
<p class="meta">${esc(summary.dir)} · ${summary.frames} frames · ${o.verdictOk} verdicts as expected, ${failures} not`
  + ` (${o.falseMatches} false matches, ${o.falseMismatches} false mismatches, ${o.errors} errors) · ${o.exactReads} exact reads · ${(summary.ms / 1000).toFixed(2)} s</p>
<section class="summary">
<h2>By group</h2>
${statsTable("group", Object.entries(summary.groups), o)}
<h2>By character height</h2>
${statsTable("char height", Object.entries(summary.charHeight))}
</section>
<h2>Frames, failures first</h2>
<p class="legend"><span><i style="background:#00e5ff"></i>chip body</span><span><i style="background:#ffd600"></i>glyph (hover: candidates)</span><span><i style="background:#ff4081"></i>underline</span></p>
<div class="cards">
${cards.join("\n")}
</div>
</body>
</html>
`;
}

/** Writes the replay report to `outFile`: one self-contained HTML page. */
export async function writeReport(records: readonly ReplayRecord[], summary: ReplaySummary, outFile: string): Promise<void> {
  const html = await renderReport(records, summary);
  writeFileSync(outFile, html);
}
