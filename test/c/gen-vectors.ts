// Turns test/vectors.json into checks that need no JavaScript: a C header for test/c/harness.c
// and a .wast script for wabt's spectest-interp. Both are generated into a build directory and
// never committed; test/portability.test.ts generates, compiles and runs them.
//
//   npx tsx test/c/gen-vectors.ts <out-dir>
//
// writes <out-dir>/chipmark_abi.h (the enums of assembly/abi.ts as C), <out-dir>/vectors.h and,
// when build/marking.wasm exists, <out-dir>/vectors.wast.
//
// Every vector becomes one Case: the bytes to write into the module's input areas (as the host
// writes them: one byte per UTF-16 unit, non-ASCII as 0x80, at most inputCapacity() bytes, the
// real length passed), the entry point and its arguments, the expected return value, and a list
// of (slot, value) pairs that must hold afterwards. The names of the vectors ("eia96-index",
// "3digit", "match") become numbers through test/c/codes.ts.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Status, Format, Reading, Slot, MarkingKind } from "../../assembly/abi.ts";
import {
  ERROR_CODES, PROFILE_CODES, FORMAT_CODES, CLASS_CODES, KIND_CODES, KIND_UNDEFINED,
  VERDICT_CODES, REASON_CODES, WARNING_BITS, OPTION_BITS, code,
} from "./codes.ts";

export const VECTORS_JSON = fileURLToPath(new URL("../vectors.json", import.meta.url));
export const ABI_TS = fileURLToPath(new URL("../../assembly/abi.ts", import.meta.url));
export const RELEASE_WASM = fileURLToPath(new URL("../../build/marking.wasm", import.meta.url));

export type Entry = "decode" | "part" | "verify";

/** One expectation: the f64 result slot `slot` holds `value` (NaN: any NaN). */
export interface Check { slot: number; name: string; value: number }

export interface Case {
  label: string;          // "decode #12 \"4R7\" profile=tai", for failure lines
  entry: Entry;
  marking: string;        // the texts as in vectors.json ("" when the entry takes none)
  part: string;
  markingBytes: number[]; // every unit of the text as a byte; callers write at most inputCapacity()
  partBytes: number[];
  profile: number;
  options: number;
  status: number;         // what the entry point returns
  checks: Check[];
  text: number[] | null;  // expected bytes at expectedText(), null: not checked
}

type Vector = Record<string, unknown>;

/** Bytes as host/core.ts writes them: one per UTF-16 unit, anything outside ASCII as 0x80. */
export function inputBytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c < 0x80 ? c : 0x80);
  }
  return out;
}

const READING_FIELDS: Record<string, number> = {
  FORMAT: Reading.FORMAT, UNDERLINED: Reading.UNDERLINED, R_NOTATION: Reading.R_NOTATION,
  OHMS: Reading.OHMS, TOLERANCE_CLASS: Reading.TOLERANCE_CLASS, EIA96_INDEX: Reading.EIA96_INDEX,
};

class Checks {
  readonly list: Check[] = [];
  slot(slot: number, name: string, value: unknown): void {
    if (typeof value !== "number") throw new Error(`${name}: expected a number, got ${JSON.stringify(value)}`);
    this.list.push({ slot, name, value });
  }
  reading(base: number, baseName: string, field: string, value: unknown): void {
    this.slot(base + READING_FIELDS[field], `${baseName}.${field}`, value);
  }
}

function only(v: Vector, keys: string[], where: string): void {
  for (const key of Object.keys(v)) {
    if (!keys.includes(key)) {
      throw new Error(`${where}: field "${key}" is not understood by test/c/gen-vectors.ts; teach it, or the C and spec runs would skip it silently`);
    }
  }
}

function str(v: unknown, where: string): string {
  if (typeof v !== "string") throw new Error(`${where}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function label(section: string, index: number, texts: string[], profile: string | undefined, extra = ""): string {
  // ASCII only: the label ends up in C string literals and .wast comments.
  const shown = texts.map((t) => JSON.stringify(t).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return `${section} #${index} ${shown.join(" ")}${profile ? ` profile=${profile}` : ""}${extra}`;
}

function statusOf(v: Vector, where: string): number {
  return v.error === undefined ? Status.OK : code(ERROR_CODES, str(v.error, where), "error code");
}

function decodeCase(v: Vector, i: number): Case {
  const where = `decode #${i}`;
  only(v, ["marking", "profile", "ohms", "format", "class", "underlined", "rNotation", "eia96Index",
    "ambiguous", "readings", "error", "position", "why"], where);
  const marking = str(v.marking, where);
  const profileName = v.profile === undefined ? undefined : str(v.profile, where);
  const status = statusOf(v, where);
  const c = new Checks();
  c.slot(Slot.STATUS, "STATUS", status);
  if (v.position !== undefined) c.slot(Slot.ERROR_POS, "ERROR_POS", v.position);
  if (v.error === undefined) {
    if (v.ambiguous === true) {
      const readings = v.readings as unknown[];
      if (!Array.isArray(readings) || readings.length !== 2) throw new Error(`${where}: an ambiguous marking needs two readings`);
      c.slot(Slot.AMBIGUOUS, "AMBIGUOUS", 1);
      c.reading(Slot.MARK, "MARK", "OHMS", readings[0]);
      c.reading(Slot.ALT, "ALT", "OHMS", readings[1]);
    } else {
      // The host reports underlined, rNotation and eia96Index for every reading: absent means
      // false / none, as in the host's JSON.
      c.slot(Slot.AMBIGUOUS, "AMBIGUOUS", 0);
      c.reading(Slot.MARK, "MARK", "FORMAT", code(FORMAT_CODES, str(v.format, where), "format"));
      c.reading(Slot.MARK, "MARK", "OHMS", v.ohms);
      c.reading(Slot.MARK, "MARK", "TOLERANCE_CLASS", code(CLASS_CODES, str(v.class, where), "class"));
      c.reading(Slot.MARK, "MARK", "UNDERLINED", v.underlined === true ? 1 : 0);
      c.reading(Slot.MARK, "MARK", "R_NOTATION", v.rNotation === true ? 1 : 0);
      c.reading(Slot.MARK, "MARK", "EIA96_INDEX", v.eia96Index ?? 0);
    }
  }
  return {
    label: label("decode", i, [marking], profileName),
    entry: "decode",
    marking, part: "",
    markingBytes: inputBytes(marking), partBytes: [],
    profile: profileName === undefined ? PROFILE_CODES.tai : code(PROFILE_CODES, profileName, "profile"),
    options: 0,
    status,
    checks: c.list,
    text: null,
  };
}

function optionsOf(v: Vector, where: string): { profileName?: string; profile: number; options: number } {
  const given = (v.options ?? {}) as Record<string, unknown>;
  let profileName = v.profile === undefined ? undefined : str(v.profile, where);
  let options = 0;
  for (const [key, value] of Object.entries(given)) {
    if (key === "profile") { profileName = str(value, where); continue; }
    const bit = code(OPTION_BITS, key, "option");
    if (value === true) options |= bit;
    else if (value !== false) throw new Error(`${where}: option ${key} must be true or false`);
  }
  return {
    profileName,
    profile: profileName === undefined ? PROFILE_CODES.tai : code(PROFILE_CODES, profileName, "profile"),
    options,
  };
}

function partCase(v: Vector, i: number): Case {
  const where = `part #${i}`;
  only(v, ["part", "profile", "options", "ohms", "size", "inch", "metric", "tolerancePct", "powerW",
    "ratedV", "maxWorkingV", "maxOverloadV", "tcr", "expected", "kind", "jumper", "jumperA",
    "tempMax", "warnings", "error", "position", "why"], where);
  const part = str(v.part, where);
  const { profileName, profile, options } = optionsOf(v, where);
  const status = statusOf(v, where);
  const c = new Checks();
  c.slot(Slot.STATUS, "STATUS", status);
  if (v.position !== undefined) c.slot(Slot.ERROR_POS, "ERROR_POS", v.position);
  if (v.ohms !== undefined) c.reading(Slot.PART, "PART", "OHMS", v.ohms);
  if (v.jumper === true) c.reading(Slot.PART, "PART", "FORMAT", Format.ZERO);
  if (v.jumper === false && (typeof v.ohms !== "number" || v.ohms === 0)) {
    throw new Error(`${where}: "jumper": false needs a non-zero "ohms" (the host's jumper is ohms == 0)`);
  }
  if (v.size !== undefined) c.slot(Slot.SIZE_CODE, "SIZE_CODE", Number.parseInt(str(v.size, where), 10));
  if (v.inch !== undefined) c.slot(Slot.INCH, "INCH", Number.parseInt(str(v.inch, where), 10));
  if (v.metric !== undefined) c.slot(Slot.METRIC, "METRIC", Number.parseInt(str(v.metric, where), 10));
  if (v.tolerancePct !== undefined) c.slot(Slot.TOLERANCE_PCT, "TOLERANCE_PCT", v.tolerancePct);
  if (v.powerW !== undefined) c.slot(Slot.POWER_W, "POWER_W", v.powerW);
  if (v.ratedV !== undefined) c.slot(Slot.RATED_V, "RATED_V", v.ratedV);
  if (v.maxWorkingV !== undefined) c.slot(Slot.MAX_WORKING_V, "MAX_WORKING_V", v.maxWorkingV);
  if (v.maxOverloadV !== undefined) c.slot(Slot.MAX_OVERLOAD_V, "MAX_OVERLOAD_V", v.maxOverloadV);
  if (v.tcr !== undefined) {
    const tcr = v.tcr as unknown[];
    if (!Array.isArray(tcr) || tcr.length !== 2) throw new Error(`${where}: tcr is [plus, minus]`);
    c.slot(Slot.TCR_PLUS, "TCR_PLUS", tcr[0]);
    c.slot(Slot.TCR_MINUS, "TCR_MINUS", tcr[1]);
  }
  if (v.tempMax !== undefined) c.slot(Slot.TEMP_MAX_C, "TEMP_MAX_C", v.tempMax);
  if (v.jumperA !== undefined) c.slot(Slot.JUMPER_CURRENT_A, "JUMPER_CURRENT_A", v.jumperA);
  if (v.warnings !== undefined) {
    const names = v.warnings as unknown[];
    if (!Array.isArray(names)) throw new Error(`${where}: warnings is a list`);
    c.slot(Slot.WARNINGS, "WARNINGS", names.reduce<number>((bits, n) => bits | code(WARNING_BITS, str(n, where), "warning"), 0));
  }
  if (v.kind !== undefined) {
    c.slot(Slot.EXPECTED_KIND, "EXPECTED_KIND", v.kind === null ? KIND_UNDEFINED : code(KIND_CODES, str(v.kind, where), "kind"));
  }
  let text: number[] | null = null;
  if (v.expected !== undefined) {
    // The host shows an underlined code with a trailing '_'; the core keeps the digits in
    // expectedText() and says "underlined" through EXPECTED_KIND.
    const expected = str(v.expected, where);
    const underlined = expected.endsWith("_");
    const digits = underlined ? expected.slice(0, -1) : expected;
    if (underlined && v.kind === undefined) c.slot(Slot.EXPECTED_KIND, "EXPECTED_KIND", MarkingKind.DIGIT3_UNDERLINED);
    c.slot(Slot.EXPECTED_LEN, "EXPECTED_LEN", digits.length);
    text = inputBytes(digits);
  }
  return {
    label: label("part", i, [part], profileName, options ? ` options=${options}` : ""),
    entry: "part",
    marking: "", part,
    markingBytes: [], partBytes: inputBytes(part),
    profile, options, status,
    checks: c.list,
    text,
  };
}

function verifyCase(v: Vector, i: number): Case {
  const where = `verify #${i}`;
  only(v, ["part", "marking", "options", "profile", "verdict", "reason", "error", "position", "why"], where);
  const part = str(v.part, where);
  const marking = str(v.marking, where);
  const { profileName, profile, options } = optionsOf(v, where);
  const status = statusOf(v, where);
  const c = new Checks();
  c.slot(Slot.STATUS, "STATUS", status);
  if (v.position !== undefined) c.slot(Slot.ERROR_POS, "ERROR_POS", v.position);
  if (v.verdict !== undefined) c.slot(Slot.VERDICT, "VERDICT", code(VERDICT_CODES, str(v.verdict, where), "verdict"));
  if (v.reason !== undefined) c.slot(Slot.REASON, "REASON", code(REASON_CODES, str(v.reason, where), "reason"));
  return {
    label: label("verify", i, [part, marking], profileName, options ? ` options=${options}` : ""),
    entry: "verify",
    marking, part,
    markingBytes: inputBytes(marking), partBytes: inputBytes(part),
    profile, options, status,
    checks: c.list,
    text: null,
  };
}

/** Every vector of test/vectors.json as a Case, in file order: decode, part, verify. */
export function loadCases(path: string = VECTORS_JSON): Case[] {
  const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, Vector[]>;
  return [
    ...json.decode.map(decodeCase),
    ...json.part.map(partCase),
    ...json.verify.map(verifyCase),
  ];
}

// ---- numbers as literals ------------------------------------------------------------------

/** Exact hexadecimal form of a double (C99 and the wast text format read it bit for bit). */
export function hexFloat(x: number): string {
  if (Number.isNaN(x)) throw new Error("NaN has no literal");
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0x0p+0" : "0x0p+0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const sign = hi >>> 31 ? "-" : "";
  const biased = (hi >>> 20) & 0x7ff;
  const mantissa = ((BigInt(hi & 0xfffff) << 32n) | BigInt(lo)).toString(16).padStart(13, "0").replace(/0+$/, "");
  const lead = biased === 0 ? "0" : "1";
  const exponent = biased === 0 ? -1022 : biased - 1023;
  return `${sign}0x${lead}${mantissa ? `.${mantissa}` : ""}p${exponent >= 0 ? "+" : ""}${exponent}`;
}

/** A double as a literal: plain digits when it is an integer, exact hex otherwise. */
function literal(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 2 ** 53 && !Object.is(x, -0) ? String(x) : hexFloat(x);
}

// ---- C ----------------------------------------------------------------------------------------

/** Bytes as a C string literal: printable ASCII as is, everything else as 3-digit octal. */
function cBytes(bytes: number[]): string {
  let s = "";
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8).padStart(3, "0")}`;
  }
  return `"${s}"`;
}

function cString(text: string): string {
  return cBytes(Array.from(text, (ch) => ch.charCodeAt(0)));
}

const C_ENTRY: Record<Entry, string> = { decode: "ENTRY_DECODE", part: "ENTRY_DECODE_PART", verify: "ENTRY_VERIFY" };

/** vectors.h: the cases as C data (see the types at its top); includes nothing. */
export function renderVectorsHeader(cases: Case[]): string {
  const out: string[] = [
    "/* Generated by test/c/gen-vectors.ts from test/vectors.json. Do not edit, do not commit. */",
    "#ifndef CHIPMARK_VECTORS_H",
    "#define CHIPMARK_VECTORS_H",
    "",
    "#include <stdint.h>",
    "",
    "typedef enum { ENTRY_DECODE, ENTRY_DECODE_PART, ENTRY_VERIFY } vector_entry_t;",
    "",
    "/* After the call, result slot `slot` must hold `value` (is_nan: any NaN). */",
    "typedef struct { int slot; double value; int is_nan; const char* name; } vector_check_t;",
    "",
    "typedef struct {",
    "  const char* label;",
    "  vector_entry_t entry;",
    "  const char* marking; uint32_t marking_len; /* all bytes; write at most inputCapacity() */",
    "  const char* part; uint32_t part_len;",
    "  int32_t profile, options;",
    "  int32_t status;                           /* the entry point's return value */",
    "  const vector_check_t* checks; uint32_t check_count;",
    "  const char* text; int32_t text_len;       /* expected bytes at expectedText(); text_len -1: unchecked */",
    "} vector_t;",
    "",
  ];
  cases.forEach((c, i) => {
    out.push(`static const vector_check_t checks_${i}[] = { /* ${c.label.replace(/\*\//g, "* /")} */`);
    for (const k of c.checks) {
      const nan = Number.isNaN(k.value);
      const value = nan ? "0" : literal(k.value);
      const comment = nan || Number.isInteger(k.value) ? "" : ` /* ${k.value} */`;
      out.push(`  { ${k.slot}, ${value}, ${nan ? 1 : 0}, "${k.name}" },${comment}`);
    }
    out.push("};");
  });
  out.push("", `#define VECTOR_COUNT ${cases.length}`, "", "static const vector_t vectors[VECTOR_COUNT] = {");
  cases.forEach((c, i) => {
    const text = c.text === null ? "0, -1" : `${cBytes(c.text)}, ${c.text.length}`;
    out.push(
      `  { ${cString(c.label)}, ${C_ENTRY[c.entry]},`,
      `    ${cBytes(c.markingBytes)}, ${c.markingBytes.length}, ${cBytes(c.partBytes)}, ${c.partBytes.length},`,
      `    ${c.profile}, ${c.options}, ${c.status}, checks_${i}, ${c.checks.length}, ${text} },`,
    );
  });
  out.push("};", "", "#endif", "");
  return out.join("\n");
}

/**
 * chipmark_abi.h: every `export const enum` of assembly/abi.ts as a C enum, CHIPMARK_<ENUM>_<MEMBER>
 * (Slot.VERDICT → CHIPMARK_SLOT_VERDICT), with abi.ts's comments. Read from the source text, so
 * the C side has the same single source of numbers as the module and the host.
 */
export function renderAbiHeader(source: string = readFileSync(ABI_TS, "utf8")): string {
  const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  const out: string[] = [
    "/* Generated by test/c/gen-vectors.ts from assembly/abi.ts. Do not edit. */",
    "#ifndef CHIPMARK_ABI_H",
    "#define CHIPMARK_ABI_H",
    "",
  ];
  const enums = [...source.matchAll(/(\/\*\*(?:(?!\*\/)[^])*\*\/\s*)?export const enum (\w+) \{([^}]*)\}/g)];
  if (enums.length === 0) throw new Error("assembly/abi.ts: no const enums found");
  for (const [, doc, name, body] of enums) {
    const prefix = `CHIPMARK_${snake(name)}_`;
    if (doc) out.push(doc.trim().replace(/^\/\*\*/, "/*"));
    out.push(`enum chipmark_${snake(name).toLowerCase()} {`);
    for (const line of body.split("\n")) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (trimmed.startsWith("//")) { out.push(`  /* ${trimmed.slice(2).trim()} */`); continue; }
      const m = /^(\w+)\s*=\s*(-?(?:0x[0-9a-fA-F]+|\d+)),?\s*(?:\/\/\s*(.*))?$/.exec(trimmed);
      if (!m) throw new Error(`assembly/abi.ts, enum ${name}: cannot read "${trimmed}" (only NAME = number is supported)`);
      const [, member, value, comment] = m;
      out.push(`  ${prefix}${member} = ${value},${comment ? ` /* ${comment.replace(/\*\//g, "* /")} */` : ""}`);
    }
    out.push("};", "");
  }
  out.push("#endif", "");
  return out.join("\n");
}

// ---- wast ---------------------------------------------------------------------------------

/**
 * A helper module for the spec interpreter: .wast has no way to write into a module's memory,
 * so this second module imports the core's exported memory and address functions (registered
 * as "marking") and does the host's part. The shipped module is not touched.
 */
const WAST_HOST = `(module $host
  (import "marking" "memory" (memory 1 1))
  (import "marking" "markingInput" (func $markingInput (result i32)))
  (import "marking" "partInput" (func $partInput (result i32)))
  (import "marking" "inputCapacity" (func $inputCapacity (result i32)))
  (import "marking" "results" (func $results (result i32)))
  (import "marking" "expectedText" (func $expectedText (result i32)))
  ;; Byte $i of an input, written like the host writes it: nothing past inputCapacity().
  (func (export "putMarking") (param $i i32) (param $byte i32)
    (if (i32.lt_u (local.get $i) (call $inputCapacity))
      (then (i32.store8 (i32.add (call $markingInput) (local.get $i)) (local.get $byte)))))
  (func (export "putPart") (param $i i32) (param $byte i32)
    (if (i32.lt_u (local.get $i) (call $inputCapacity))
      (then (i32.store8 (i32.add (call $partInput) (local.get $i)) (local.get $byte)))))
  ;; Result slot $slot (an f64 at results() + 8 * $slot).
  (func (export "slot") (param $slot i32) (result f64)
    (f64.load (i32.add (call $results) (i32.shl (local.get $slot) (i32.const 3)))))
  ;; Byte $i of the expected marking text.
  (func (export "expectedByte") (param $i i32) (result i32)
    (i32.load8_u (i32.add (call $expectedText) (local.get $i)))))`;

function wastF64(x: number): string {
  return Number.isNaN(x) ? "(f64.const nan:arithmetic)" : `(f64.const ${literal(x)})`;
}

/**
 * vectors.wast: the release module (embedded as bytes), the helper module, then per case the
 * writes, the call with its expected return and one assert_return per check. Each case starts
 * with a `;; vector: <label>` line, so a failing line number leads to its vector.
 */
export function renderWast(cases: Case[], wasm: Uint8Array): string {
  const bytes = Array.from(wasm, (b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
  const out: string[] = [
    ";; Generated by test/c/gen-vectors.ts from test/vectors.json and build/marking.wasm. Do not edit.",
    `(module $marking binary "${bytes}")`,
    `(register "marking" $marking)`,
    WAST_HOST,
  ];
  for (const c of cases) {
    out.push("", `;; vector: ${c.label}`);
    c.partBytes.forEach((b, i) => out.push(`(invoke $host "putPart" (i32.const ${i}) (i32.const ${b}))`));
    c.markingBytes.forEach((b, i) => out.push(`(invoke $host "putMarking" (i32.const ${i}) (i32.const ${b}))`));
    const call = c.entry === "decode"
      ? `(invoke $marking "decode" (i32.const ${c.markingBytes.length}) (i32.const ${c.profile}))`
      : c.entry === "part"
        ? `(invoke $marking "decodePart" (i32.const ${c.partBytes.length}) (i32.const ${c.profile}) (i32.const ${c.options}))`
        : `(invoke $marking "verify" (i32.const ${c.partBytes.length}) (i32.const ${c.markingBytes.length}) (i32.const ${c.profile}) (i32.const ${c.options}))`;
    out.push(`(assert_return ${call} (i32.const ${c.status}))`);
    for (const k of c.checks) {
      out.push(`(assert_return (invoke $host "slot" (i32.const ${k.slot})) ${wastF64(k.value)}) ;; ${k.name}`);
    }
    c.text?.forEach((b, i) => out.push(`(assert_return (invoke $host "expectedByte" (i32.const ${i})) (i32.const ${b}))`));
  }
  out.push("");
  return out.join("\n");
}

/** Writes chipmark_abi.h, vectors.h and (if the release module is built) vectors.wast. */
export function generate(outDir: string, wasmPath: string = RELEASE_WASM): { cases: Case[]; files: string[] } {
  mkdirSync(outDir, { recursive: true });
  const cases = loadCases();
  const files = [join(outDir, "chipmark_abi.h"), join(outDir, "vectors.h")];
  writeFileSync(files[0], renderAbiHeader());
  writeFileSync(files[1], renderVectorsHeader(cases));
  if (existsSync(wasmPath)) {
    files.push(join(outDir, "vectors.wast"));
    writeFileSync(files[2], renderWast(cases, readFileSync(wasmPath)));
  }
  return { cases, files };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: npx tsx test/c/gen-vectors.ts <out-dir>");
    process.exit(2);
  }
  const { cases, files } = generate(outDir);
  console.log(`${cases.length} vectors -> ${files.join(", ")}`);
}
