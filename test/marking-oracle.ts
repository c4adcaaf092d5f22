// A second, independent model of the marking grammar, for differential tests: written from the
// datasheet (TRMS-XX0S001J section 7) and marking-rules.md, sharing no code or table with
// assembly/. test/oracle.ts models the catalogue (what reels carry); this file models the reading
// side (what any printed text means), including what the documents leave open.
//
// Where the documents are silent (a leading zero in the significant digits, R-notation of a
// zero, an underline under a jumper code), a reading is marked `certain: false`: the decoder may
// refuse it or accept it, but if it accepts it, the value must be the one the formula gives.

import { E96 } from "./oracle.ts";

export type OracleProfile = "tai" | "common";
export type OracleFormat = "3digit" | "4digit" | "eia96" | "zero";
export type OracleClass = "none" | "wide" | "precise";

export interface OracleReading {
  ohms: number;
  format: OracleFormat;
  underlined: boolean;
  rNotation: boolean;
  toleranceClass: OracleClass;
  eia96Index: number | null;
  /** false: the documents do not say whether this text is a marking; if decoded, it reads so. */
  certain: boolean;
}

/** Datasheet 7.3 "Symbol for multipliers": Z Y X A B C D E F G H = 10^-3 … 10^7. */
const TAI_LETTERS: Readonly<Record<string, number>> = { Z: -3, Y: -2, X: -1, A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7 };
/** marking-rules.md: the common EIA-96 table: R = Y, S = X, H = B, no G (and no TA-I H). */
const COMMON_LETTERS: Readonly<Record<string, number>> = { Z: -3, Y: -2, R: -2, X: -1, S: -1, A: 0, B: 1, H: 1, C: 2, D: 3, E: 4, F: 5 };

/** The input area holds 64 bytes; a longer text is refused, never cut. */
export const INPUT_CAPACITY = 64;

/** Exact ohms of significant digits × 10^exp: the nearest double to the decimal value. */
const value = (digits: number, exp: number): number => Number(`${digits}e${exp}`);

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

/**
 * Every reading of `input` under a profile. Empty: not a marking. Two readings: ambiguous (the
 * decoder must report both). A reading with `certain: false` is one the documents leave open.
 */
export function oracleReadings(input: string, profile: OracleProfile): OracleReading[] {
  const n = input.length;
  if (n === 0 || n > INPUT_CAPACITY) return [];
  // Lower case is the same marking (marking-rules.md); only ASCII letters fold.
  let text = "";
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (isDigit(c) || (c >= 65 && c <= 90) || c === 95) text += input[i];
    else if (c >= 97 && c <= 122) text += String.fromCharCode(c - 32);
    else return [];                                   // punctuation, space, control, non-ASCII
  }
  const bar = text.indexOf("_");
  if (bar >= 0 && bar !== text.length - 1) return []; // the underline is written last, once
  const underlined = bar >= 0;
  const body = underlined ? text.slice(0, -1) : text;
  const out: OracleReading[] = [];
  digitCode(body, underlined, out);
  eia96(body, underlined, profile, out);
  return out;
}

/** 7.1 / 7.2: two or three significant digits and an exponent digit, or R as the decimal point. */
function digitCode(body: string, underlined: boolean, out: OracleReading[]): void {
  const n = body.length;
  if (n === 1 || n === 2) {
    // The jumper: "0" (datasheet 3) and "00" (marking-rules.md); nothing else this short.
    if ((body === "0" || body === "00") && !underlined) out.push(zero(false, underlined, true));
    return;
  }
  if (n !== 3 && n !== 4) return;
  let rAt = -1;
  for (let i = 0; i < n; i++) {
    const c = body.charCodeAt(i);
    if (c === 82) { if (rAt >= 0) return; rAt = i; }   // one R at most
    else if (!isDigit(c)) return;
  }
  // Only a 3-character code is underlined (7.3's note: the E-24 3-digit code).
  if (underlined && n !== 3) return;
  const rNotation = rAt >= 0;
  const digits = rNotation ? body.slice(0, rAt) + body.slice(rAt + 1) : body.slice(0, n - 1);
  if (digits.length === 0) return;
  const exp = rNotation ? -(n - 1 - rAt) : body.charCodeAt(n - 1) - 48;
  const sig = Number(digits);
  if (sig === 0) {
    // 0 × 10^k with k > 0 is not how a jumper is written ("001"); the zero forms are listed.
    if (!rNotation && exp !== 0) return;
    const listed = body === "000" || body === "0000" || body === "0R0";
    out.push(zero(rNotation, underlined, listed && !underlined));
    return;
  }
  out.push({
    ohms: value(sig, exp),
    format: n === 3 ? "3digit" : "4digit",
    underlined,
    rNotation,
    // 7.1: 3 digits are the ±2/±5 % style; 7.2 and 7.3's underlined 3 digits the ±0.5/±1 % one.
    toleranceClass: n === 4 || underlined ? "precise" : "wide",
    eia96Index: null,
    // "first two digits represent the significant figures": a leading 0 is not one.
    certain: digits.charCodeAt(0) !== 48,
  });
}

function zero(rNotation: boolean, underlined: boolean, certain: boolean): OracleReading {
  return { ohms: 0, format: "zero", underlined, rNotation, toleranceClass: "none", eia96Index: null, certain };
}

/** 7.3: E-96 index 01..96 and a multiplier letter; never underlined (the underline is 3-digit only). */
function eia96(body: string, underlined: boolean, profile: OracleProfile, out: OracleReading[]): void {
  if (underlined || body.length !== 3) return;
  if (!isDigit(body.charCodeAt(0)) || !isDigit(body.charCodeAt(1))) return;
  const exp = (profile === "tai" ? TAI_LETTERS : COMMON_LETTERS)[body[2]];
  if (exp === undefined) return;
  const index = Number(body.slice(0, 2));
  if (index < 1 || index > 96) return;
  out.push({
    ohms: value(E96[index - 1], exp), format: "eia96", underlined: false, rNotation: false,
    toleranceClass: "precise", eia96Index: index, certain: true,
  });
}

// ---- part numbers and verdicts ------------------------------------------------------------

export type OracleSize = "02" | "04" | "06" | "10" | "12" | "13" | "20" | "25";
export interface OraclePart { size: OracleSize; tol: "D" | "F" | "G" | "J"; pack: string; ohms: number; certain: boolean }

const SIZE_CODES = new Set(["02", "04", "06", "10", "12", "13", "20", "25"]);

/**
 * Datasheet section 3: RMS · size · tolerance (J G F D) · packaging (T E L) · resistance code
 * (3 digits for E-24, 4 digits for E-96, R as the decimal point, 0 for a jumper). null: not one.
 */
export function oraclePart(input: string): OraclePart | null {
  if (input.length < 8 || input.length > 11) return null;
  let pn = "";
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 97 && c <= 122) pn += String.fromCharCode(c - 32);
    else if (isDigit(c) || (c >= 65 && c <= 90)) pn += input[i];
    else return null;
  }
  if (!pn.startsWith("RMS")) return null;
  const size = pn.slice(3, 5), tol = pn[5], pack = pn[6], code = pn.slice(7);
  if (!SIZE_CODES.has(size) || !"DFGJ".includes(tol) || !"TEL".includes(pack)) return null;
  let ohms: number, certain: boolean;
  if (code === "0") { ohms = 0; certain = true; }
  else {
    const readings: OracleReading[] = [];
    digitCode(code, false, readings);
    if (readings.length !== 1) return null;
    ohms = readings[0].ohms;
    certain = readings[0].certain && input === pn;
  }
  return { size: size as OracleSize, tol: tol as OraclePart["tol"], pack, ohms, certain };
}

export interface OracleVerifyOptions { profile?: OracleProfile; marked0402?: boolean; accept3DigitOnPrecise?: boolean }

/**
 * May a chip carrying `marking` be placed from the reel `part`? Only when every reading the text
 * certainly has (or, if it has none, every reading it may have) is the reel's value, in a
 * marking style of the reel's tolerance class (verdict rules 1-5). A stricter decoder may still
 * refuse (for example when section 7 gives the value no marking): this is the upper bound.
 */
export function oracleMayMatch(part: string, marking: string, options: OracleVerifyOptions = {}): boolean {
  const p = oraclePart(part);
  if (p === null) return false;
  if (p.size === "02" || (p.size === "04" && !options.marked0402)) return false;
  const all = oracleReadings(marking, options.profile ?? "tai");
  const certain = all.filter((r) => r.certain);
  const readings = certain.length > 0 ? certain : all;
  if (readings.length === 0) return false;
  return readings.every((r) => compatible(p, r, options));
}

function compatible(p: OraclePart, r: OracleReading, options: OracleVerifyOptions): boolean {
  if (p.ohms === 0 || r.ohms === 0) return p.ohms === 0 && r.ohms === 0;
  if (r.ohms !== p.ohms) return false;
  const reelClass: OracleClass = p.tol === "D" || p.tol === "F" ? "precise" : "wide";
  if (r.toleranceClass === reelClass) return true;
  // 7.4: 3 digits on a ±0.5/±1 % reel, by customer request, when the option says so.
  return options.accept3DigitOnPrecise === true && reelClass === "precise" && r.format === "3digit" && !r.underlined;
}

/**
 * The reverse: a reel whose marking section 7 defines (the caller picks catalogue reels with an
 * expected marking: rule 6 leaves a value without one unverifiable), read as a text that
 * certainly has one reading, of the reel's value and class: the verdict must be a match.
 */
export function oracleMustMatch(part: string, marking: string, options: OracleVerifyOptions = {}): boolean {
  const p = oraclePart(part);
  if (p === null || !p.certain) return false;
  if (p.size === "02" || (p.size === "04" && !options.marked0402)) return false;
  const all = oracleReadings(marking, options.profile ?? "tai");
  if (all.length !== 1 || !all[0].certain) return false;
  return compatible(p, all[0], options);
}
