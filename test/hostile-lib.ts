// Generators and checkers for the hostile-input tests (test/fuzz.test.ts, test/hostile.test.ts,
// test/adversarial.test.ts) and the soak run (test/soak.ts): the same code at two scales.
// Every generator is seeded; a failure names the input that caused it.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { DEBUG_WASM, MarkingCore, RELEASE_WASM, STATUS_CODES, batchStatus, decodeMarking, decodeMarkings,
  checkFrame, deratedPowerW, expectedMarking, markingCore, parsePart, readFrame, verify, type Marking, type ProfileName } from "../host/index.ts";
import { ReaderCore, hypotheses, readerCore } from "../host/reader.ts";
import type { FrameEntry, ReplayStats, ReplaySummary } from "../host/replay.ts";
import { CROP, cropAroundBody } from "../samples/crop.ts";
import { FONT_IDS, renderFrame, type FrameSpec, type SizeCode } from "../samples/render.ts";
import { Rng } from "../samples/rng.ts";
import { COMMITTED_SEED_BASE, COMMITTED_SEED_SPAN, MAX_SKEW_DEG, ORIENTATIONS, randomEffects, randomSurround, randomUnderlineStyle, round } from "../samples/tuning.ts";
import { BatchInfo, Reading, Slot, Status, Verdict } from "../assembly/abi.ts";
import { E24, E96, SIZES, TOLERANCES, catalogue, expectedMarking as catalogueMarking, partNumber, type Size, type Tol } from "./oracle.ts";
import { oracleMayMatch, oracleMustMatch, oracleReadings, type OracleProfile, type OracleReading } from "./marking-oracle.ts";

// ---- a seeded generator ---------------------------------------------------------------------

/** xoshiro128** : fast, 128-bit state, the same stream on every machine. */
export class Prng {
  private s = new Uint32Array(4);
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 to fill the state
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  u32(): number {
    const s = this.s;
    const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }
  /** Uniform in [0, 1). */
  next(): number { return this.u32() / 4294967296; }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  /** Any i32, biased to the edges. */
  i32(): number {
    return this.chance(0.3) ? this.pick([0, 1, -1, 2, 64, 65, 8192, 8193, 0x7fffffff, -0x80000000, 1 << 30, -5]) : this.u32() | 0;
  }
  /** Any f64, biased to the ones that break arithmetic. */
  f64(): number {
    return this.chance(0.4)
      ? this.pick([NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 70, 155, -55])
      : (this.next() - 0.5) * 10 ** this.int(0, 12);
  }
}

// ---- markings: valid codes of every form and near-misses ---------------------------------------

const DIGITS = "0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const EIA_LETTERS = "ZYXABCDEFGHRS";           // both profiles' letters (and their aliases)
const CONFUSABLE: Record<string, string> = {
  "8": "B3", B: "8", "0": "DOQ", D: "0", O: "0D", "1": "7IL", "7": "1", "5": "6S", "6": "59G", S: "5",
  "3": "8", "9": "6g", "2": "Z", Z: "2", R: "PK", G: "6", A: "4", "4": "A",
};
const NASTY = ["\u0000", " ", "\t", "\n", "\r", "-", ".", ",", "Ω", "µ", "é", "\u00ff", "\u0080", "\u{1F600}", "\uFFFD", "\u200b", "＿", "Ｒ", "ß", "ı"];
export const ZERO_FORMS = ["0", "00", "000", "0000", "0R0"];
const ZERO_NEAR = ["0_", "00_", "000_", "0R0_", "0000_", "00R", "R00", "0R00", "00R0", "000R", "R000", "0R", "R0", "001", "0001", "0010", "010", "00A", "000A", "R", "RR", "R_", "0r0"];

const digits = (rng: Prng, n: number, firstNonZero = true) => {
  let s = firstNonZero ? String(rng.int(1, 9)) : rng.pick(DIGITS.split(""));
  while (s.length < n) s += rng.pick(DIGITS.split(""));
  return s.slice(0, n);
};

/** Every catalogue marking the datasheet model knows (test/oracle.ts), once. */
let catalogueMarkings: string[] | undefined;
export function realMarkings(): string[] {
  if (catalogueMarkings) return catalogueMarkings;
  const set = new Set<string>();
  for (const size of SIZES) for (const tol of TOLERANCES) for (const v of catalogue(size, tol)) {
    const m = catalogueMarking(size, tol, v);
    if (m) set.add(m);
  }
  return (catalogueMarkings = [...set]);
}

/** A text that is a marking under at least one reading: every form, R position, case, underline. */
export function validMarking(rng: Prng): string {
  let s: string;
  switch (rng.int(0, 9)) {
    case 0: s = rng.pick(realMarkings()); break;
    case 1: s = digits(rng, 2) + rng.int(0, 9) + (rng.chance(0.3) ? "_" : ""); break;            // 3 digits
    case 2: s = digits(rng, 3) + rng.int(0, 9); break;                                              // 4 digits
    case 3: { const d = digits(rng, 2, rng.chance(0.9)); const at = rng.int(0, 2); s = d.slice(0, at) + "R" + d.slice(at) + (rng.chance(0.2) ? "_" : ""); break; }
    case 4: { const d = digits(rng, 3, rng.chance(0.9)); const at = rng.int(0, 3); s = d.slice(0, at) + "R" + d.slice(at); break; }
    case 5: case 6: s = String(rng.int(1, 96)).padStart(2, "0") + rng.pick(EIA_LETTERS.split("")); break;
    case 7: s = rng.pick(ZERO_FORMS); break;
    case 8: s = `${rng.int(1, 9)}${rng.int(0, 9)}R` + (rng.chance(0.2) ? "_" : ""); break;          // NNR: ambiguous under common
    default: s = rng.pick(realMarkings());
  }
  if (rng.chance(0.15)) s = rng.chance(0.5) ? s.toLowerCase() : [...s].map((c) => (rng.chance(0.5) ? c.toLowerCase() : c)).join("");
  return s;
}

/** A near-miss of a valid marking: one wrong letter, length, R or underline position, and so on. */
export function nearMiss(rng: Prng, base = validMarking(rng)): string {
  const s = [...base];
  const at = () => rng.int(0, Math.max(0, s.length - 1));
  switch (rng.int(0, 13)) {
    case 0: { const i = at(); const c = (s[i] ?? "0").toUpperCase(); s[i] = rng.pick((CONFUSABLE[c] ?? LETTERS).split("")); break; }
    case 1: { const i = at(); s[i] = rng.pick((DIGITS + LETTERS).split("")); break; }
    case 2: s.splice(rng.int(0, s.length), 0, rng.pick((DIGITS + "R").split(""))); break;                 // one too many
    case 3: s.splice(at(), 1); break;                                                                       // one too few
    case 4: { const i = s.findIndex((c) => c === "R" || c === "r"); if (i >= 0) s.splice(i, 1); s.splice(rng.int(0, s.length), 0, "R"); break; } // R moved
    case 5: s.splice(rng.int(0, s.length), 0, "R"); break;                                                  // a second R
    case 6: s.splice(rng.int(0, s.length), 0, "_"); break;                                                  // underline anywhere
    case 7: if (s.at(-1) === "_") s.pop(); else s.push("_"); break;                                          // underline missing / extra
    case 8: return rng.pick(ZERO_NEAR);
    case 9: return String(rng.pick([0, 97, 98, 99])).padStart(2, "0") + rng.pick((EIA_LETTERS + "IJKLMNOPQTUVW").split(""));
    case 10: s.splice(rng.int(0, s.length), rng.int(0, 1), rng.pick(NASTY)); break;
    case 11: return base.repeat(rng.int(2, 30)).slice(0, rng.int(5, 80));                                  // long
    case 12: { const i = at(), j = at(); [s[i], s[j]] = [s[j], s[i]]; break; }                             // swapped
    default: return base.split("").reverse().join("");
  }
  return s.join("");
}

/** Random text over the grammar's alphabet and beyond, every length up to past the input area. */
export function randomText(rng: Prng): string {
  const len = rng.chance(0.8) ? rng.int(0, 6) : rng.int(0, 80);
  const alphabet = rng.chance(0.7) ? "0123456789RrABCDEFGHXYZSabc_" : DIGITS + LETTERS + "_ -.\u0000\u0080é";
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** The mix of the differential test: valid codes, near-misses and noise. */
export function anyMarking(rng: Prng): string {
  const x = rng.next();
  return x < 0.4 ? validMarking(rng) : x < 0.85 ? nearMiss(rng) : randomText(rng);
}

// ---- differential: decoder against the oracle -------------------------------------------------

export interface Disagreement { marking: string; profile: OracleProfile; path: "batch" | "single"; want: string; got: string }
export interface DiffStats {
  markings: number;          // texts generated
  comparisons: number;       // text × profile × path
  valid: number;             // decoded OK by the decoder (batch, both profiles)
  ambiguous: number;
  silent: number;            // texts the documents leave open (only the value was checked)
  disagreements: Disagreement[];
  disagreementCount: number;
}

const FORMAT_BITS: Record<number, string> = { 1: "3digit", 2: "4digit", 3: "eia96", 4: "zero" };
const CLASS_BITS: Record<number, string> = { 0: "none", 1: "wide", 2: "precise" };

const describeOracle = (rs: OracleReading[]) => rs.length === 0 ? "invalid"
  : rs.map((r) => `${r.ohms} Ω ${r.format}/${r.toleranceClass}${r.underlined ? "/u" : ""}${r.certain ? "" : " (silent)"}`).join(" | ");

/** A reading as the decoder gave it; null where the path does not say (the batch's second reading). */
export interface GotReading { ohms: number; format: string; cls: string | null; underlined: boolean | null; rNotation?: boolean; eia96Index?: number | null }

/** Does a decoded reading equal an oracle reading? */
function same(o: OracleReading, g: GotReading): boolean {
  if (!Object.is(o.ohms, g.ohms) || g.format !== o.format) return false;
  if (!o.certain) return true;                          // silent: the value is all that is asked
  return (g.cls === null || g.cls === o.toleranceClass) && (g.underlined === null || g.underlined === o.underlined)
    && (g.rNotation === undefined || o.format === "zero" || g.rNotation === o.rNotation)
    && (g.eia96Index === undefined || g.eia96Index === o.eia96Index);
}

/** Compares the decoder's readings with the oracle's: every certain reading present, nothing else. */
export function agree(oracle: OracleReading[], got: GotReading[]): boolean {
  if (got.length === 0) return oracle.every((r) => !r.certain);
  if (got.length > oracle.length) return false;
  if (!got.every((g) => oracle.some((o) => same(o, g)))) return false;
  return oracle.filter((o) => o.certain).every((o) => got.some((g) => same(o, g)));
}

const readingsOf = (m: Marking): GotReading[] => m.readings.map((r) => ({ ohms: r.ohms, format: r.format, cls: r.toleranceClass, underlined: r.underlined, rNotation: r.rNotation, eia96Index: r.eia96Index }));

/**
 * `count` generated texts through the batch entry point under both profiles, and every
 * `singleEvery`-th also through decodeMarking (both readings compared in full, and the batch
 * status checked against the single call's), each compared with the oracle.
 */
export function differential(rng: Prng, count: number, singleEvery = 10, keep = 20): DiffStats {
  const texts = Array.from({ length: count }, () => anyMarking(rng));
  const stats: DiffStats = { markings: count, comparisons: 0, valid: 0, ambiguous: 0, silent: 0, disagreements: [], disagreementCount: 0 };
  const fail = (d: Disagreement) => { stats.disagreementCount++; if (stats.disagreements.length < keep) stats.disagreements.push(d); };
  for (const profile of ["tai", "common"] as const) {
    const batch = decodeMarkings(texts, { profile });
    for (let i = 0; i < count; i++) {
      const text = texts[i];
      const oracle = oracleReadings(text, profile);
      if (oracle.some((r) => !r.certain)) stats.silent++;
      const info = batch.info[i];
      const status = info & BatchInfo.STATUS_MASK;
      const got: GotReading[] = [];
      if (status === Status.OK) {
        stats.valid++;
        const format = FORMAT_BITS[(info >> BatchInfo.FORMAT_SHIFT) & 7] ?? "?";
        got.push({ ohms: batch.ohms[i], format, cls: CLASS_BITS[(info >> BatchInfo.CLASS_SHIFT) & 3] ?? "?", underlined: (info & BatchInfo.UNDERLINED) !== 0, rNotation: (info & BatchInfo.R_NOTATION) !== 0 });
        if (info & BatchInfo.AMBIGUOUS) {
          stats.ambiguous++;
          // The batch keeps only the second reading's ohms: match its format from the oracle.
          const alt = oracle.find((o) => Object.is(o.ohms, batch.altOhms[i]) && o.format !== format);
          got.push({ ohms: batch.altOhms[i], format: alt?.format ?? "?", cls: null, underlined: null });
        }
      } else if (!STATUS_CODES[status]) {
        fail({ marking: text, profile, path: "batch", want: describeOracle(oracle), got: `unknown status ${status}` });
        continue;
      }
      stats.comparisons++;
      if (!agree(oracle, got)) {
        fail({ marking: text, profile, path: "batch", want: describeOracle(oracle), got: status === Status.OK ? got.map((g) => `${g.ohms} Ω ${g.format}/${g.cls}${g.underlined ? "/u" : ""}`).join(" | ") : batchStatus(info).code });
      }
      if (i % singleEvery !== 0) continue;
      const m = decodeMarking(text, { profile });
      stats.comparisons++;
      const single = m.ok ? readingsOf(m) : [];
      const consistent = m.ok ? status === Status.OK && m.ambiguous === ((info & BatchInfo.AMBIGUOUS) !== 0) : batchStatus(info).code === m.error.code;
      if (!agree(oracle, single) || !consistent || (m.ok && m.ambiguous !== (m.readings.length === 2))) {
        fail({ marking: text, profile, path: "single", want: describeOracle(oracle), got: m.ok ? `${m.readings.map((r) => `${r.ohms} Ω ${r.format}/${r.toleranceClass}${r.underlined ? "/u" : ""}`).join(" | ")}${consistent ? "" : " (batch differs)"}` : `${m.error.code}${consistent ? "" : ` (batch ${batchStatus(info).code})`}` });
      }
    }
  }
  return stats;
}

// ---- verdicts: never a match the datasheet does not allow, never a reject it requires --------

const PACKS = ["T", "E", "L"];
/** Part numbers: catalogue reels (with a defined marking) and mutations of them. */
export function catalogueReels(): { part: string; marking: string; size: Size; tol: Tol }[] {
  const out: { part: string; marking: string; size: Size; tol: Tol }[] = [];
  for (const size of SIZES) for (const tol of TOLERANCES) for (const v of catalogue(size, tol)) {
    const m = catalogueMarking(size, tol, v);
    if (m !== null) out.push({ part: partNumber(size, tol, v), marking: m, size, tol });
  }
  return out;
}
let reels: ReturnType<typeof catalogueReels> | undefined;

export function anyPartNumber(rng: Prng): string {
  reels ??= catalogueReels();
  const base = rng.pick(reels).part;
  const x = rng.next();
  if (x < 0.6) return base;
  if (x < 0.7) return `RMS${rng.pick(SIZES)}${rng.pick(TOLERANCES)}${rng.pick(PACKS)}${rng.pick(["000", "0", "0R0", "R47", "4R7", "10R0", "1000", "102"])}`;
  if (x < 0.95) {
    const s = [...base];
    const i = rng.int(0, s.length - 1);
    switch (rng.int(0, 5)) {
      case 0: s[i] = rng.pick((DIGITS + LETTERS).split("")); break;
      case 1: s.splice(i, 1); break;
      case 2: s.splice(i, 0, rng.pick((DIGITS + "R").split(""))); break;
      case 3: return base.toLowerCase();
      case 4: s.splice(i, 0, rng.pick(NASTY)); break;
      default: return base + "0".repeat(rng.int(1, 70));
    }
    return s.join("");
  }
  return randomText(rng);
}

export interface VerdictStats { calls: number; matches: number; falseMatches: string[]; falseMatchCount: number; falseRejects: string[]; falseRejectCount: number; mustMatch: number }

/**
 * verify() on generated (part, marking, options): a match the oracle does not allow is a false
 * match; a catalogue reel read as its own value and class that is not a match is a false reject.
 */
export function verdictDifferential(rng: Prng, count: number, keep = 20): VerdictStats {
  reels ??= catalogueReels();
  const stats: VerdictStats = { calls: 0, matches: 0, falseMatches: [], falseMatchCount: 0, falseRejects: [], falseRejectCount: 0, mustMatch: 0 };
  for (let i = 0; i < count; i++) {
    const reel = rng.pick(reels);
    const part = rng.chance(0.8) ? reel.part : anyPartNumber(rng);
    // Markings near the reel's own: its text, its value in other styles, its near misses.
    const marking = rng.chance(0.3) ? reel.marking : rng.chance(0.5) ? nearMiss(rng, reel.marking) : anyMarking(rng);
    const options = { profile: (rng.chance(0.5) ? "tai" : "common") as ProfileName, marked0402: rng.chance(0.3), accept3DigitOnPrecise: rng.chance(0.3) };
    const v = verify(part, marking, options);
    stats.calls++;
    if (!v.ok) continue;
    const line = () => `${part} ${JSON.stringify(marking)} ${JSON.stringify(options)}: ${v.verdict} ${v.reason}`;
    if (v.verdict === "match") {
      stats.matches++;
      if (!oracleMayMatch(part, marking, options)) { stats.falseMatchCount++; if (stats.falseMatches.length < keep) stats.falseMatches.push(line()); }
    } else if (part === reel.part && oracleMustMatch(part, marking, options)) {
      stats.falseRejectCount++;
      if (stats.falseRejects.length < keep) stats.falseRejects.push(line());
    }
    if (part === reel.part && oracleMustMatch(part, marking, options)) stats.mustMatch++;
  }
  return stats;
}

// ---- the raw module: traps, canaries, recovery ---------------------------------------------------

/** Active data segments of a WASM binary as [offset, length] (spec 5.5.12), read from its bytes. */
export function dataSegments(wasm: Uint8Array): [number, number][] {
  let p = 8;
  const leb = () => { let v = 0, shift = 0, b; do { b = wasm[p++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80); return v; };
  const sleb = () => { let v = 0, shift = 0, b; do { b = wasm[p++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); if (shift < 32 && b & 0x40) v |= -1 << shift; return v; };
  const out: [number, number][] = [];
  while (p < wasm.length) {
    const id = wasm[p++];
    const size = leb();
    const end = p + size;
    if (id === 11) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const flags = leb();
        if (flags === 2) leb();                          // memory index
        let offset = -1;
        if (flags !== 1) {
          if (wasm[p++] !== 0x41) throw new Error("data segment offset is not an i32.const");
          offset = sleb();
          if (wasm[p++] !== 0x0b) throw new Error("data segment offset expression too long");
        }
        const len = leb();
        if (offset >= 0) out.push([offset, len]);
        p += len;
      }
    }
    p = end;
  }
  return out;
}

/** The areas the marking module may write, as its exports and capacities give them (README memory map). */
export function markingIoAreas(core: MarkingCore): [number, number][] {
  const x = core.exports as MarkingCore["exports"] & { candidates(): number; readingText(): number };
  return [
    [x.markingInput(), core.inputCapacity], [x.partInput(), core.inputCapacity],
    [x.results(), Slot.COUNT * 8], [x.expectedText(), 8],
    [x.batchInput(), core.batchInputCapacity], [x.batchOhms(), core.batchCapacity * 8],
    [x.batchAltOhms(), core.batchCapacity * 8], [x.batchInfo(), core.batchCapacity * 4],
    [x.candidates(), 4 * 4 * 16], [x.readingText(), 24],
  ];
}

/**
 * The module's constant data: per stretch of memory between two I/O areas, from the first data
 * segment's start to the last one's end. The optimizer drops runs of zero bytes from data
 * segments (memory is zeroed at instantiation), so the zeros inside a table are in no segment;
 * the span of the segments around them is the table.
 */
export function constantSpans(io: [number, number][], segments: [number, number][], size: number): [number, number][] {
  const cuts = [0, ...io.flatMap(([at, len]) => [at, at + len]), size].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [lo, hi] = [cuts[k], cuts[k + 1]];
    const inside = segments.filter(([at, len]) => at >= lo && at + len <= hi && len > 0);
    if (inside.length) out.push([Math.min(...inside.map(([at]) => at)), Math.max(...inside.map(([at, len]) => at + len))]);
  }
  return out;
}

/**
 * Fills every byte of the marking module's memory that is neither an I/O area nor constant data
 * (which the module reads) with a canary pattern; `damage()` lists the bytes outside the I/O
 * areas that changed since (canaries and tables alike), and -1 if the memory grew.
 */
export function canaries(core: MarkingCore, wasm: Uint8Array): { damage(): number[]; filled: number } {
  const memory = core.exports.memory;
  const size = memory.buffer.byteLength;
  const bytes = new Uint8Array(memory.buffer);
  const areas = markingIoAreas(core);
  const io = new Uint8Array(size);
  for (const [at, len] of areas) io.fill(1, at, at + len);
  const data = new Uint8Array(size);
  for (const [lo, hi] of constantSpans(areas, dataSegments(wasm), size)) data.fill(1, lo, hi);
  let filled = 0;
  for (let i = 0; i < size; i++) {
    if (io[i] || data[i]) continue;
    bytes[i] = (0xa5 ^ Math.imul(i, 0x9e3779b1) >>> 24) & 0xff;
    filled++;
  }
  const snapshot = bytes.slice();
  return {
    filled,
    damage() {
      const out: number[] = [];
      if (memory.buffer.byteLength !== size) out.push(-1);
      const now = new Uint8Array(memory.buffer);
      for (let i = 0; i < size; i++) if (!io[i] && now[i] !== snapshot[i]) out.push(i);
      return out;
    },
  };
}

export interface RawFuzzStats {
  calls: number;
  traps: number;
  trapped: string[];           // the first calls that trapped
  badStatus: number;           // a status that is not in STATUS_CODES
  wrongAfterBad: number;       // the good call after a hostile one gave a wrong answer
  damaged: number[];           // canary / table bytes changed (-1: memory grew)
}

/** The bytes the module is fed: grammar characters, separators, NUL and high bytes. */
function hostileBytes(rng: Prng, into: Uint8Array, at: number, len: number, newlines = 0): void {
  const pool = "0123456789RrABCDEFGHXYZS_MSTLE";
  for (let i = 0; i < len; i++) {
    const x = rng.next();
    into[at + i] = x < 0.6 ? pool.charCodeAt(rng.int(0, pool.length - 1)) : x < 0.6 + newlines ? 10 : rng.int(0, 255);
  }
}

export interface RawFuzzOptions {
  /** Candidate char codes outside the i32 range (NaN, ±Infinity, ≥ 2^31): see the known-bug test. */
  nonFiniteCandidateChars?: boolean;
}

/**
 * `calls` calls of every export with hostile arguments and hostile bytes in every input area;
 * after each, a good call must still answer right. The canaries are checked at the end.
 */
export function fuzzRaw(core: MarkingCore, wasm: Uint8Array, rng: Prng, calls: number, options: RawFuzzOptions = {}): RawFuzzStats {
  const x = core.exports;
  const guard = canaries(core, wasm);
  const bytes = core.bytes;
  const stats: RawFuzzStats = { calls: 0, traps: 0, trapped: [], badStatus: 0, wrongAfterBad: 0, damaged: [] };
  const table = new Float64Array(x.memory.buffer, x.candidates(), 32);
  const markAt = x.markingInput(), partAt = x.partInput(), batchAt = x.batchInput();
  const known = (s: number) => STATUS_CODES[s] !== undefined;
  const call = (name: string, args: (number | string)[], f: () => number, check: (r: number) => boolean) => {
    stats.calls++;
    try {
      const r = f();
      if (!check(r)) stats.badStatus++;
    } catch (e) {
      stats.traps++;
      if (stats.trapped.length < 10) stats.trapped.push(`${name}(${args.join(", ")}): ${(e as Error).message}`);
    }
  };
  const length = () => (rng.chance(0.7) ? rng.int(0, core.inputCapacity + 8) : rng.i32());
  for (let n = 0; n < calls; n++) {
    hostileBytes(rng, bytes, markAt, core.inputCapacity);
    hostileBytes(rng, bytes, partAt, core.inputCapacity);
    if (rng.chance(0.5)) bytes.set([82, 77, 83], partAt);                     // "RMS…": reach deeper
    const profile = rng.chance(0.8) ? rng.int(0, 1) : rng.i32();
    const opts = rng.chance(0.8) ? rng.int(0, 3) : rng.i32();
    switch (rng.int(0, 6)) {
      case 0: { const len = length(); call("decode", [len, profile], () => x.decode(len, profile), known); break; }
      case 1: { const len = length(); call("decodePart", [len, profile, opts], () => x.decodePart(len, profile, opts), known); break; }
      case 2: { const a = length(), b = length(); call("verify", [a, b, profile, opts], () => x.verify(a, b, profile, opts), known); break; }
      case 3: {
        const len = rng.chance(0.6) ? rng.int(0, core.batchInputCapacity + 64) : rng.i32();
        hostileBytes(rng, bytes, batchAt, core.batchInputCapacity, rng.pick([0, 0.05, 0.3, 0.9]));
        call("decodeBatch", [len, profile], () => x.decodeBatch(len, profile), (r) => (r >= 0 ? r <= core.batchCapacity : known(-r)));
        break;
      }
      case 4: { const t = rng.f64(); call("deratedPower", [t], () => { x.deratedPower(t); return 0; }, () => true); break; }
      case 5: {
        for (let i = 0; i < 16; i++) {
          const c = rng.next();
          table[2 * i] = options.nonFiniteCandidateChars && c < 0.05 ? rng.pick([NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 1e300])
            : c < 0.7 ? "0123456789ABCDEFGHRSXYZ_".charCodeAt(rng.int(0, 23)) : c < 0.9 ? rng.int(-300, 300) + rng.next() : rng.int(-(2 ** 31), 2 ** 31 - 1);
          table[2 * i + 1] = rng.chance(0.8) ? -rng.next() * 8 : rng.f64();
        }
        const g = rng.chance(0.8) ? rng.int(1, 4) : rng.i32(), k = rng.chance(0.8) ? rng.int(1, 4) : rng.i32(), u = rng.chance(0.8) ? rng.int(0, 1) : rng.i32();
        const chars = Array.from({ length: 16 }, (_, i) => table[2 * i]).filter((c) => !Number.isInteger(c) || Math.abs(c) > 255);
        call("bestReading", [g, k, u, profile, ...(chars.length ? [`chars ${chars.slice(0, 3).join("/")}`] : [])], () => x.bestReading(g, k, u, profile), known);
        // The same table against the hostile bytes in markingInput().
        const len = length();
        call("scoreMarking", [g, k, len], () => x.scoreMarking(g, k, len), known);
        break;
      }
      default: {
        // the address functions: the same numbers every time
        call("addresses", [], () => (x.markingInput() === markAt && x.partInput() === partAt && x.batchInput() === batchAt ? 0 : -1), (r) => r === 0);
      }
    }
    // After a hostile call, a good one: the decoder keeps no state that a bad call can spoil.
    const slot = (i: number): number => core.slots[i];
    if (core.decode("01A", 0) !== Status.OK || slot(Slot.MARK + Reading.OHMS) !== 100
      || core.verify("RMS06FT1000", "01A", 0, 0) !== Status.OK || slot(Slot.VERDICT) !== Verdict.MATCH
      || core.verify("RMS06JT102", "103", 0, 0) !== Status.OK || slot(Slot.VERDICT) !== Verdict.MISMATCH) stats.wrongAfterBad++;
  }
  stats.damaged = guard.damage();
  return stats;
}

/** The reader's debug build (assertions on), next to the release one host/reader.ts loads. */
export const READER_DEBUG_WASM = fileURLToPath(new URL("../build/reader.debug.wasm", import.meta.url));

export const loadCore = (which: "release" | "debug") => {
  const wasm = new Uint8Array(readFileSync(which === "release" ? RELEASE_WASM : DEBUG_WASM));
  return { core: new MarkingCore(wasm), wasm };
};

// ---- the public API and the CLI: never throw, failures are values -----------------------------

export interface ApiFuzzStats { calls: number; unhandled: number; thrown: string[]; badFailures: number; badFailure: string[]; wrongAfterBad: number }

/** A text of exactly `len` UTF-16 units from a hostile alphabet (lengths up to past the areas). */
export function textOfLength(rng: Prng, len: number): string {
  let s = "";
  const alphabet = rng.pick(["0123456789", "0123456789RABCDEFGHXYZ_", "RMS06FT1000", "\u0000\u00ff\n é"]);
  while (s.length < len) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s.slice(0, len);
}

const isFailureWellFormed = (f: { ok: false; input: unknown; error: { code: string; status: number; message: string } }) =>
  typeof f.error.code === "string" && f.error.code !== "internal" && typeof f.error.message === "string" && f.error.message.length > 0
  && (f.error.status === -1 || STATUS_CODES[f.error.status] === f.error.code);

/**
 * Every synchronous API entry point with generated texts and part numbers (every length from 0
 * to past the input area, and past the batch area through decodeMarkings): nothing throws, every
 * Failure names a documented code, and the next good call answers right.
 */
export function fuzzApi(rng: Prng, calls: number, keep = 10): ApiFuzzStats {
  const stats: ApiFuzzStats = { calls: 0, unhandled: 0, thrown: [], badFailures: 0, badFailure: [], wrongAfterBad: 0 };
  const attempt = (what: string, f: () => unknown) => {
    stats.calls++;
    try {
      const r = f() as { ok?: boolean } | null;
      if (r && typeof r === "object" && r.ok === false && !isFailureWellFormed(r as never)) {
        stats.badFailures++;
        if (stats.badFailure.length < keep) stats.badFailure.push(`${what}: ${JSON.stringify(r)}`);
      }
    } catch (e) {
      stats.unhandled++;
      if (stats.thrown.length < keep) stats.thrown.push(`${what}: ${(e as Error).stack ?? e}`);
    }
  };
  for (let n = 0; n < calls; n++) {
    const len = n % 90;                                     // every length 0..89, in turn
    const marking = rng.chance(0.5) ? textOfLength(rng, len) : anyMarking(rng);
    const part = rng.chance(0.3) ? textOfLength(rng, len) : anyPartNumber(rng);
    const profile: ProfileName = rng.chance(0.5) ? "tai" : "common";
    const options = { profile, marked0402: rng.chance(0.5), accept3DigitOnPrecise: rng.chance(0.5) };
    const q = JSON.stringify;
    switch (n % 6) {
      case 0: attempt(`decodeMarking(${q(marking)}, ${profile})`, () => decodeMarking(marking, { profile })); break;
      case 1: attempt(`parsePart(${q(part)})`, () => parsePart(part, options)); break;
      case 2: attempt(`verify(${q(part)}, ${q(marking)})`, () => verify(part, marking, options)); break;
      case 3: attempt(`expectedMarking(${q(part)})`, () => expectedMarking(part, options)); break;
      case 4: { const t = rng.f64(); attempt(`deratedPowerW(${q(part)}, ${t})`, () => deratedPowerW(part, t)); break; }
      default: {
        // A batch past the batch area: many texts, some longer than the whole input area.
        const texts = Array.from({ length: rng.chance(0.1) ? rng.int(1025, 2500) : rng.int(0, 200) }, () => (rng.chance(0.002) ? textOfLength(rng, rng.int(8000, 9000)) : anyMarking(rng)));
        attempt(`decodeMarkings(${texts.length} texts)`, () => {
          const r = decodeMarkings(texts, { profile });
          if (r.ohms.length !== texts.length || r.info.length !== texts.length) throw new Error(`decodeMarkings lost markings: ${r.ohms.length} of ${texts.length}`);
          for (let i = 0; i < texts.length; i++) {
            const code = batchStatus(r.info[i]).code;
            if (code === "internal") throw new Error(`batch status ${r.info[i] & 0xff} for ${q(texts[i].slice(0, 20))}`);
          }
          return r;
        });
      }
    }
    const good = decodeMarking("4R7");
    const v = verify("RMS06FT1200", "121_");
    if (!good.ok || good.ambiguous || good.ohms !== 4.7 || !v.ok || v.verdict !== "match") stats.wrongAfterBad++;
  }
  return stats;
}

/** The shared marking core the API uses, with canaries (so the API fuzz also checks the memory). */
export function apiCanaries(): ReturnType<typeof canaries> {
  return canaries(markingCore(), new Uint8Array(readFileSync(RELEASE_WASM)));
}

// ---- frames: anything sharp may be handed -------------------------------------------------------

/** Error codes readFrame documents (README "CLI") plus image-too-small (frames.ts). */
export const IMAGE_ERROR_CODES = ["image-missing", "image-format", "image-too-large", "image-read", "image-too-small"];

/** A clean, easily read chip frame: the reference a good call after a bad one must still read. */
export async function referenceFrame(text = "01A", seed = 20_000_001): Promise<Buffer> {
  const frame = await renderFrame({
    seed, text, size: "06", charHeightPx: 24, orientation: 0, skewDeg: 0, font: "plain", scene: "chip",
    surround: "board", underlineStyle: "full",
    effects: { blurSigma: 0, noiseSigma: 2, jpegQuality: null, lightGradient: 0.1, dotted: false, brokenStrokes: 0, inkThickness: 0.14, inkBrightness: 235, monochrome: false },
  });
  return frame.data;
}

/** What a read says, without its timing: two reads of the same frame must give the same. */
export function readSignature(r: Awaited<ReturnType<typeof readFrame>>): string {
  if (!r.ok) return `error ${r.error.code}`;
  const { timing: _t, ...rest } = r;
  return JSON.stringify(rest);
}

const raw = (data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4) =>
  sharp(data, { raw: { width, height, channels } });

/** One hostile frame: its encoded bytes and what it is, for messages. */
export async function hostileFrame(rng: Prng, reference: Buffer): Promise<{ what: string; data: Uint8Array }> {
  const size = (): [number, number] => rng.pick<() => [number, number]>([
    () => [rng.int(1, 700), rng.int(1, 520)], () => [1, 1], () => [8, 8], () => [7, 8], () => [8, 7], () => [9, 9],
    () => [640, 480], () => [641, 481], () => [1280, 960], () => [rng.int(1500, 3000), rng.int(8, 40)], () => [rng.int(8, 40), rng.int(1500, 3000)],
  ])();
  const kind = rng.int(0, 9);
  const [w, h] = size();
  const encode = (img: sharp.Sharp) => (rng.chance(0.5) ? img.png({ compressionLevel: 1 }) : img.jpeg({ quality: rng.int(5, 95) })).toBuffer();
  switch (kind) {
    case 0: { // noise, grey or colour
      const channels = rng.pick([1, 3] as const);
      const data = new Uint8Array(w * h * channels);
      for (let i = 0; i < data.length; i++) data[i] = rng.u32() & 0xff;
      return { what: `noise ${w}×${h}×${channels}`, data: await encode(raw(data, w, h, channels)) };
    }
    case 1: { // flat
      const v = rng.pick([0, 255, rng.int(0, 255)]);
      return { what: `flat ${v} ${w}×${h}`, data: await encode(sharp({ create: { width: w, height: h, channels: 3, background: { r: v, g: v, b: v } } })) };
    }
    case 2: { // stripes, checkers, dots: print-like strokes with nothing to read
      const data = new Uint8Array(w * h);
      const p = rng.int(1, 12), mode = rng.int(0, 3);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        data[y * w + x] = mode === 0 ? ((x / p) & 1) * 255 : mode === 1 ? (((x / p) ^ (y / p)) & 1) * 255 : mode === 2 ? (x % p === 0 && y % p === 0 ? 255 : 20) : ((x + y) % (2 * p) < p ? 230 : 25);
      }
      return { what: `pattern ${mode}/${p} ${w}×${h}`, data: await encode(raw(data, w, h, 1)) };
    }
    case 3: { // a chip-like scene of random shapes: body, caps, random bright strokes
      const W = rng.int(40, 640), H = rng.int(30, 480);
      const shapes: string[] = [`<rect width="${W}" height="${H}" fill="rgb(${rng.int(0, 90)},${rng.int(0, 120)},${rng.int(0, 90)})"/>`];
      const bw = W * rng.next(), bh = H * rng.next(), bx = (W - bw) / 2, by = (H - bh) / 2;
      shapes.push(`<rect x="${bx}" y="${by}" width="${bw}" height="${bh}" fill="#1c1c1c"/>`);
      if (rng.chance(0.7)) shapes.push(`<rect x="${bx}" y="${by}" width="${bw * 0.15}" height="${bh}" fill="#ccc"/><rect x="${bx + bw * 0.85}" y="${by}" width="${bw * 0.15}" height="${bh}" fill="#ccc"/>`);
      for (let i = rng.int(0, 12); i > 0; i--) {
        shapes.push(`<line x1="${rng.int(0, W)}" y1="${rng.int(0, H)}" x2="${rng.int(0, W)}" y2="${rng.int(0, H)}" stroke="#eee" stroke-width="${rng.int(1, 6)}"/>`);
      }
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${shapes.join("")}</svg>`;
      return { what: `shapes ${W}×${H}`, data: await encode(sharp(Buffer.from(svg))) };
    }
    case 4: { // the reference chip, transformed
      const t = rng.int(0, 6);
      let img = sharp(reference);
      if (t === 0) img = img.rotate(rng.int(0, 359), { background: "#000" });
      else if (t === 1) img = img.negate({ alpha: false });
      else if (t === 2) img = img.threshold(rng.int(1, 254));
      else if (t === 3) img = img.blur(rng.int(1, 20));
      else if (t === 4) img = img.resize(rng.int(8, 16), rng.int(8, 12), { fit: "fill" });
      else if (t === 5) img = img.resize(rng.int(1200, 2400), rng.int(900, 1800), { fit: "fill" });
      else img = img.extend({ top: rng.int(0, 400), bottom: rng.int(0, 400), left: rng.int(0, 600), right: rng.int(0, 600), background: "#777" });
      return { what: `reference transformed ${t}`, data: await encode(img) };
    }
    case 5: { // bytes that are not an image, or an image with bytes changed
      if (rng.chance(0.3)) return { what: "random bytes", data: Uint8Array.from({ length: rng.int(0, 2000) }, () => rng.u32() & 0xff) };
      const b = Uint8Array.from(reference);
      for (let k = rng.int(1, 8); k > 0; k--) b[rng.int(0, Math.min(b.length - 1, 300 + rng.int(0, b.length)))] = rng.u32() & 0xff;
      return { what: "reference with bytes changed", data: b };
    }
    case 6: { // truncated
      return { what: "truncated reference", data: reference.subarray(0, rng.int(0, reference.length - 1)) };
    }
    case 7: { // 16-bit, alpha, CMYK
      const t = rng.int(0, 2);
      const img = t === 0 ? sharp(reference).toColourspace("rgb16").png() : t === 1 ? sharp(reference).ensureAlpha(rng.next()).png() : sharp(reference).toColourspace("cmyk").jpeg();
      return { what: `reference as ${["rgb16 png", "png with alpha", "cmyk jpeg"][t]}`, data: await img.toBuffer() };
    }
    default: { // noise at the buffer's size and past it (scaled down by the host)
      const [W, H] = rng.pick([[640, 480], [641, 480], [640, 481], [960, 720]] as const);
      const data = new Uint8Array(W * H);
      for (let i = 0; i < data.length; i++) data[i] = (rng.u32() & 0x3f) + (((i % W) >> 4) & 1) * 160;
      return { what: `bars ${W}×${H}`, data: await encode(raw(data, W, H, 1)) };
    }
  }
}

export interface FrameFuzzStats {
  frames: number;
  calls: number;
  unhandled: number;
  thrown: string[];
  badResults: string[];         // a Failure with an undocumented code, or an ok read with bad fields
  falseMatches: string[];       // checkFrame said match on a frame that is not the reel's chip
  wrongAfterBad: number;        // the reference frame read differently after a hostile one
  readerTraps: number;          // direct reader calls that trapped
  missingForBytes: string[];    // image-missing ("does not exist") for bytes in memory: must stay empty
  readerMemoryGrew: boolean;
  markingDamage: number[];      // marking module canary bytes changed by the frame path
}

function saneRead(r: Extract<Awaited<ReturnType<typeof readFrame>>, { ok: true }>): string | null {
  if (!(r.confidence >= 0 && r.confidence <= 1)) return `confidence ${r.confidence}`;
  if (![null, 0, 90, 180, 270].includes(r.orientation)) return `orientation ${r.orientation}`;
  if (r.text !== null) {
    const m = decodeMarking(r.text);
    if (!m.ok) return `text ${JSON.stringify(r.text)} is not a marking`;
  }
  for (const g of r.glyphs) for (const [x, y] of g.quad) if (!Number.isFinite(x) || !Number.isFinite(y)) return "glyph corner not finite";
  if (!(r.size.scale >= 1)) return `scale ${r.size.scale}`;
  return null;
}

/**
 * `count` hostile frames through readFrame and checkFrame (against a random reel: nothing here is
 * that reel's chip, except the reference, which is not checked), then `direct` raw frames
 * straight into the reader module. Canaries guard the marking module; the reader's memory
 * must not grow; after every hostile frame the reference frame must read exactly as before.
 */
export async function fuzzFrames(rng: Prng, count: number, direct: number, keep = 10): Promise<FrameFuzzStats> {
  const stats: FrameFuzzStats = { frames: 0, calls: 0, unhandled: 0, thrown: [], badResults: [], falseMatches: [], wrongAfterBad: 0, readerTraps: 0, missingForBytes: [], readerMemoryGrew: false, markingDamage: [] };
  const reference = await referenceFrame();
  const baseline = readSignature(await readFrame(reference));
  const guard = apiCanaries();
  const reader = readerCore();
  const readerBytes = reader.exports.memory.buffer.byteLength;
  reels ??= catalogueReels();
  for (let n = 0; n < count; n++) {
    const { what, data } = await hostileFrame(rng, reference);
    stats.frames++;
    const part = rng.pick(reels).part;
    const profile: ProfileName = rng.chance(0.5) ? "tai" : "common";
    try {
      stats.calls += 2;
      const r = await readFrame(data, { profile, keepHypotheses: rng.chance(0.2) });
      if (!r.ok) {
        if (!IMAGE_ERROR_CODES.includes(r.error.code) && stats.badResults.length < keep) stats.badResults.push(`${what}: ${r.error.code}`);
        if (r.error.code === "image-missing") stats.missingForBytes.push(`${what}: ${r.error.message}`);
      }
      else { const bad = saneRead(r); if (bad && stats.badResults.length < keep) stats.badResults.push(`${what}: ${bad}`); }
      const c = await checkFrame(part, data, { profile });
      // Only the reference chip carries a marking (01A); nothing else may match any reel.
      const mayMatch = what.startsWith("reference") && oracleMayMatch(part, "01A", { profile });
      if (c.ok && c.verdict === "match" && !mayMatch) stats.falseMatches.push(`${what} on ${part}: read ${c.text}`);
    } catch (e) {
      stats.unhandled++;
      if (stats.thrown.length < keep) stats.thrown.push(`${what}: ${(e as Error).stack ?? e}`);
    }
    if (readSignature(await readFrame(reference)) !== baseline) stats.wrongAfterBad++;
  }
  // Straight into the module: any size the buffer holds, any pixels; the debug builds (with
  // their assertions) take every other frame.
  const debugReader = direct > 1 ? ReaderCore.load(READER_DEBUG_WASM) : reader;
  const debugCore = direct > 1 ? MarkingCore.load(DEBUG_WASM) : markingCore();
  for (let n = 0; n < direct; n++) {
    const debug = n % 2 === 1;
    const reader = debug ? debugReader : readerCore();
    const w = rng.chance(0.2) ? rng.pick([0, 1, 7, 8, reader.maxWidth, reader.maxWidth + 1, -1]) : rng.int(8, reader.maxWidth);
    const h = rng.chance(0.2) ? rng.pick([0, 1, 7, 8, reader.maxHeight, reader.maxHeight + 1, -1]) : rng.int(8, reader.maxHeight);
    const px = Math.max(0, Math.min(w, reader.maxWidth)) * Math.max(0, Math.min(h, reader.maxHeight));
    const gray = new Uint8Array(px);
    const mode = rng.int(0, 3);
    for (let i = 0; i < px; i++) gray[i] = mode === 0 ? rng.u32() & 0xff : mode === 1 ? (i % 7 < 2 ? 250 : 10) : mode === 2 ? ((i * 2654435761) >>> 24) & 0xf0 : (rng.chance(0.01) ? 255 : 30);
    stats.calls++;
    try {
      reader.frame.set(gray);
      reader.exports.readFrame(w, h);
      hypotheses(reader, debug ? debugCore : markingCore(), rng.int(0, 1), 1);
    } catch (e) {
      stats.readerTraps++;
      if (stats.thrown.length < keep) stats.thrown.push(`${debug ? "debug " : ""}reader ${w}×${h} mode ${mode}: ${(e as Error).message}`);
    }
  }
  if (readSignature(await readFrame(reference)) !== baseline) stats.wrongAfterBad++;
  stats.readerMemoryGrew = reader.exports.memory.buffer.byteLength !== readerBytes || debugReader.exports.memory.buffer.byteLength !== readerBytes;
  stats.markingDamage = guard.damage();
  return stats;
}

// ---- wrong reels: one confusable glyph, a missing or extra underline, text upside down -----------

export interface ReelCase {
  category: string;            // "confusable 0/D", "rot180 6/9", "underline missing", ...
  part: string;                // the reel
  reelMarking: string;         // what the reel's chips should carry
  printed: string;             // what this chip carries
  spec: FrameSpec;
  crop?: boolean;              // cut to the held-out photos' framing around the body (samples/crop.ts)
  enlarge?: number;            // the frame as drawn, enlarged this many times (sharp's default resampling)
}

const CONFUSABLE_PAIRS: readonly [string, string][] = [["8", "B"], ["0", "D"], ["1", "7"], ["5", "6"], ["3", "8"], ["6", "9"]];
const ROT180: Record<string, string> = { "0": "0", "1": "1", "6": "9", "8": "8", "9": "6" };
/** The text as it looks with the chip turned 180° (digits that have such a look only). */
export function rot180(text: string): string | null {
  let out = "";
  for (const c of text) { const r = ROT180[c]; if (r === undefined) return null; out = r + out; }
  return out;
}

/**
 * Whether a part can carry what the text reads as under TA-I: a jumper, or a value of E-24 or
 * E-96 from 1 Ω to 20 MΩ (computed here from oracle.ts's series, not the core's tables).
 */
export function partCanCarry(text: string): boolean {
  return oracleReadings(text, "tai").some(({ ohms }) => {
    if (ohms === 0) return true;
    if (!(ohms >= 1 && ohms <= 20e6)) return false;
    const m = Math.round(ohms / 10 ** (Math.floor(Math.log10(ohms) + 1e-9) - 2));
    return E96.includes(m) || (m % 10 === 0 && E24.includes(m / 10));
  });
}

interface PairPool { category: string; pairs: { reel: { part: string; marking: string; size: Size }; printed: string }[] }

let pools: PairPool[] | undefined;
/** Every (reel, printed) pair of the adversarial set, by category (derived from test/oracle.ts). */
export function adversarialPools(): PairPool[] {
  if (pools) return pools;
  reels ??= catalogueReels();
  const marked = reels.filter((r) => r.marking !== "" && r.marking !== "0" && r.size !== "02" && r.size !== "04");
  const bySize = new Map<Size, typeof marked>();
  for (const r of marked) if (!bySize.get(r.size)?.some((x) => x.marking === r.marking)) bySize.set(r.size, [...(bySize.get(r.size) ?? []), r]);
  const out: PairPool[] = CONFUSABLE_PAIRS.map(([p, q]) => ({ category: `confusable ${p}/${q}`, pairs: [] }));
  // Real markings of one size that differ in one place by a confusable pair (both ways round).
  for (const [, rs] of bySize) {
    const byLength = new Map<number, typeof rs>();
    for (const r of rs) byLength.set(r.marking.length, [...(byLength.get(r.marking.length) ?? []), r]);
    const known = new Map(rs.map((r) => [r.marking, r]));
    for (const a of rs) {
      for (let i = 0; i < a.marking.length; i++) {
        CONFUSABLE_PAIRS.forEach(([p, q], k) => {
          const c = a.marking[i];
          const other = c === p ? q : c === q ? p : null;
          if (other === null) return;
          const printed = a.marking.slice(0, i) + other + a.marking.slice(i + 1);
          // The printed text must be a reel's marking. A text no part can carry is no wrong
          // reel's chip (a 68B printed 688 would be a 6.8 GΩ part): between such a twin and the
          // reel's marking the grammar decides (see partCanCarry). So under TA-I the 8/B pool
          // is empty, and adversarial.test.ts says why.
          if (!known.has(printed)) return;
          out[k].pairs.push({ reel: a, printed });
        });
      }
    }
  }
  // Turned 180°, the chip reads as the reel's marking: 161 printed 191, 1601 printed 1091.
  const rot: PairPool = { category: "rot180 6/9", pairs: [] };
  for (const r of marked) {
    const p = rot180(r.marking);
    if (p === null || p === r.marking || p[0] === "0" || oracleReadings(p, "tai").length === 0) continue;
    if (!rot.pairs.some((x) => x.reel.marking === r.marking)) rot.pairs.push({ reel: r, printed: p });
  }
  // The underline: missing on a ±0.5/±1 % 0603 reel, extra on a ±5 % one.
  const plain06 = new Map(marked.filter((r) => r.size === "06" && r.tol === "J").map((r) => [r.marking, r]));
  const under = marked.filter((r) => r.size === "06" && r.marking.endsWith("_") && plain06.has(r.marking.slice(0, -1)));
  const missing: PairPool = { category: "underline missing", pairs: under.map((r) => ({ reel: r, printed: r.marking.slice(0, -1) })) };
  const extra: PairPool = { category: "underline extra", pairs: under.map((r) => ({ reel: plain06.get(r.marking.slice(0, -1))!, printed: r.marking })) };
  // A character the reader loses (too faint, or hidden by glare) leaves another reel's code:
  // 1742 without its 4 is 172. Chips of one size whose marking, one character dropped, is a
  // reel's marking of that size.
  const dropped: PairPool = { category: "character dropped", pairs: [] };
  for (const [, rs] of bySize) {
    const known = new Map(rs.map((r) => [r.marking, r]));
    for (const b of rs) {
      const text = b.marking.replace(/_$/, "");
      for (let i = 0; i < text.length; i++) {
        const reel = known.get(text.slice(0, i) + text.slice(i + 1) + (b.marking.endsWith("_") ? "_" : ""));
        if (reel && !dropped.pairs.some((x) => x.reel === reel && x.printed === b.marking)) dropped.pairs.push({ reel, printed: b.marking });
      }
    }
  }
  // A jumper reel: "0", "00" and "000" all mean 0 Ω, so chips whose marking is mostly zeros and
  // their look-alike D (100, 10D, 01D, 2000) are a character or a look-alike away from a match.
  // (The catalogue lists resistors; a jumper reel of each marked size is RMS<size>JT000.)
  const zero: PairPool = { category: "read as zero", pairs: [] };
  for (const size of new Set(marked.map((r) => r.size))) {
    const z = { part: `RMS${size}JT000`, marking: "0", size, tol: "J" as Tol };
    for (const b of marked) {
      if (b.size !== size) continue;
      const zeros = [...b.marking].filter((c) => c === "0" || c === "D").length;
      if (zeros >= 2 && !zero.pairs.some((x) => x.reel === z && x.printed === b.marking)) zero.pairs.push({ reel: z, printed: b.marking });
    }
  }
  return (pools = [...out, rot, missing, extra, dropped, zero].filter((p) => p.pairs.length > 0));
}

/**
 * `perCategory` wrong-reel frames per category, each with its twin: the same spec printed with
 * the reel's own marking (the correct reel rendered the same way). Fonts (the held-out one
 * included), sizes, orientations, skew, character heights and effects vary by seed.
 */
export function adversarialCases(seedBase: number, perCategory: number): { wrong: ReelCase[]; correct: ReelCase[] } {
  return reelCases(seedBase, perCategory, false);
}

/**
 * The same pairs, 0603 reels only, framed as the held-out photos are: turned 90° or 270°,
 * characters CROP.charHeightPx high, on board, cut to CROP's size around the body. There the
 * suite found a plain 300 whose broken 3 the line reading skipped, read 00 on a jumper reel.
 */
export function adversarialCropCases(seedBase: number, perCategory: number): { wrong: ReelCase[]; correct: ReelCase[] } {
  return reelCases(seedBase, perCategory, true);
}

function reelCases(seedBase: number, perCategory: number, cropped: boolean): { wrong: ReelCase[]; correct: ReelCase[] } {
  const used = adversarialPools().length * perCategory;
  if (seedBase < COMMITTED_SEED_BASE + COMMITTED_SEED_SPAN && seedBase + used > COMMITTED_SEED_BASE) {
    throw new RangeError(`adversarial seeds ${seedBase}–${seedBase + used - 1} overlap the committed test set's`);
  }
  const wrong: ReelCase[] = [], correct: ReelCase[] = [];
  let seed = seedBase;
  for (const pool of adversarialPools()) {
    const pairs = cropped ? pool.pairs.filter((p) => p.reel.size === "06") : pool.pairs;
    if (pairs.length === 0) continue;
    const rng = new Rng(`${cropped ? "adversarial-crop" : "adversarial"}:${pool.category}:${seedBase}`);
    const picks = rng.shuffle([...pairs]);
    for (let i = 0; i < perCategory; i++) {
      const { reel, printed } = picks[i % picks.length];
      const charHeightPx = cropped ? rng.int(CROP.charHeightPx[0], CROP.charHeightPx[1]) : rng.int(14, 32);
      const orientation = cropped ? rng.pick([90, 270] as const)
        : pool.category.startsWith("rot180") && rng.chance(0.5) ? 180 : rng.pick(ORIENTATIONS);
      const skewDeg = round(rng.range(-MAX_SKEW_DEG, MAX_SKEW_DEG), 1);
      const spec: FrameSpec = {
        seed: seed++,
        text: printed,
        size: reel.size as SizeCode,
        charHeightPx,
        orientation,
        skewDeg,
        font: FONT_IDS[i % FONT_IDS.length],
        scene: "chip",
        surround: cropped ? "board" : randomSurround(rng),
        underlineStyle: randomUnderlineStyle(rng),
        effects: randomEffects(rng, charHeightPx),
      };
      const crop = cropped ? { crop: true } : {};
      wrong.push({ category: pool.category, part: reel.part, reelMarking: reel.marking, printed, spec, ...crop });
      correct.push({ category: pool.category, part: reel.part, reelMarking: reel.marking, printed: reel.marking, spec: { ...spec, text: reel.marking }, ...crop });
    }
  }
  return { wrong, correct };
}

/**
 * The same cases with worse print and optics than the renderer draws: more blur (+0.3 to 0.7),
 * half as much noise again, JPEG quality 45 to 70, ink 40 grey levels dimmer (not under 140).
 * The held-out photos may be softer and dimmer than any sample; a wrong reel must not become a
 * match there either. Drawn from each case's spec seed, so a case is the same in every run.
 */
export function harsher(cases: ReelCase[]): ReelCase[] {
  return cases.map((c) => {
    const rng = new Rng(`harsher:${c.spec.seed}`), fx = c.spec.effects;
    return { ...c, spec: { ...c.spec, effects: {
      ...fx,
      blurSigma: round(fx.blurSigma + rng.range(0.3, 0.7), 2),
      noiseSigma: round(fx.noiseSigma * 1.5, 1),
      jpegQuality: rng.int(45, 70),
      inkBrightness: Math.max(140, fx.inkBrightness - 40),
    } } };
  });
}

/**
 * The cases with each frame enlarged `factor` times after drawing: print of 24 to 80 px at 2,
 * most of it large enough for the reader's half-resolution read.
 */
export function enlarged(cases: ReelCase[], factor: number): ReelCase[] {
  return cases.map((c) => ({ ...c, enlarge: factor }));
}

export interface ReelResult { c: ReelCase; verdict: string; reason: string; text: string | null; confidence: number; charHeightPx?: number | null; error?: string }

/** Renders the cases (a few at a time: sharp has its own threads) and checks each against its reel. */
export async function checkReelCases(cases: ReelCase[], concurrency = 4): Promise<ReelResult[]> {
  const out: ReelResult[] = new Array(cases.length);
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      const rendered = await renderFrame(c.spec);
      const frame = c.crop ? await cropAroundBody(rendered, c.spec.seed) : rendered;
      let data = frame.data;
      if (c.enlarge) {
        const { width, height } = await sharp(data).metadata();
        data = await sharp(data).resize(Math.round(width! * c.enlarge), Math.round(height! * c.enlarge)).png().toBuffer();
      }
      const r = await checkFrame(c.part, data);
      out[i] = r.ok ? { c, verdict: r.verdict, reason: r.reason, text: r.text, confidence: r.frame.confidence, charHeightPx: r.frame.charHeightPx }
        : { c, verdict: "error", reason: r.error.code, text: null, confidence: 0, error: r.error.message };
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Counts for a report: false accepts on wrong reels, false rejects on correct ones, by category. */
export function reelRates(wrong: ReelResult[], correct: ReelResult[]) {
  const categories = [...new Set(wrong.map((r) => r.c.category))];
  const rate = (n: number, of: number) => (of === 0 ? "-" : `${((100 * n) / of).toFixed(1)} %`);
  const falseAccepts = wrong.filter((r) => r.verdict === "match");
  const falseRejects = correct.filter((r) => r.verdict !== "match");
  const rows = categories.map((cat) => {
    const w = wrong.filter((r) => r.c.category === cat), c = correct.filter((r) => r.c.category === cat);
    const fa = w.filter((r) => r.verdict === "match").length, fr = c.filter((r) => r.verdict !== "match").length;
    const fm = c.filter((r) => r.verdict === "mismatch").length;
    return `${cat.padEnd(18)} wrong reels ${String(w.length).padStart(4)}  false accepts ${String(fa).padStart(3)} (${rate(fa, w.length)})   correct reels ${String(c.length).padStart(4)}  false rejects ${String(fr).padStart(3)} (${rate(fr, c.length)}), of them mismatches ${String(fm).padStart(3)}`;
  });
  // A false reject that is a mismatch stops the line; the rest are unverifiable (another look).
  const falseMismatches = correct.filter((r) => r.verdict === "mismatch");
  return {
    falseAccepts, falseRejects, falseMismatches,
    falseAcceptRate: wrong.length ? falseAccepts.length / wrong.length : 0,
    falseRejectRate: correct.length ? falseRejects.length / correct.length : 0,
    lines: [
      ...rows,
      `${"all".padEnd(18)} wrong reels ${String(wrong.length).padStart(4)}  false accepts ${String(falseAccepts.length).padStart(3)} (${rate(falseAccepts.length, wrong.length)})   correct reels ${String(correct.length).padStart(4)}  false rejects ${String(falseRejects.length).padStart(3)} (${rate(falseRejects.length, correct.length)}), of them mismatches ${String(falseMismatches.length).padStart(3)}`,
    ],
  };
}

// ---- the CLI: any argv gives an exit code, never an exception ------------------------------------

export interface CliFuzzStats { calls: number; unhandled: number; thrown: string[]; badCodes: string[] }

// No "replay" and no "--report": those read whole folders and write files (test/hostile.test.ts covers them).
const ARGS = ["decode", "part", "verify", "read", "check", "help", "--json", "--profile", "tai", "common", "x", "--part",
  "RMS06FT1000", "--accept-3digit", "--marked-0402", "--fail-on", "verdict", "false-match", "-h", "--help", "--", "-", "--bogus", "=", ""];

/**
 * run(argv) with generated argument lists: commands, options in any order, markings, part
 * numbers, missing and bad files. Every call returns (or resolves to) 0, 1, 2 or 3.
 */
export async function fuzzCli(rng: Prng, calls: number, badFiles: string[], keep = 10): Promise<CliFuzzStats> {
  const { run } = await import("../host/cli.ts");
  const stats: CliFuzzStats = { calls: 0, unhandled: 0, thrown: [], badCodes: [] };
  for (let n = 0; n < calls; n++) {
    const argv: string[] = [];
    const command = rng.pick(["decode", "part", "verify", "decode", "verify", "read", "check", "x", ""]);
    if (command) argv.push(command);
    for (let k = rng.int(0, 6); k > 0; k--) {
      const x = rng.next();
      argv.push(x < 0.3 ? rng.pick(ARGS) : x < 0.55 ? anyMarking(rng) : x < 0.75 ? anyPartNumber(rng) : x < 0.85 && badFiles.length ? rng.pick(badFiles) : textOfLength(rng, rng.int(0, 70)));
    }
    // read and check touch files: keep them to the few given (they are slow only when they decode).
    if ((command === "read" || command === "check") && argv.some((a, i) => i > 0 && !a.startsWith("-") && !badFiles.includes(a) && a !== "RMS06FT1000")) {
      for (let i = 1; i < argv.length; i++) if (!argv[i].startsWith("-") && argv[i - 1] !== "--part" && argv[i - 1] !== "--profile") argv[i] = rng.pick(badFiles.length ? badFiles : ["/nonexistent"]);
    }
    stats.calls++;
    try {
      const code = await run(argv, () => {}, () => {});
      if (![0, 1, 2, 3].includes(code) && stats.badCodes.length < keep) stats.badCodes.push(`${JSON.stringify(argv)} → ${code}`);
    } catch (e) {
      stats.unhandled++;
      if (stats.thrown.length < keep) stats.thrown.push(`${JSON.stringify(argv)}: ${(e as Error).stack ?? e}`);
    }
  }
  return stats;
}

// ---- hand-made image headers ------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/**
 * A well-formed 8-bit grey PNG declaring width × height, with pixel data for its first `rows`
 * rows (all of them: a real decompression bomb, zeros compress a thousandfold; fewer: truncated).
 */
export function pngDeclaring(width: number, height: number, rows = 1): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 0;
  const pixels = deflateSync(Buffer.alloc(Math.min(rows, height) * (width + 1)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IDAT", pixels), pngChunk("IEND", new Uint8Array(0))]);
}

/** A JPEG whose frame header (SOF) is patched to declare width × height (its data stays small). */
export function jpegDeclaring(jpeg: Uint8Array, width: number, height: number): Buffer {
  const b = Buffer.from(jpeg);
  for (let i = 2; i + 8 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] >= 0xc0 && b[i + 1] <= 0xc2) { b.writeUInt16BE(height, i + 5); b.writeUInt16BE(width, i + 7); return b; }
  }
  throw new Error("no SOF marker");
}

// ---- a replay folder with thousands of frames, bad ones among them --------------------------------

export interface ReplayFolder { dir: string; entries: FrameEntry[]; bad: Set<string> }

/**
 * Writes `count` frames and their index.json into `dir`: copies of a few small frames under
 * distinct names (some in sub-folders, some with spaces and non-ASCII in their names) and, every
 * `badEvery`-th, a bad one: empty, text, truncated PNG or JPEG, a directory, a missing file,
 * a 1 × 1 image, a header declaring 100000 × 100000 pixels, a corrupt header.
 */
export async function writeReplayFolder(dir: string, rng: Prng, count: number, badEvery = 10): Promise<ReplayFolder> {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join, dirname } = await import("node:path");
  mkdirSync(dir, { recursive: true });
  const chip = async (text: string, seed: number) => sharp(await referenceFrame(text, seed)).resize({ width: 96 }).png().toBuffer();
  const good = [
    { data: await chip("01A", 20_000_011), part: "RMS06FT1000", printed: "01A", verdict: "match" as const },
    { data: await chip("102", 20_000_012), part: "RMS06JT102", printed: "102", verdict: "match" as const },
    { data: await chip("121_", 20_000_013), part: "RMS06FT1200", printed: "121_", verdict: "match" as const },
    { data: await chip("103", 20_000_014), part: "RMS06JT102", printed: "103", verdict: "mismatch" as const },
    { data: await sharp({ create: { width: 64, height: 48, channels: 3, background: "#2e6b3a" } }).jpeg().toBuffer(), part: "RMS06FT1000", printed: "", verdict: "unverifiable" as const },
  ];
  const jpeg = await sharp(good[0].data).jpeg().toBuffer();
  const onePixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } }).png().toBuffer();
  const png100k = pngDeclaring(100_000, 100_000);
  const corrupt = (() => { const b = Buffer.from(good[0].data); b[12] = 0x58; return b; })();   // "IHDR" → "XHDR"
  const badKinds: [string, (path: string) => void][] = [
    ["empty", (p) => writeFileSync(p, "")],
    ["text", (p) => writeFileSync(p, "this is not a PNG\n")],
    ["truncated png", (p) => writeFileSync(p, good[0].data.subarray(0, rng.int(1, good[0].data.length - 20)))],
    ["truncated jpeg", (p) => writeFileSync(p, jpeg.subarray(0, rng.int(1, jpeg.length - 10)))],
    ["directory", (p) => mkdirSync(p, { recursive: true })],
    ["missing", () => {}],
    ["1x1", (p) => writeFileSync(p, onePixel)],
    ["100000x100000", (p) => writeFileSync(p, png100k)],
    ["corrupt header", (p) => writeFileSync(p, corrupt)],
  ];
  const entries: FrameEntry[] = [];
  const bad = new Set<string>();
  for (let i = 0; i < count; i++) {
    const sub = rng.pick(["", "", "a/", "a/b/", "with space/", "ünï/"]);
    const isBad = i % badEvery === badEvery - 1;
    const g = rng.pick(good);
    const file = `${sub}f${String(i).padStart(5, "0")}${isBad ? "-bad" : ""}.${rng.pick(["png", "jpg"])}`;
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    if (isBad) {
      const [kind, make] = badKinds[(i / badEvery | 0) % badKinds.length];
      make(path);
      bad.add(file);
      entries.push({ file, group: `bad ${kind}`, part: g.part, printed: g.printed, expectedVerdict: g.verdict, expectedRead: g.printed, charHeightPx: rng.int(8, 45) });
    } else {
      writeFileSync(path, g.data);
      entries.push({ file, group: g.verdict, part: g.part, printed: g.printed, expectedVerdict: g.verdict, expectedRead: g.printed, ...(rng.chance(0.9) ? { charHeightPx: rng.int(8, 45) } : {}) });
    }
  }
  writeFileSync(join(dir, "index.json"), JSON.stringify(entries));
  return { dir, entries, bad };
}


/** Every record accounted for: one per entry, in order, errors exactly for the bad files; counts add up. */
export function replayAccounting(folder: ReplayFolder, records: { file: string; error?: unknown; falseMatch?: boolean }[], summary: ReplaySummary): string[] {
  const problems: string[] = [];
  const n = folder.entries.length;
  if (records.length !== n) problems.push(`${records.length} records for ${n} frames`);
  folder.entries.forEach((e, i) => {
    const r = records[i];
    if (!r || r.file !== e.file) problems.push(`entry ${i} ${e.file}: record ${r?.file}`);
    else if (folder.bad.has(e.file) !== (r.error !== undefined)) problems.push(`${e.file}: ${r.error ? "error" : "no error"}`);
  });
  if (summary.frames !== n || summary.overall.frames !== n) problems.push(`summary counts ${summary.frames}/${summary.overall.frames} frames`);
  if (summary.overall.errors !== folder.bad.size) problems.push(`summary: ${summary.overall.errors} errors for ${folder.bad.size} bad files`);
  const sum = (o: Record<string, ReplayStats>, k: keyof ReplayStats) => Object.values(o).reduce((s, x) => s + x[k], 0);
  for (const k of ["frames", "errors", "exactReads", "falseMatches", "falseMismatches", "verdictOk"] as const) {
    if (sum(summary.groups, k) !== summary.overall[k]) problems.push(`groups' ${k} add up to ${sum(summary.groups, k)}, not ${summary.overall[k]}`);
    if (sum(summary.charHeight, k) !== summary.overall[k]) problems.push(`char-height buckets' ${k} add up to ${sum(summary.charHeight, k)}, not ${summary.overall[k]}`);
  }
  return problems;
}
