// The chipmark command line: a thin shell over host/index.ts. Contract (architecture.md):
// commands decode, part, verify, read, check, replay; --json prints NDJSON; exit 0 all good/match,
// 1 mismatch, 2 bad usage or invalid input, 3 could not verify.

import { relative } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  decodeMarking, parsePart, verify, type Failure, type Part, type Reading,
  type VerifyResult, type ProfileName, type Tolerance,
} from "./index.ts";
import { checkFrame, readFrame, type FrameCheck, type FrameRead } from "./frames.ts";
import { outcomeOf, replay, ReplayError, type Outcome, type ReplayRecord, type ReplayStats, type ReplaySummary } from "./replay.ts";
import { writeReport } from "./report.ts";

const HELP = `chipmark — check that the chip resistors on a reel carry the marking its part number calls for

Usage
  chipmark decode [options] <marking>...
  chipmark part [options] <part-number>...
  chipmark verify --part <part-number> [options] <marking>...
  chipmark read [options] <image>...
  chipmark check --part <part-number> [options] <image>...
  chipmark replay [options] [dir]

Commands
  decode   marking → value, format, underline, E-series, implied tolerance class
  part     part number → every datasheet fact about it and its expected marking
  verify   verdict for each OCR'd string against the reel's part number
  read     camera frame (PNG, JPEG, ...) → marking read, orientation, confidence
  check    read each frame and verify the marking against the reel's part number
  replay   every frame of a samples folder (dir/index.json; default samples/frames)
           against its expected result: verdict table, summary by group and by
           character height

Options
  --json             print one JSON object per input, one per line (NDJSON)
  --profile <name>   EIA-96 multiplier letters: tai (datasheet 7.3, H = 10^7; default)
                     or common (R = Y, S = X, H = B = 10^1)
  --part <PN>        the reel's part number, for verify and check
  --accept-3digit    verify, check: accept a 3-digit marking on a ±0.5/±1 % reel (datasheet 7.4)
  --marked-0402      0402 chips carry a marking like 0603 ones (default: unmarked)
  --report <file>    replay: also write a self-contained HTML report to <file>
  --fail-on <what>   replay: exit 1 on any unexpected "verdict" (default) or only on a "false-match"
  -h, --help         show this help

A trailing "_" writes an underline: 121_ is 121 underlined. For verify, "" means nothing was read.
With --json, replay prints one record per frame, then a final {"summary": ...} line.

Exit codes
  0  everything decoded, or every marking matches; read: every frame gave a reading;
     replay: every verdict is the expected one
  1  a marking does not match the reel; replay: a false match or another wrong verdict
  2  bad usage or invalid input (malformed marking or part number, an image that cannot
     be decoded, a replay folder without a valid index.json)
  3  could not verify (unmarked part, nothing or nothing valid read, ambiguous)

Examples
  chipmark decode 01A 4R7 121_
  chipmark decode --profile common 47R
  chipmark part RMS06FT1200 RMS10JT103
  chipmark verify --part RMS06FT1000 01A 1000 101
  chipmark verify --part RMS06FT1200 --json 121_
  chipmark read frame1.png frame2.png
  chipmark check --part RMS06FT1000 frames/*.png
  chipmark replay samples/frames --report replay.html
  chipmark replay --json > replay.ndjson
`;

const EXIT = { OK: 0, MISMATCH: 1, INVALID: 2, UNVERIFIABLE: 3 } as const;

interface Flags {
  json: boolean;
  profile: ProfileName;
  part?: string;
  accept3DigitOnPrecise: boolean;
  marked0402: boolean;
  report?: string;
  failOn: "verdict" | "false-match";
}

/** Where the terminal is: a progress bar goes to stderr only when it is a TTY. */
export interface RunIO {
  stderrIsTTY?: boolean;
  /** Writes raw text (no newline added) to stderr, for the progress bar. */
  writeErr?: (chunk: string) => void;
}

/**
 * Runs one command line; returns the exit code. Output goes through `out` and `err`.
 * decode, part and verify (and every usage error) return the number synchronously;
 * read, check and replay decode images and return a Promise.
 */
export function run(argv: string[], out: (line: string) => void, err: (line: string) => void, io: RunIO = {}): number | Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        profile: { type: "string", default: "tai" },
        part: { type: "string" },
        "accept-3digit": { type: "boolean", default: false },
        "marked-0402": { type: "boolean", default: false },
        report: { type: "string" },
        "fail-on": { type: "string", default: "verdict" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    err(`chipmark: ${(e as Error).message}\nRun "chipmark --help" for usage.`);
    return EXIT.INVALID;
  }
  const { values, positionals } = parsed;
  const [command, ...inputs] = positionals;
  if (values.help || command === undefined || command === "help") {
    out(HELP.trimEnd());
    return values.help || command === "help" ? EXIT.OK : EXIT.INVALID;
  }
  if (values.profile !== "tai" && values.profile !== "common") {
    err(`chipmark: --profile must be "tai" or "common", not "${values.profile}"`);
    return EXIT.INVALID;
  }
  const flags: Flags = {
    json: values.json,
    profile: values.profile,
    part: values.part,
    accept3DigitOnPrecise: values["accept-3digit"],
    marked0402: values["marked-0402"],
    report: values.report,
    failOn: values["fail-on"] as Flags["failOn"],
  };
  if (flags.failOn !== "verdict" && flags.failOn !== "false-match") {
    err(`chipmark: --fail-on must be "verdict" or "false-match", not "${values["fail-on"]}"`);
    return EXIT.INVALID;
  }
  if (flags.report !== undefined && command !== "replay") {
    err(`chipmark ${command}: --report applies to replay only`);
    return EXIT.INVALID;
  }
  switch (command) {
    case "decode": return need(inputs, "marking", err) ?? decodeCommand(inputs, flags, out);
    case "part": return need(inputs, "part number", err) ?? partCommand(inputs, flags, out);
    case "verify":
      if (flags.part === undefined) { err("chipmark verify: --part <part-number> is required"); return EXIT.INVALID; }
      return need(inputs, "marking", err) ?? verifyCommand(flags.part, inputs, flags, out);
    case "read": return need(inputs, "image", err) ?? readCommand(inputs, flags, out);
    case "check": {
      if (flags.part === undefined) { err("chipmark check: --part <part-number> is required"); return EXIT.INVALID; }
      const p = parsePart(flags.part, flags);
      if (!p.ok) { err(`chipmark check: ${p.error.message}`); return EXIT.INVALID; }
      return need(inputs, "image", err) ?? checkCommand(flags.part, inputs, flags, out);
    }
    case "replay":
      if (inputs.length > 1) { err(`chipmark replay: give one folder, not ${inputs.length}. Run "chipmark --help".`); return EXIT.INVALID; }
      return replayCommand(inputs[0], flags, out, err, io);
    default:
      err(`chipmark: unknown command "${command}"; commands: decode, part, verify, read, check, replay. Run "chipmark --help".`);
      return EXIT.INVALID;
  }
}

function need(inputs: string[], what: string, err: (line: string) => void): number | undefined {
  if (inputs.length > 0) return undefined;
  err(`chipmark: give at least one ${what}. Run "chipmark --help".`);
  return EXIT.INVALID;
}

// ---- decode -----------------------------------------------------------------------------------

const FORMAT_NAMES: Record<string, string> = {
  "3digit": "3 digits", "4digit": "4 digits", eia96: "EIA-96", zero: "jumper",
};

function readingLine(r: Reading): string {
  const style = r.format === "eia96" ? `EIA-96 index ${String(r.eia96Index).padStart(2, "0")}`
    : `${FORMAT_NAMES[r.format]}${r.underlined ? ", underlined" : ""}${r.rNotation ? ", R = decimal point" : ""}`;
  const series = r.eSeries.length ? r.eSeries.join(" ") : "no E-series";
  const implies = r.impliedTolerancePct ? `implies ±${r.impliedTolerancePct.join("/±")} %` : "no tolerance";
  return `${r.value.padEnd(10)} ${style.padEnd(30)} ${series.padEnd(11)} ${implies}${r.plausible ? "" : "; no part has this value"}`;
}

function decodeCommand(inputs: string[], flags: Flags, out: (line: string) => void): number {
  let code: number = EXIT.OK;
  const width = Math.max(...inputs.map((s) => JSON.stringify(s).length));
  for (const input of inputs) {
    const m = decodeMarking(input, { profile: flags.profile });
    if (!m.ok) code = EXIT.INVALID;
    if (flags.json) { out(JSON.stringify(m)); continue; }
    const name = JSON.stringify(input).padEnd(width);
    if (!m.ok) out(`${name}  error: ${m.error.message}`);
    else if (m.ambiguous) {
      out(`${name}  AMBIGUOUS under the ${flags.profile} profile, two readings:`);
      for (const r of m.readings) out(`${" ".repeat(width)}    ${readingLine(r)}`);
    } else out(`${name}  ${readingLine(m)}`);
  }
  return code;
}

// ---- part -------------------------------------------------------------------------------------

const mm = (v: number) => v.toFixed(2);
function tol(t: Tolerance): string {
  return t.plus === t.minus ? `${mm(t.nominal)} ±${mm(t.plus)}` : `${mm(t.nominal)} +${mm(t.plus)}/-${mm(t.minus)}`;
}
const TAPE_NAMES: Record<string, string> = {
  "paper-4mm": "paper tape, 4 mm pitch", "paper-2mm": "paper tape, 2 mm pitch", "embossed-4mm": "embossed tape, 4 mm pitch",
};

function partLines(p: Part): string[] {
  const e = p.expectedMarking;
  const marking = e === null ? "none defined for this value (see warnings)"
    : e.kind === "none" ? "none: this size is not marked"
    : `${e.text}  (${e.kind})`;
  const lines = [
    `${p.partNumber}  ${p.value} ±${p.tolerancePct} %, ${p.size.inch} (${p.size.metric} metric), ${p.packaging.tape ? TAPE_NAMES[p.packaging.tape] : `packaging ${p.packaging.code}`}`,
    `  expected marking   ${marking}`,
    `  power              ${p.powerW} W up to 70 °C, 0 W at ${p.derating.zeroPowerAtC} °C (linear; assumed, 5.1 figure missing)`,
  ];
  if (p.jumperRating) {
    lines.push(`  jumper             ${p.jumperRating.ratedCurrentA} A rated, ${p.jumperRating.maxOverloadCurrentA} A overload, ≤ ${p.jumperRating.maxResistanceOhms * 1000} mΩ`);
  } else {
    lines.push(`  rated voltage      ${+p.ratedV!.toPrecision(4)} V  (√(P·R), max working ${p.maxWorkingV} V, max overload ${p.maxOverloadV} V)`);
    lines.push(`  T.C.R.             ${p.tcrPpm ? (p.tcrPpm.plus === p.tcrPpm.minus ? `±${p.tcrPpm.plus}` : `+${p.tcrPpm.plus}/-${p.tcrPpm.minus}`) + " ppm/°C" : "not in the ratings table"}`);
  }
  const d = p.dimensionsMm, l = p.landPatternMm;
  lines.push(
    `  operating temp     ${p.operatingTempC.min} … +${p.operatingTempC.max} °C`,
    `  body (mm)          L ${tol(d.L)}  W ${tol(d.W)}  C ${tol(d.C)}  d ${tol(d.d)}  t ${tol(d.t)}`,
    `  land pattern (mm)  a ${mm(l.a.min)}–${mm(l.a.max)}  b ${mm(l.b.min)}–${mm(l.b.max)}  c ${mm(l.c.min)}–${mm(l.c.max)}`,
  );
  if (p.tape) {
    lines.push(`  tape               ${p.tape.widthMm} mm wide, pitch ${p.tape.pitchMm} mm, pocket ${mm(p.tape.pocketAMm)} × ${mm(p.tape.pocketBMm)} mm, ${mm(p.tape.thicknessMm)} mm thick`);
    const reels = [p.reel.pieces178mm && `178 mm reel: ${p.reel.pieces178mm} pcs`, p.reel.pieces250mm && `250 mm reel: ${p.reel.pieces250mm} pcs`].filter(Boolean);
    lines.push(`  reel               ${reels.join(", ")}  (width ${p.reel.widthMm} mm)`);
  }
  for (const w of p.warnings) lines.push(`  warning            ${w.message}`);
  return lines;
}

function partCommand(inputs: string[], flags: Flags, out: (line: string) => void): number {
  let code: number = EXIT.OK;
  for (const input of inputs) {
    const p = parsePart(input, { profile: flags.profile, marked0402: flags.marked0402 });
    if (!p.ok) code = EXIT.INVALID;
    if (flags.json) out(JSON.stringify(p));
    else if (!p.ok) out(`error: ${p.error.message}`);
    else out(partLines(p).join("\n"));
  }
  return code;
}

// ---- verify -----------------------------------------------------------------------------------

const SEVERITY: Record<string, number> = { match: 0, unverifiable: 1, mismatch: 2 };

/** The exit code for a batch of verdicts: invalid input over mismatch over unverifiable. */
function verdictExit(worst: number, invalid: boolean): number {
  if (invalid) return EXIT.INVALID;
  return worst === SEVERITY.mismatch ? EXIT.MISMATCH : worst === SEVERITY.unverifiable ? EXIT.UNVERIFIABLE : EXIT.OK;
}

function verifyCommand(part: string, inputs: string[], flags: Flags, out: (line: string) => void): number {
  let worst = -1;
  let invalid = false;
  for (const input of inputs) {
    const v: VerifyResult | Failure = verify(part, input, flags);
    if (flags.json) out(JSON.stringify(v));
    if (!v.ok) {
      invalid = true;
      if (!flags.json) out(`error: ${v.error.message}`);
      continue;
    }
    worst = Math.max(worst, SEVERITY[v.verdict]);
    if (!flags.json) out(`${JSON.stringify(input).padEnd(8)} ${v.verdict.toUpperCase().padEnd(12)} ${v.message}`);
  }
  return verdictExit(worst, invalid);
}

// ---- read -------------------------------------------------------------------------------------

/** A FrameRead as printed: the contract's `input` first, no hypotheses. */
function frameRecord(frame: FrameRead, file: string): Record<string, unknown> {
  const { hypotheses: _h, ok, file: _f, ...rest } = frame;
  return { ok, input: file, file, ...rest };
}
const failureRecord = (f: Failure, file: string) => ({ ok: false, input: file, file, error: f.error });

const textCell = (text: string | null) => (text === null ? "(nothing read)" : JSON.stringify(text));
const orientationCell = (o: number | null) => (o === null ? "-" : `${o}°`);

async function readCommand(files: string[], flags: Flags, out: (line: string) => void): Promise<number> {
  let invalid = false, nothing = false;
  const width = Math.max(...files.map((f) => f.length));
  for (const file of files) {
    const r = await readFrame(file, { profile: flags.profile });
    if (!r.ok) {
      invalid = true;
      out(flags.json ? JSON.stringify(failureRecord(r, file)) : `${file.padEnd(width)}  error: ${r.error.message}`);
      continue;
    }
    if (r.text === null) nothing = true;
    if (flags.json) out(JSON.stringify(frameRecord(r, file)));
    else out(`${file.padEnd(width)}  ${textCell(r.text).padEnd(14)}  ${orientationCell(r.orientation).padEnd(4)}  ${r.confidence.toFixed(2)}`);
  }
  return invalid ? EXIT.INVALID : nothing ? EXIT.UNVERIFIABLE : EXIT.OK;
}

// ---- check ------------------------------------------------------------------------------------

function checkRecord(c: FrameCheck, file: string): Record<string, unknown> {
  const { hypotheses: _h, ...frame } = c.frame;
  const { input: _text, frame: _frame, file: _file, ok, ...verdict } = c;
  return { ok, input: file, file, ...verdict, text: frame.text, orientation: frame.orientation, confidence: frame.confidence, frame };
}

async function checkCommand(part: string, files: string[], flags: Flags, out: (line: string) => void): Promise<number> {
  let worst = -1;
  let invalid = false;
  const width = Math.max(...files.map((f) => f.length));
  for (const file of files) {
    const c = await checkFrame(part, file, flags);
    if (!c.ok) {
      invalid = true;
      out(flags.json ? JSON.stringify(failureRecord(c, file)) : `${file.padEnd(width)}  error: ${c.error.message}`);
      continue;
    }
    worst = Math.max(worst, SEVERITY[c.verdict]);
    if (flags.json) out(JSON.stringify(checkRecord(c, file)));
    else out(`${file.padEnd(width)}  ${JSON.stringify(c.frame.text ?? "").padEnd(8)} ${c.verdict.toUpperCase().padEnd(12)} ${c.message}`);
  }
  return verdictExit(worst, invalid);
}

// ---- replay -----------------------------------------------------------------------------------

/** The samples folder replay uses without an argument: samples/frames of this package. */
export const DEFAULT_FRAMES_DIR = fileURLToPath(new URL("../samples/frames", import.meta.url));

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

const OUTCOME_CELLS: Record<Outcome, string> = {
  error: "ERROR", "false-match": "FALSE MATCH", "false-mismatch": "FALSE MISMATCH", "wrong-verdict": "WRONG VERDICT", misread: "ok (misread)", ok: "ok",
};

const share = (n: number, of: number) => (of === 0 ? `${n}` : `${n} (${((100 * n) / of).toFixed(1)} %)`);
const statsCells = (s: ReplayStats) => [
  String(s.frames), share(s.exactReads, s.frames), String(s.misreads), String(s.nothingRead),
  String(s.falseMatches), String(s.falseMismatches), share(s.verdictOk, s.frames), String(s.errors),
];
const STATS_HEAD = ["frames", "exact reads", "misreads", "nothing read", "false matches", "false mismatches", "verdicts ok", "errors"];

function replayLines(records: ReplayRecord[], summary: ReplaySummary): string[] {
  const rows = [["file", "group", "part", "expected", "read", "verdict", "reason", "want", "conf", "result"]];
  for (const r of records) {
    rows.push([
      r.file, r.group, r.part, r.expectedRead === "" ? "(none)" : r.expectedRead,
      r.error ? "-" : r.text === null ? "(nothing)" : JSON.stringify(r.text),
      r.verdict ? r.verdict.toUpperCase() : "-", r.error ? r.error.code : r.reason ?? "",
      r.expectedVerdict, r.confidence === null ? "-" : r.confidence.toFixed(2), OUTCOME_CELLS[outcomeOf(r)],
    ]);
  }
  const lines = table(rows);
  const errors = records.filter((r) => r.error);
  if (errors.length) lines.push("", "errors:", ...errors.map((r) => `  ${r.file}: ${r.error!.message}`));
  lines.push("", ...table([["group", ...STATS_HEAD], ...Object.entries(summary.groups).map(([g, s]) => [g, ...statsCells(s)]), ["all", ...statsCells(summary.overall)]]));
  lines.push("", ...table([["char height", ...STATS_HEAD], ...Object.entries(summary.charHeight).map(([b, s]) => [b, ...statsCells(s)])]));
  const o = summary.overall;
  const wrong = o.frames - o.verdictOk;
  lines.push("", `${o.frames} frames in ${(summary.ms / 1000).toFixed(2)} s: ${o.verdictOk} verdicts as expected, ${wrong} not`
    + ` (${o.falseMatches} false matches, ${o.falseMismatches} false mismatches, ${o.errors} errors); ${o.exactReads} exact reads, ${o.misreads} misreads.`);
  return lines;
}

function progressBar(io: RunIO): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTTY || !io.writeErr) return undefined;
  const write = io.writeErr;
  return (done, total) => {
    if (total <= 20) return;
    const width = 30, filled = Math.round((width * done) / total);
    write(done === total ? "\r\x1b[K" : `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} frames`);
  };
}

async function replayCommand(dirArg: string | undefined, flags: Flags, out: (line: string) => void, err: (line: string) => void, io: RunIO): Promise<number> {
  const near = relative(process.cwd(), DEFAULT_FRAMES_DIR);
  const dir = dirArg ?? (near === "" ? "." : near.startsWith("..") ? DEFAULT_FRAMES_DIR : near);
  let result;
  try {
    result = await replay(dir, { ...flags, onProgress: progressBar(io) });
  } catch (e) {
    if (e instanceof ReplayError) { err(`chipmark ${e.message}`); return EXIT.INVALID; }
    throw e;
  }
  const { records, summary } = result;
  if (flags.json) {
    for (const r of records) {
      const { path: _path, ...rest } = r;
      out(JSON.stringify({ ok: !r.error, input: r.file, ...rest }));
    }
    out(JSON.stringify({ summary }));
  } else {
    for (const line of replayLines(records, summary)) out(line);
  }
  if (flags.report !== undefined) {
    try {
      await writeReport(records, summary, flags.report);
    } catch (e) {
      err(`chipmark replay: cannot write the report ${JSON.stringify(flags.report)}: ${(e as Error).message}`);
      return EXIT.INVALID;
    }
    (flags.json ? err : out)(`report written to ${flags.report}`);
  }
  if (summary.overall.errors > 0) return EXIT.INVALID;
  const failed = flags.failOn === "false-match" ? records.some((r) => r.falseMatch) : records.some((r) => r.falseMatch || !r.verdictOk);
  return failed ? EXIT.MISMATCH : EXIT.OK;
}

/** The program: arguments from the process, exit code through process.exitCode. */
export function main(): void {
  // A reader that stops reading (`chipmark replay | head`) closes the pipe: stop quietly, with
  // "could not verify" (the output was not all delivered), not with an unhandled stream error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
      process.exit(EXIT.UNVERIFIABLE);
    });
  }
  const code = run(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l), {
    stderrIsTTY: process.stderr.isTTY === true,
    writeErr: (chunk) => process.stderr.write(chunk),
  });
  if (typeof code === "number") { process.exitCode = code; return; }
  code.then(
    (c) => { process.exitCode = c; },
    (e: unknown) => {
      // A crash is not a verdict: never let it look like a mismatch (1) or a pass (0).
      console.error(`chipmark: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = EXIT.UNVERIFIABLE;
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
