// Plumbing of read, check and replay (CLI and host/replay.ts, host/report.ts) on a tiny fixture
// rendered here. Nothing below depends on what the reader reads: only on records, counts, exit
// codes, error records for bad files and the report's structure.

import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, type RunIO } from "../host/cli.ts";
import { charHeightBucket, failureRank, replay, ReplayError, summarize, type FrameEntry, type ReplayRecord } from "../host/replay.ts";

let root: string;       // temp folder
let dir: string;        // the fixture frames folder
let entries: FrameEntry[];

function chip(text: string, { underline = false, width = 128, height = 96 } = {}): string {
  const x = (width - 90) / 2, y = (height - 55) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="${width}" height="${height}" fill="#2e6b3a"/>
<rect x="${x}" y="${y}" width="90" height="55" rx="4" fill="#1c1c1c"/>
<rect x="${x}" y="${y}" width="12" height="55" fill="#c8c8c8"/><rect x="${x + 78}" y="${y}" width="12" height="55" fill="#c8c8c8"/>
<text x="${width / 2}" y="${y + 36}" font-family="DejaVu Sans Mono" font-size="24" fill="#fff" text-anchor="middle">${text}</text>
${underline ? `<rect x="${width / 2 - 20}" y="${y + 42}" width="40" height="3" fill="#fff"/>` : ""}</svg>`;
}

const entry = (file: string, group: string, part: string, printed: string, expectedVerdict: FrameEntry["expectedVerdict"], expectedRead: string, charHeightPx: number): FrameEntry =>
  ({ file, group, part, printed, expectedVerdict, expectedRead, size: "0603", charHeightPx, orientation: 0, skewDeg: 0, font: "DejaVu Sans Mono", effects: [] });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "chipmark-replay-"));
  dir = join(root, "frames");
  mkdirSync(join(dir, "sub"), { recursive: true });
  await sharp(Buffer.from(chip("01A"))).png().toFile(join(dir, "01A.png"));
  await sharp(Buffer.from(chip("121", { underline: true }))).png().toFile(join(dir, "sub", "121u.png"));
  await sharp(Buffer.from(chip("102", { width: 120, height: 80 }))).jpeg().toFile(join(dir, "102.jpg"));
  await sharp({ create: { width: 96, height: 64, channels: 3, background: "#2e6b3a" } }).png().toFile(join(dir, "empty-board.png"));
  writeFileSync(join(dir, "text.png"), "this is not a PNG\n");
  writeFileSync(join(dir, "zero.png"), "");
  entries = [
    entry("01A.png", "plain", "RMS06FT1000", "01A", "match", "01A", 17),
    entry("sub/121u.png", "underlined", "RMS06FT1200", "121_", "match", "121_", 17),
    entry("102.jpg", "plain", "RMS06JT102", "102", "match", "102", 17),
    entry("01A.png", "wrong part <&>", "RMS06JT102", "01A", "mismatch", "01A", 13),
    entry("empty-board.png", "nothing", "RMS06FT1000", "", "unverifiable", "", 24),
    entry("text.png", "bad files", "RMS06FT1000", "01A", "match", "01A", 12),
    entry("zero.png", "bad files", "RMS06FT1000", "01A", "match", "01A", 35),
    entry("missing.png", "bad files", "RMS06FT1000", "01A", "match", "01A", 50),
  ];
  writeFileSync(join(dir, "index.json"), JSON.stringify(entries, null, 2));
});

afterAll(() => { if (root) rmSync(root, { recursive: true, force: true }); });

async function cli(args: string[], io?: RunIO) {
  const out: string[] = [], err: string[] = [];
  const code = await run(args, (l) => out.push(l), (l) => err.push(l), io);
  const lines = out.join("\n").split("\n").filter((l) => l !== "");
  return { code, out: out.join("\n"), err: err.join("\n"), lines, json: () => lines.map((l) => JSON.parse(l)) };
}
const f = (name: string) => join(dir, name);

describe("read", () => {
  it("--json: one record per image with the contract's fields, bad files as error records, exit 2", async () => {
    const files = [f("01A.png"), f("text.png"), f("102.jpg"), f("zero.png"), f("missing.png")];
    const r = await cli(["read", "--json", ...files]);
    expect(r.code).toBe(2);
    const recs = r.json();
    expect(recs.map((x) => x.file)).toEqual(files);
    expect(recs.map((x) => x.input)).toEqual(files);
    expect(recs.map((x) => x.ok)).toEqual([true, false, true, false, false]);
    for (const x of [recs[0], recs[2]]) {
      expect(Object.keys(x)).toEqual(expect.arrayContaining(["file", "text", "orientation", "confidence", "body", "glyphs", "size"]));
      expect(x.text === null || typeof x.text === "string").toBe(true);
      expect([null, 0, 90, 180, 270]).toContain(x.orientation);
      expect(x.confidence).toBeGreaterThanOrEqual(0);
      expect(x.confidence).toBeLessThanOrEqual(1);
      expect(x).not.toHaveProperty("hypotheses");
    }
    expect(recs[2].size).toMatchObject({ width: 120, height: 80 });
    // A text file named .png and an empty file are not images; a missing file says so.
    expect([recs[1], recs[3], recs[4]].map((x) => x.error.code)).toEqual(["image-format", "image-format", "image-missing"]);
    for (const x of [recs[1], recs[3], recs[4]]) expect(x.error.message).toContain(x.file);
  });

  it("readable output: one line per image, file first; exit 0 or 3 for good images only", async () => {
    const r = await cli(["read", f("01A.png"), f("empty-board.png")]);
    expect([0, 3]).toContain(r.code);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0].startsWith(f("01A.png"))).toBe(true);
    const nothing = (await cli(["read", "--json", f("01A.png"), f("empty-board.png")])).json().some((x) => x.text === null);
    expect(r.code).toBe(nothing ? 3 : 0);
  });

  it("bad usage exits 2", async () => {
    expect((await cli(["read"])).code).toBe(2);
    expect((await cli(["read", "--report", join(root, "x.html"), f("01A.png")])).code).toBe(2);
  });
});

describe("check", () => {
  const severity = (vs: string[]) => (vs.includes("mismatch") ? 1 : vs.includes("unverifiable") ? 3 : 0);

  it("--json: verdict records with input = file, text, orientation, confidence; the exit code follows the verdicts", async () => {
    const files = [f("01A.png"), f("sub/121u.png"), f("102.jpg")];
    const r = await cli(["check", "--json", "--part", "RMS06FT1000", ...files]);
    const recs = r.json();
    expect(recs.map((x) => [x.input, x.file, x.ok, x.part])).toEqual(files.map((file) => [file, file, true, "RMS06FT1000"]));
    for (const x of recs) {
      expect(["match", "mismatch", "unverifiable"]).toContain(x.verdict);
      expect(typeof x.reason).toBe("string");
      expect(x).toHaveProperty("text");
      expect(x).toHaveProperty("orientation");
      expect(typeof x.confidence).toBe("number");
      expect(x.expectedMarking).toMatchObject({ text: "01A" });
    }
    expect(r.code).toBe(severity(recs.map((x) => x.verdict)));
    const plain = await cli(["check", "--part", "RMS06FT1000", ...files]);
    expect(plain.code).toBe(r.code);
    expect(plain.lines).toHaveLength(3);
    plain.lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^${files[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+".*"\\s+(MATCH|MISMATCH|UNVERIFIABLE)\\s`)));
  });

  it("a bad image makes it exit 2, after the other frames", async () => {
    const r = await cli(["check", "--json", "--part", "RMS06FT1000", f("text.png"), f("01A.png")]);
    expect(r.code).toBe(2);
    const [bad, good] = r.json();
    expect(bad).toMatchObject({ ok: false, file: f("text.png"), error: { code: "image-format" } });
    expect(good).toMatchObject({ ok: true, file: f("01A.png") });
  });

  it("exit 2 without --part, with a bad part number, or without images", async () => {
    expect((await cli(["check", f("01A.png")])).code).toBe(2);
    const bad = await cli(["check", "--part", "XMS06FT1000", f("01A.png")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("XMS06FT1000");
    expect((await cli(["check", "--part", "RMS06FT1000"])).code).toBe(2);
  });
});

describe("replay", () => {
  it("accounts for every frame of index.json, bad files included, and writes the report", async () => {
    const report = join(root, "report.html");
    const r = await cli(["replay", dir, "--report", report]);
    expect(r.code).toBe(2); // some frames could not be read
    const table = r.lines.slice(2, 2 + entries.length);
    expect(table.map((l) => l.split(/\s+/)[0])).toEqual(entries.map((e) => e.file));
    expect(table.filter((l) => l.endsWith("ERROR"))).toHaveLength(3);
    expect(r.out).toMatch(/^group\s+frames\s+exact reads/m);
    expect(r.out).toMatch(/^char height\s+frames/m);
    for (const bucket of ["12–13 px", "14–19 px", "20–29 px", "30–40 px", "> 40 px"]) expect(r.out).toContain(bucket);
    expect(r.out).toContain(`${entries.length} frames in`);

    const html = readFileSync(report, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<article class="card /g)).toHaveLength(entries.length);
    expect(html).toContain("<svg");
    expect(html).toContain("<polygon class=\"body\"");
    expect(html).toContain("data:image/png;base64,");
    expect(html).toContain("data:image/jpeg;base64,");
    expect(html).toContain("image-rendering: pixelated");
    expect(html).not.toMatch(/<script|<link|src="(?!data:)|url\(/i);
    expect(html).toContain("wrong part &lt;&amp;&gt;");
    expect(html).not.toContain("wrong part <&>");
    // failures first: the cards' order never goes back to a worse failure class
    const cards = [...html.matchAll(/<article class="card ([a-z-]+)"/g)].map((m) => m[1]);
    const rank: Record<string, number> = { "false-match": 0, "false-mismatch": 1, "wrong-verdict": 2, error: 2, misread: 3, ok: 4 };
    expect(cards.map((c) => rank[c])).toEqual([...cards.map((c) => rank[c])].sort((a, b) => a - b));
    expect(cards.filter((c) => c === "error")).toHaveLength(3);
  });

  it("--json: one record per frame, then a summary line", async () => {
    const r = await cli(["replay", "--json", dir]);
    expect(r.code).toBe(2);
    const recs = r.json();
    expect(recs).toHaveLength(entries.length + 1);
    const last = recs.at(-1);
    expect(Object.keys(last)).toEqual(["summary"]);
    expect(last.summary.frames).toBe(entries.length);
    expect(last.summary.overall).toMatchObject({ frames: entries.length, errors: 3 });
    expect(Object.keys(last.summary.groups)).toEqual(["plain", "underlined", "wrong part <&>", "nothing", "bad files"]);
    expect(last.summary.groups.plain.frames).toBe(2);
    expect(Object.keys(last.summary.charHeight)).toEqual(["12–13 px", "14–19 px", "20–29 px", "30–40 px", "> 40 px"]);
    const frames = recs.slice(0, -1);
    expect(frames.map((x) => x.file)).toEqual(entries.map((e) => e.file));
    for (const x of frames) {
      for (const k of ["input", "ok", "file", "group", "part", "expectedRead", "expectedVerdict", "text", "verdict", "reason", "orientation", "confidence", "exact", "verdictOk", "falseMatch", "falseMismatch", "ms"]) {
        expect(x, `${x.file} has ${k}`).toHaveProperty(k);
      }
      expect(x.exact).toBe(x.error === undefined && (x.text ?? "") === x.expectedRead);
      expect(x.verdictOk).toBe(x.verdict === x.expectedVerdict);
      expect(x.falseMatch).toBe(x.verdict === "match" && x.expectedVerdict !== "match");
      expect(x.falseMismatch).toBe(x.verdict === "mismatch" && x.expectedVerdict !== "mismatch");
    }
    expect(frames.filter((x) => x.error).map((x) => x.file)).toEqual(["text.png", "zero.png", "missing.png"]);
    expect(frames.filter((x) => x.error).every((x) => x.ok === false && x.verdict === null && !x.verdictOk)).toBe(true);
  });

  it("exit 0 or 1 by the verdicts when every frame can be read; a progress bar only on a TTY over 20 frames", async () => {
    const good = join(root, "good");
    mkdirSync(good);
    writeFileSync(join(good, "f.png"), readFileSync(f("01A.png")));
    const many = Array.from({ length: 21 }, (_, i) => entry("f.png", `g${i % 2}`, "RMS06FT1000", "01A", "match", "01A", 17));
    writeFileSync(join(good, "index.json"), JSON.stringify(many));
    const chunks: string[] = [];
    const r = await cli(["replay", "--json", good], { stderrIsTTY: true, writeErr: (c) => chunks.push(c) });
    const recs = r.json().slice(0, -1);
    expect(recs).toHaveLength(21);
    expect(r.code).toBe(recs.every((x) => x.verdictOk) ? 0 : 1);
    expect(chunks.some((c) => c.includes("21 frames"))).toBe(true);
    expect(chunks.at(-1)).toBe("\r\x1b[K");
    const quiet: string[] = [];
    await cli(["replay", "--json", good], { stderrIsTTY: false, writeErr: (c) => quiet.push(c) });
    expect(quiet).toEqual([]);
  });

  it("a missing folder, a missing or malformed index.json exits 2 with a clear message", async () => {
    const none = await cli(["replay", join(root, "nope")]);
    expect([none.code, none.err]).toEqual([2, expect.stringContaining("is not a folder")]);
    const empty = join(root, "empty");
    mkdirSync(empty);
    const noIndex = await cli(["replay", empty]);
    expect([noIndex.code, noIndex.err]).toEqual([2, expect.stringContaining("index.json\" does not exist")]);
    writeFileSync(join(empty, "index.json"), "{ not json");
    expect((await cli(["replay", empty])).err).toContain("not valid JSON");
    writeFileSync(join(empty, "index.json"), JSON.stringify({ frames: [] }));
    expect((await cli(["replay", empty])).err).toContain("array");
    writeFileSync(join(empty, "index.json"), JSON.stringify([entries[0], { ...entries[1], expectedVerdict: "maybe" }]));
    const badEntry = await cli(["replay", empty]);
    expect(badEntry.code).toBe(2);
    expect(badEntry.err).toMatch(/entry 1 \("sub\/121u\.png"\): "expectedVerdict" must be one of match, mismatch, unverifiable/);
    expect((await cli(["replay", dir, empty])).code).toBe(2);
  });
});

describe("replay() and summarize()", () => {
  it("reports progress and throws a ReplayError for a bad folder", async () => {
    const seen: [number, number][] = [];
    const { records, summary } = await replay(dir, { onProgress: (d, t) => seen.push([d, t]) });
    expect(records).toHaveLength(entries.length);
    expect(summary.overall.frames).toBe(entries.length);
    expect(seen[0]).toEqual([0, entries.length]);
    expect(seen.at(-1)).toEqual([entries.length, entries.length]);
    expect(seen).toHaveLength(entries.length + 1);
    await expect(replay(join(root, "nope"))).rejects.toBeInstanceOf(ReplayError);
  });

  it("counts exact reads, misreads, false matches, false mismatches and verdicts per group and char-height bucket", () => {
    const rec = (group: string, h: number, text: string | null, expectedRead: string, verdict: ReplayRecord["verdict"], expectedVerdict: ReplayRecord["expectedVerdict"], error = false): ReplayRecord => ({
      file: "x", path: "x", group, part: "RMS06FT1000", expectedRead, expectedVerdict, charHeightPx: h,
      text, verdict, reason: null, message: null, orientation: null, confidence: null,
      exact: !error && (text ?? "") === expectedRead, misread: text !== null && text !== expectedRead,
      verdictOk: verdict === expectedVerdict, falseMatch: verdict === "match" && expectedVerdict !== "match",
      falseMismatch: verdict === "mismatch" && expectedVerdict !== "mismatch", ms: 1,
      ...(error ? { error: { code: "image", message: "bad" } } : {}),
    });
    const s = summarize([
      rec("a", 12, "01A", "01A", "match", "match"),
      rec("a", 15, "01B", "01A", "match", "mismatch"),
      rec("b", 25, null, "", "unverifiable", "unverifiable"),
      rec("b", 25, "01B", "01A", "mismatch", "match"),
      rec("b", 40, null, "01A", null, "match", true),
    ], "d");
    expect(s.overall).toEqual({ frames: 5, exactReads: 2, misreads: 2, nothingRead: 1, falseMatches: 1, falseMismatches: 1, verdictOk: 2, errors: 1 });
    expect(s.groups.a).toEqual({ frames: 2, exactReads: 1, misreads: 1, nothingRead: 0, falseMatches: 1, falseMismatches: 0, verdictOk: 1, errors: 0 });
    expect(s.groups.b).toMatchObject({ frames: 3, falseMismatches: 1, verdictOk: 1 });
    expect(Object.keys(s.charHeight)).toEqual(["12–13 px", "14–19 px", "20–29 px", "30–40 px"]);
    expect(s.charHeight["30–40 px"].errors).toBe(1);
    expect([11, 12, 13, 14, 19, 20, 29, 30, 40, 41].map(charHeightBucket)).toEqual(
      ["< 12 px", "12–13 px", "12–13 px", "14–19 px", "14–19 px", "20–29 px", "20–29 px", "30–40 px", "30–40 px", "> 40 px"]);
    expect(failureRank(rec("a", 15, "01B", "01A", "match", "mismatch"))).toBe(0);
    // A line stopped for a chip that was right comes next, before an unsure verdict.
    expect(failureRank(rec("b", 25, "01B", "01A", "mismatch", "match"))).toBeLessThan(failureRank(rec("b", 25, null, "01A", "unverifiable", "match")));
  });
});

describe("usage", () => {
  it("--help documents read, check and replay", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("chipmark read [options] <image>...");
    expect(r.out).toContain("chipmark check --part <part-number>");
    expect(r.out).toContain("chipmark replay [options] [dir]");
    expect(r.out).toContain("--report <file>");
  });
});
