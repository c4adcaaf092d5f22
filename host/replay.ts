// replay: every camera frame of a samples folder through checkFrame, held against the result its
// index.json expects. Per-frame records and a summary by group and by character height; the CLI
// prints them and host/report.ts turns them into an HTML page.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkFrame, type CheckFrameOptions, type FrameRead } from "./frames.ts";
import type { VerdictName } from "./index.ts";

const VERDICTS: readonly VerdictName[] = ["match", "mismatch", "unverifiable"];

/** One entry of `<dir>/index.json`. Fields beyond these are kept but not interpreted. */
export interface FrameEntry {
  file: string;                    // relative to the folder
  group: string;
  part: string;                    // the reel's part number
  printed?: string;                // what was printed on the chip
  expectedVerdict: VerdictName;
  expectedRead: string;            // trailing "_" = underlined; "" = nothing should be read
  size?: unknown;
  charHeightPx?: number;           // as rendered (the truth, not what the reader measured)
  orientation?: number;
  skewDeg?: number;
  font?: string;
  effects?: unknown;
}

/** What became of one frame. A frame that could not be checked has `error` and null results. */
export interface ReplayRecord {
  file: string;                    // as in index.json
  path: string;                    // the file on disk (folder + file)
  group: string;
  part: string;
  expectedRead: string;
  expectedVerdict: VerdictName;
  charHeightPx: number | null;     // from index.json
  text: string | null;             // null: nothing read (or error)
  verdict: VerdictName | null;     // null only with `error`
  reason: string | null;
  message: string | null;
  orientation: 0 | 90 | 180 | 270 | null;
  confidence: number | null;
  exact: boolean;                  // read exactly what is printed ("" expected and nothing read counts)
  misread: boolean;                // read something, and not what is printed
  verdictOk: boolean;              // verdict === expectedVerdict
  falseMatch: boolean;             // "match" where the expected verdict is not
  falseMismatch: boolean;          // "mismatch" where the expected verdict is not: a line stopped for nothing
  ms: number;                      // checkFrame wall time
  frame?: FrameRead;               // the reader's geometry (no hypotheses); absent with `error`
  error?: { code: string; message: string };
}

export interface ReplayStats {
  frames: number;
  exactReads: number;
  misreads: number;
  nothingRead: number;
  falseMatches: number;
  falseMismatches: number;
  verdictOk: number;
  errors: number;                  // frames that could not be checked (bad file, bad part number)
}

export interface ReplaySummary {
  dir: string;
  frames: number;
  ms: number;                      // wall time of the whole replay
  overall: ReplayStats;
  groups: Record<string, ReplayStats>;       // in order of first appearance
  /** By the index's charHeightPx: "12–13 px", "14–19 px", "20–29 px", "30–40 px" always, and
   *  "< 12 px", "> 40 px", "unknown" when some frame falls there. */
  charHeight: Record<string, ReplayStats>;
}

export interface ReplayResult { records: ReplayRecord[]; summary: ReplaySummary }

export interface ReplayOptions extends CheckFrameOptions {
  /** Called after each frame (and once with done = 0 before the first). */
  onProgress?: (done: number, total: number) => void;
}

/** The folder or its index.json is missing or malformed; `code` says which. */
export class ReplayError extends Error {
  constructor(readonly code: "no-dir" | "no-index" | "bad-index" | "bad-entry", message: string) {
    super(message);
    this.name = "ReplayError";
  }
}

/** Reads and checks `<dir>/index.json`; throws a ReplayError naming the problem. */
export function loadIndex(dir: string): FrameEntry[] {
  let isDir = false;
  try { isDir = statSync(dir).isDirectory(); } catch { /* reported below */ }
  if (!isDir) throw new ReplayError("no-dir", `replay: ${JSON.stringify(dir)} is not a folder`);
  const indexFile = join(dir, "index.json");
  let text: string;
  try {
    text = readFileSync(indexFile, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(e as Error).message})`;
    throw new ReplayError("no-index", `replay: ${JSON.stringify(indexFile)} ${why}; a frames folder holds its frames and an index.json describing them`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReplayError("bad-index", `replay: ${JSON.stringify(indexFile)} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new ReplayError("bad-index", `replay: ${JSON.stringify(indexFile)} must hold an array of frame entries`);
  data.forEach((entry, i) => checkEntry(entry, i, indexFile));
  return data as FrameEntry[];
}

function checkEntry(e: unknown, i: number, indexFile: string): void {
  const bad = (what: string): never => {
    const name = e && typeof e === "object" && typeof (e as FrameEntry).file === "string" ? ` (${JSON.stringify((e as FrameEntry).file)})` : "";
    throw new ReplayError("bad-entry", `replay: ${JSON.stringify(indexFile)} entry ${i}${name}: ${what}`);
  };
  if (!e || typeof e !== "object" || Array.isArray(e)) bad("not an object");
  const x = e as Record<string, unknown>;
  if (typeof x.file !== "string" || x.file === "") bad(`"file" must be a non-empty string`);
  if (typeof x.group !== "string") bad(`"group" must be a string`);
  if (typeof x.part !== "string" || x.part === "") bad(`"part" must be a part number`);
  if (!VERDICTS.includes(x.expectedVerdict as VerdictName)) bad(`"expectedVerdict" must be one of ${VERDICTS.join(", ")}, not ${JSON.stringify(x.expectedVerdict)}`);
  if (typeof x.expectedRead !== "string") bad(`"expectedRead" must be a string ("" when nothing should be read)`);
  if (x.charHeightPx !== undefined && (typeof x.charHeightPx !== "number" || !Number.isFinite(x.charHeightPx))) bad(`"charHeightPx" must be a number`);
}

export const CHAR_HEIGHT_BUCKETS = ["12–13 px", "14–19 px", "20–29 px", "30–40 px"] as const;

/** The character-height bucket of a height in pixels. */
export function charHeightBucket(px: number | null | undefined): string {
  if (px === null || px === undefined) return "unknown";
  if (px < 12) return "< 12 px";
  if (px < 14) return "12–13 px";
  if (px < 20) return "14–19 px";
  if (px < 30) return "20–29 px";
  if (px <= 40) return "30–40 px";
  return "> 40 px";
}

const emptyStats = (): ReplayStats => ({ frames: 0, exactReads: 0, misreads: 0, nothingRead: 0, falseMatches: 0, falseMismatches: 0, verdictOk: 0, errors: 0 });

function add(s: ReplayStats, r: ReplayRecord): void {
  s.frames++;
  if (r.error) { s.errors++; return; }
  if (r.exact) s.exactReads++;
  if (r.misread) s.misreads++;
  if (r.text === null) s.nothingRead++;
  if (r.falseMatch) s.falseMatches++;
  if (r.falseMismatch) s.falseMismatches++;
  if (r.verdictOk) s.verdictOk++;
}

/** Counts over records: overall, per group, per character-height bucket. */
export function summarize(records: readonly ReplayRecord[], dir: string, ms = 0): ReplaySummary {
  const overall = emptyStats();
  const groups: Record<string, ReplayStats> = {};
  const buckets: Record<string, ReplayStats> = {};
  for (const b of ["< 12 px", ...CHAR_HEIGHT_BUCKETS, "> 40 px", "unknown"]) buckets[b] = emptyStats();
  for (const r of records) {
    add(overall, r);
    add((groups[r.group] ??= emptyStats()), r);
    add(buckets[charHeightBucket(r.charHeightPx)], r);
  }
  const charHeight: Record<string, ReplayStats> = {};
  for (const [b, s] of Object.entries(buckets)) {
    if (s.frames > 0 || (CHAR_HEIGHT_BUCKETS as readonly string[]).includes(b)) charHeight[b] = s;
  }
  return { dir, frames: records.length, ms, overall, groups, charHeight };
}

/** Checks one entry's frame; never throws for a bad file or part number (the record has `error`). */
export async function replayEntry(dir: string, entry: FrameEntry, options: CheckFrameOptions = {}): Promise<ReplayRecord> {
  const path = join(dir, entry.file);
  const base = {
    file: entry.file, path, group: entry.group, part: entry.part,
    expectedRead: entry.expectedRead, expectedVerdict: entry.expectedVerdict,
    charHeightPx: entry.charHeightPx ?? null,
  };
  const t0 = performance.now();
  let result;
  try {
    result = await checkFrame(entry.part, path, options);
  } catch (e) {
    result = { ok: false as const, input: path, error: { code: "internal", status: -1, message: `${path}: ${(e as Error).message}` } };
  }
  const ms = performance.now() - t0;
  if (!result.ok) {
    return {
      ...base, text: null, verdict: null, reason: null, message: null, orientation: null, confidence: null,
      exact: false, misread: false, verdictOk: false, falseMatch: false, falseMismatch: false, ms,
      error: { code: result.error.code, message: result.error.message },
    };
  }
  const { hypotheses: _h, ...frame } = result.frame;
  const text = frame.text;
  return {
    ...base, text, verdict: result.verdict, reason: result.reason, message: result.message,
    orientation: frame.orientation, confidence: frame.confidence,
    exact: (text ?? "") === entry.expectedRead,
    misread: text !== null && text !== entry.expectedRead,
    verdictOk: result.verdict === entry.expectedVerdict,
    falseMatch: result.verdict === "match" && entry.expectedVerdict !== "match",
    falseMismatch: result.verdict === "mismatch" && entry.expectedVerdict !== "mismatch",
    ms, frame,
  };
}

/**
 * Replays every frame of `<dir>/index.json`, one after the other (the WASM modules are single
 * instances). Throws a ReplayError when the folder or its index is missing or malformed; a frame
 * that cannot be read is a record with `error`, never dropped.
 */
export async function replay(dir: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const entries = loadIndex(dir);
  const { onProgress, ...checkOptions } = options;
  const t0 = performance.now();
  const records: ReplayRecord[] = [];
  onProgress?.(0, entries.length);
  for (const entry of entries) {
    records.push(await replayEntry(dir, entry, checkOptions));
    onProgress?.(records.length, entries.length);
  }
  return { records, summary: summarize(records, dir, performance.now() - t0) };
}

/** Failures first: false matches, false mismatches, other wrong verdicts (errors among them), misreads, the rest. */
export type Outcome = "false-match" | "false-mismatch" | "wrong-verdict" | "error" | "misread" | "ok";

/** What became of a frame: the one classification the table, the summary and the report use. */
export function outcomeOf(r: ReplayRecord): Outcome {
  if (r.error) return "error";
  if (r.falseMatch) return "false-match";
  if (r.falseMismatch) return "false-mismatch";
  if (!r.verdictOk) return "wrong-verdict";
  if (!r.exact) return "misread";
  return "ok";
}

const RANK: Record<Outcome, number> = { "false-match": 0, "false-mismatch": 1, "wrong-verdict": 2, error: 2, misread: 3, ok: 4 };

/** Failures first: false matches, false mismatches (a line stopped for nothing), other wrong verdicts and errors, misreads. */
export function failureRank(r: ReplayRecord): number {
  return RANK[outcomeOf(r)];
}
