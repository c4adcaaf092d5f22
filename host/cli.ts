// The chipmark command line: a thin shell over host/index.ts. Contract (architecture.md):
// commands decode, part, verify; --json prints NDJSON; exit 0 all good/match, 1 mismatch,
// 2 bad usage or invalid input, 3 could not verify.

import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import {
  decodeMarking, parsePart, verify, type Failure, type Part, type Reading,
  type VerifyResult, type ProfileName, type Tolerance,
} from "./index.ts";

const HELP = `chipmark — check that the chip resistors on a reel carry the marking its part number calls for

Usage
  chipmark decode [options] <marking>...
  chipmark part [options] <part-number>...
  chipmark verify --part <part-number> [options] <marking>...

Options
  --json             print one JSON object per input, one per line (NDJSON)
  --profile <name>   EIA-96 multiplier letters: tai (datasheet 7.3, H = 10^7; default)
                     or common (R = Y, S = X, H = B = 10^1)
  --part <PN>        the reel's part number, for verify
  --accept-3digit    verify: accept a 3-digit marking on a ±0.5/±1 % reel (datasheet 7.4)
  --marked-0402      0402 chips carry a marking like 0603 ones (default: unmarked)
  -h, --help         show this help

A trailing "_" writes an underline: 121_ is 121 underlined. For verify, "" means nothing was read.

Exit codes
  0  everything decoded, or every marking matches
  1  a marking does not match the reel
  2  bad usage or invalid input (malformed marking or part number)
  3  could not verify (unmarked part, nothing or nothing valid read, ambiguous)

Examples
  chipmark decode 01A 4R7 121_
  chipmark decode --profile common 47R
  chipmark part RMS06FT1200 RMS10JT103
  chipmark verify --part RMS06FT1000 01A 1000 101
  chipmark verify --part RMS06FT1200 --json 121_
`;

const EXIT = { OK: 0, MISMATCH: 1, INVALID: 2, UNVERIFIABLE: 3 } as const;

interface Flags {
  json: boolean;
  profile: ProfileName;
  part?: string;
  accept3DigitOnPrecise: boolean;
  marked0402: boolean;
}

/** Runs one command line; returns the exit code. Output goes through `out` and `err`. */
export function run(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
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
  };
  switch (command) {
    case "decode": return need(inputs, "marking", err) ?? decodeCommand(inputs, flags, out);
    case "part": return need(inputs, "part number", err) ?? partCommand(inputs, flags, out);
    case "verify":
      if (flags.part === undefined) { err("chipmark verify: --part <part-number> is required"); return EXIT.INVALID; }
      return need(inputs, "marking", err) ?? verifyCommand(flags.part, inputs, flags, out);
    default:
      err(`chipmark: unknown command "${command}"; commands: decode, part, verify. Run "chipmark --help".`);
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
  return `${r.value.padEnd(10)} ${style.padEnd(30)} ${series.padEnd(11)} ${implies}`;
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
  if (invalid) return EXIT.INVALID;
  return worst === 2 ? EXIT.MISMATCH : worst === 1 ? EXIT.UNVERIFIABLE : EXIT.OK;
}

/** The program: arguments from the process, exit code through process.exitCode. */
export function main(): void {
  process.exitCode = run(process.argv.slice(2), (l) => console.log(l), (l) => console.error(l));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
