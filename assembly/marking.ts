// The chipmark marking core: marking text and RMS part numbers in, values and verdicts out.
// No imports, no allocation, no memory growth: every input and output lives in the static
// areas below, whose addresses the host asks for. One call at a time (the areas are shared).

import {
  Status, Profile, Format, ToleranceClass, Series, MarkingKind, Verdict, Reason, Warning,
  Option, Tape, Reading, Slot, BatchInfo, CandidateTable,
} from "./abi";
import {
  E96, E24, LETTERS_TAI, LETTERS_COMMON, POW10, SIZES, SIZE_COLUMNS, SIZE_ROWS, Col,
  RATINGS, RATING_ROWS,
} from "./tables";

// ---- static areas -------------------------------------------------------------------------

const INPUT_CAPACITY = 64;          // bytes of one marking or one part number
const BATCH_CAPACITY = 1024;        // markings per decodeBatch call
const BATCH_INPUT_CAPACITY = 8192;  // bytes: markings separated by '\n'

const MARK_IN = memory.data(INPUT_CAPACITY);
const PART_IN = memory.data(INPUT_CAPACITY);
const RESULT = memory.data(Slot.COUNT << 3, 8);
const EXPECTED_TEXT = memory.data(8);
const BATCH_IN = memory.data(BATCH_INPUT_CAPACITY);
const BATCH_OHMS = memory.data(BATCH_CAPACITY << 3, 8);
const BATCH_ALT_OHMS = memory.data(BATCH_CAPACITY << 3, 8);
const BATCH_INFO = memory.data(BATCH_CAPACITY << 2, 4);

/** Address of the marking input area (INPUT_CAPACITY bytes, ASCII). */
export function markingInput(): usize { return MARK_IN; }
/** Address of the part-number input area (INPUT_CAPACITY bytes, ASCII). */
export function partInput(): usize { return PART_IN; }
/** Bytes each input area holds. */
export function inputCapacity(): i32 { return INPUT_CAPACITY; }
/** Address of the result slots: Slot.COUNT f64 values, indexed by Slot. */
export function results(): usize { return RESULT; }
/** Address of the expected marking text (Slot.EXPECTED_LEN ASCII bytes, underline not included). */
export function expectedText(): usize { return EXPECTED_TEXT; }
/** Address of the batch input: markings separated by '\n'. */
export function batchInput(): usize { return BATCH_IN; }
/** Bytes the batch input holds. */
export function batchInputCapacity(): i32 { return BATCH_INPUT_CAPACITY; }
/** Markings one decodeBatch call decodes at most. */
export function batchCapacity(): i32 { return BATCH_CAPACITY; }
/** Address of the batch results: f64 ohms per marking (NaN when the status is not OK). */
export function batchOhms(): usize { return BATCH_OHMS; }
/** Address of the second readings' ohms, valid where the info word has BatchInfo.AMBIGUOUS. */
export function batchAltOhms(): usize { return BATCH_ALT_OHMS; }
/** Address of the i32 info word per marking (BatchInfo bit fields). */
export function batchInfo(): usize { return BATCH_INFO; }

// @ts-ignore: decorator
@inline function put(slot: i32, value: f64): void { store<f64>(RESULT + (<usize>slot << 3), value); }
// @ts-ignore: decorator
@inline function sizeCell(row: i32, col: i32): i32 {
  return <i32>load<u16>(SIZES + ((<usize>(row * SIZE_COLUMNS + col)) << 1));
}

// ---- one reading of a code ----------------------------------------------------------------

// The decoder's working state: a reading is kept in globals so the hot path never touches
// the result slots; decode() and verify() copy it out, decodeBatch() packs it.
let format: i32 = 0;
let underlined: bool = false;
let rNotation: bool = false;
let sig: i32 = 0;            // normalised significand
let exp: i32 = 0;            // power of ten
let eia96Index: i32 = 0;
let altSig: i32 = 0;         // second reading (EIA-96 with the R letter) when ambiguous
let altExp: i32 = 0;
let altIndex: i32 = 0;
let ambiguous: bool = false;
let errorPos: i32 = -1;

function ohmsOf(s: i32, e: i32): f64 {
  // Exact inputs, one rounding: the nearest double to the decimal value.
  return e >= 0
    ? <f64>s * load<f64>(POW10 + (<usize>e << 3))
    : <f64>s / load<f64>(POW10 + (<usize>(-e) << 3));
}

/** A normalised significand (1..999) scaled to exactly three digits, for table look-ups. */
function threeDigits(s: i32): i32 {
  while (s < 100) s *= 10;
  return s;
}

/**
 * Index of the last of the `n` ascending entries of `table` (u16 each when `wide`, else u8) at
 * or below v (0 when none is). Branch-free: the halving steps select, they do not jump (the
 * decoder's hot path).
 */
// @ts-ignore: decorator
@inline function lastAtOrBelow(table: usize, n: i32, wide: bool, v: i32): i32 {
  let base = 0;
  while (n > 1) {
    const half = n >> 1;
    const e = wide ? <i32>load<u16>(table + (<usize>(base + half) << 1)) : <i32>load<u8>(table + <usize>(base + half));
    base = e <= v ? base + half : base;
    n -= half;
  }
  return base;
}

/** EIA-96 index (1..96) of a three-digit significand, 0 if not an E-96 value. */
function e96IndexOf(m: i32): i32 {
  const i = lastAtOrBelow(E96, 96, true, m);
  return <i32>load<u16>(E96 + (<usize>i << 1)) == m ? i + 1 : 0;
}

/** True if the two-digit value is in E-24. */
function inE24(two: i32): bool {
  return <i32>load<u8>(E24 + <usize>lastAtOrBelow(E24, 24, false, two)) == two;
}

function seriesOf(s: i32): i32 {
  if (s == 0) return 0;
  const m = threeDigits(s);
  let series = e96IndexOf(m) ? Series.E96 : 0;
  if (m % 10 == 0 && inE24(m / 10)) series |= Series.E24;
  return series;
}

function classOf(f: i32, under: bool): i32 {
  if (f == Format.ZERO) return ToleranceClass.NONE;
  if (f == Format.DIGIT3 && !under) return ToleranceClass.WIDE;
  return ToleranceClass.PRECISE;
}

/** Power of ten of a multiplier letter (upper case), or 127 if the profile has no such letter. */
function letterExponent(c: i32, profile: i32): i32 {
  const idx = c - 65;
  if (<u32>idx >= 26) return 127;
  const v = <i32>load<u8>((profile == Profile.COMMON ? LETTERS_COMMON : LETTERS_TAI) + idx);
  return v == 0xff ? 127 : (v & 0x7f) - 3;
}

/** The letter the profile prints for a power of ten (never an alias), or 0 if none. */
function letterFor(e: i32, profile: i32): i32 {
  const table = profile == Profile.COMMON ? LETTERS_COMMON : LETTERS_TAI;
  for (let i = 0; i < 26; i++) {
    if (<i32>load<u8>(table + i) == e + 3) return 65 + i;
  }
  return 0;
}

function normalise(): void {
  while (sig != 0 && sig % 10 == 0) { sig /= 10; exp++; }
}

// @ts-ignore: decorator
@inline function upper(c: i32): i32 { return <u32>(c - 97) < 26 ? c - 32 : c; }
// @ts-ignore: decorator
@inline function isDigit(c: i32): bool { return <u32>(c - 48) < 10; }

/**
 * Parses `len` bytes at `ptr` into the reading globals. `isMarking` allows EIA-96 and the
 * underline; a part number's resistance code allows neither.
 */
function parseCode(ptr: usize, len: i32, profile: i32, isMarking: bool): i32 {
  format = Format.NONE; underlined = false; rNotation = false;
  sig = 0; exp = 0; eia96Index = 0; ambiguous = false; errorPos = -1;
  if (len <= 0) return Status.EMPTY;
  if (len > INPUT_CAPACITY) return Status.TOO_LONG;

  // One pass over the characters: classify, find the R and any other letter.
  let rPos = -1, letterPos = -1;
  for (let i = 0; i < len; i++) {
    const c = upper(<i32>load<u8>(ptr + i));
    if (isDigit(c)) continue;
    if (<u32>(c - 65) < 26) {
      if (c == 82) {                         // 'R'
        if (rPos >= 0) { errorPos = i; return Status.MULTIPLE_R; }
        rPos = i;
      } else if (letterPos < 0) letterPos = i;
      continue;
    }
    if (c == 95 && isMarking) {              // '_'
      if (i != len - 1) { errorPos = i; return Status.UNDERLINE_POSITION; }
      underlined = true;
      continue;
    }
    errorPos = i;
    return Status.BAD_CHARACTER;
  }
  const n = underlined ? len - 1 : len;
  if (n == 0) { errorPos = 0; return Status.UNDERLINE_NOT_ALLOWED; }
  if (letterPos >= 0 && letterPos != 2) { errorPos = letterPos; return Status.UNEXPECTED_LETTER; }
  if (n > 4) return Status.LENGTH;
  if (n < 3) {
    // "0" and "00" are jumpers; nothing else this short is a marking.
    const c0 = <i32>load<u8>(ptr), c1 = n == 2 ? <i32>load<u8>(ptr + 1) : 48;
    if (c0 == 48 && c1 == 48) {
      format = Format.ZERO;
      if (underlined) { errorPos = n; return Status.UNDERLINE_NOT_ALLOWED; }
      return Status.OK;
    }
    if (rPos >= 0 && n == 1) { errorPos = 0; return Status.NO_DIGITS; }
    return Status.LENGTH;
  }

  if (letterPos == 2) {
    // Two digits and a letter: EIA-96.
    if (!isMarking || n != 3) { errorPos = letterPos; return Status.UNEXPECTED_LETTER; }
    if (rPos >= 0) { errorPos = rPos; return Status.UNEXPECTED_LETTER; }
    const index = (<i32>load<u8>(ptr) - 48) * 10 + <i32>load<u8>(ptr + 1) - 48;
    if (<u32>(index - 1) >= 96) { errorPos = 0; return Status.EIA96_INDEX; }
    const e = letterExponent(upper(<i32>load<u8>(ptr + 2)), profile);
    if (e == 127) { errorPos = 2; return Status.MULTIPLIER_LETTER; }
    if (underlined) { errorPos = n; return Status.UNDERLINE_NOT_ALLOWED; }
    format = Format.EIA96;
    eia96Index = index;
    sig = <i32>load<u16>(E96 + (<usize>(index - 1) << 1));
    exp = e;
    normalise();
    return Status.OK;
  }

  // Digits, with or without an R for the decimal point.
  let digits = 0;
  for (let i = 0; i < n; i++) {
    if (i != rPos) digits = digits * 10 + <i32>load<u8>(ptr + i) - 48;
  }
  format = n == 3 ? Format.DIGIT3 : Format.DIGIT4;
  if (rPos >= 0) {
    rNotation = true;
    sig = digits;
    exp = rPos - (n - 1);                    // digits after the R
    if (sig == 0) { format = Format.ZERO; rNotation = false; exp = 0; }
    else if (isMarking && n == 3 && rPos == 2 && !underlined && profile == Profile.COMMON) {
      // "47R": 47 Ω in R-notation, or EIA-96 index 47 with R = 10^-2 in the common table.
      const index = digits;
      if (<u32>(index - 1) < 96) {
        ambiguous = true;
        altIndex = index;
        altSig = <i32>load<u16>(E96 + (<usize>(index - 1) << 1));
        altExp = -2;
        while (altSig % 10 == 0) { altSig /= 10; altExp++; }
      }
    }
  } else {
    sig = digits / 10;
    exp = digits % 10;
    if (sig == 0) {
      if (exp != 0) { errorPos = n - 1; return Status.ZERO_SIGNIFICAND; }
      format = Format.ZERO;
    }
  }
  if (underlined && format != Format.DIGIT3) { errorPos = n; return Status.UNDERLINE_NOT_ALLOWED; }
  normalise();
  return Status.OK;
}

function putReading(base: i32, f: i32, under: bool, rNot: bool, s: i32, e: i32, index: i32): void {
  put(base + Reading.FORMAT, f);
  put(base + Reading.UNDERLINED, under ? 1 : 0);
  put(base + Reading.R_NOTATION, rNot ? 1 : 0);
  put(base + Reading.SIGNIFICAND, s);
  put(base + Reading.EXPONENT, e);
  const ohms = f == Format.NONE ? NaN : ohmsOf(s, e), series = seriesOf(s);
  put(base + Reading.OHMS, ohms);
  put(base + Reading.SERIES, series);
  put(base + Reading.TOLERANCE_CLASS, classOf(f, under));
  put(base + Reading.EIA96_INDEX, index);
  put(base + Reading.PLAUSIBLE, f != Format.NONE && plausible(f, series, ohms) ? 1 : 0);
}

function putMarking(status: i32): void {
  put(Slot.STATUS, status);
  put(Slot.ERROR_POS, errorPos);
  put(Slot.AMBIGUOUS, ambiguous ? 1 : 0);
  putReading(Slot.MARK, status == Status.OK ? format : Format.NONE, underlined, rNotation, sig, exp, eia96Index);
  if (ambiguous) putReading(Slot.ALT, Format.EIA96, false, false, altSig, altExp, altIndex);
  else putReading(Slot.ALT, Format.NONE, false, false, 0, 0, 0);
}

// ---- markings -------------------------------------------------------------------------------

/**
 * Decodes the `len`-byte marking in markingInput() under a multiplier-letter profile.
 * Underline is a trailing '_'. Fills Slot.STATUS, ERROR_POS, AMBIGUOUS, MARK.*, ALT.*.
 */
export function decode(len: i32, profile: i32): i32 {
  const status = <u32>profile > <u32>Profile.COMMON ? Status.BAD_PROFILE : parseCode(MARK_IN, len, profile, true);
  putMarking(status);
  return status;
}

/**
 * Decodes the `len` bytes of batchInput(), markings separated by '\n', into batchOhms(),
 * batchAltOhms() and batchInfo(). Returns the number of markings, or a negative Status.
 */
export function decodeBatch(len: i32, profile: i32): i32 {
  if (<u32>profile > <u32>Profile.COMMON) return -Status.BAD_PROFILE;
  if (<u32>len > <u32>BATCH_INPUT_CAPACITY) return -Status.TOO_LONG;
  let count = 0, start = 0;
  for (let i = 0; i <= len; i++) {
    if (i < len && load<u8>(BATCH_IN + i) != 10) continue;
    if (count == BATCH_CAPACITY) return -Status.BATCH_TOO_MANY;
    const status = parseCode(BATCH_IN + start, i - start, profile, true);
    let info = status;
    let ohms = NaN;
    if (status == Status.OK) {
      ohms = ohmsOf(sig, exp);
      info |= (format << BatchInfo.FORMAT_SHIFT) | (seriesOf(sig) << BatchInfo.SERIES_SHIFT)
        | (classOf(format, underlined) << BatchInfo.CLASS_SHIFT);
      if (underlined) info |= BatchInfo.UNDERLINED;
      if (rNotation) info |= BatchInfo.R_NOTATION;
      if (ambiguous) {
        info |= BatchInfo.AMBIGUOUS;
        store<f64>(BATCH_ALT_OHMS + (<usize>count << 3), ohmsOf(altSig, altExp));
      }
    }
    store<f64>(BATCH_OHMS + (<usize>count << 3), ohms);
    store<i32>(BATCH_INFO + (<usize>count << 2), info);
    count++;
    start = i + 1;
  }
  return count;
}

// ---- reel part numbers ----------------------------------------------------------------------

// The decoded part, kept for verify() and deratedPower().
let partRow: i32 = -1;
let partSig: i32 = 0;
let partExp: i32 = 0;
let partZero: bool = false;
let partTolerance: i32 = 0;   // 'D', 'F', 'G' or 'J'
let expectedKind: i32 = MarkingKind.NONE;

const SERIES_PREFIX = memory.data<u8>([82, 77, 83]);   // "RMS"

/** Significand scaled to three digits and the power of ten that keeps the part's value. */
let sig3: i32 = 0;
let exp3: i32 = 0;
function scalePart(): void {
  sig3 = partSig; exp3 = partExp;
  while (sig3 < 100) { sig3 *= 10; exp3--; }
}

/** Writes the 3-character code of partSig/partExp (2 significant digits) into EXPECTED_TEXT. */
function code3(): i32 {
  let s = partSig, e = partExp;
  if (s >= 100) return 0;
  if (s < 10) { s *= 10; e--; }
  const hi = 48 + s / 10, lo = 48 + s % 10;
  if (e >= 0 && e <= 9) { store<u8>(EXPECTED_TEXT, hi); store<u8>(EXPECTED_TEXT + 1, lo); store<u8>(EXPECTED_TEXT + 2, 48 + e); }
  else if (e == -1) { store<u8>(EXPECTED_TEXT, hi); store<u8>(EXPECTED_TEXT + 1, 82); store<u8>(EXPECTED_TEXT + 2, lo); }
  else if (e == -2) { store<u8>(EXPECTED_TEXT, 82); store<u8>(EXPECTED_TEXT + 1, hi); store<u8>(EXPECTED_TEXT + 2, lo); }
  else return 0;
  return 3;
}

/** Writes the 4-character code (3 significant digits) into EXPECTED_TEXT. */
function code4(): i32 {
  scalePart();
  const s = sig3, e = exp3;
  if (e < -3 || e > 9) return 0;
  // Digits d0 d1 d2, then the power digit, or the R placed so that the digits read the value.
  const rAt = e >= 0 ? -1 : 3 + e;           // e=-1 → "43R2", e=-2 → "4R70", e=-3 → "R470"
  let p: usize = 0;
  for (let i = 0; i < 3; i++) {
    if (i == rAt) store<u8>(EXPECTED_TEXT + p++, 82);
    const d = i == 0 ? s / 100 : i == 1 ? (s / 10) % 10 : s % 10;
    store<u8>(EXPECTED_TEXT + p++, 48 + d);
  }
  if (e >= 0) store<u8>(EXPECTED_TEXT + p, 48 + e);
  return 4;
}

/** Writes the EIA-96 code into EXPECTED_TEXT, or returns 0 if the value is not E-96 or out of letters. */
function codeEia96(profile: i32): i32 {
  scalePart();
  const index = e96IndexOf(sig3);
  if (index == 0) return 0;
  const letter = letterFor(exp3, profile);
  if (letter == 0) return 0;
  store<u8>(EXPECTED_TEXT, 48 + index / 10);
  store<u8>(EXPECTED_TEXT + 1, 48 + index % 10);
  store<u8>(EXPECTED_TEXT + 2, letter);
  return 3;
}

/** Fills EXPECTED_TEXT and returns the MarkingKind for the decoded part (datasheet section 7). */
function expectMarking(profile: i32, options: i32): i32 {
  put(Slot.EXPECTED_LEN, 0);
  put(Slot.UNDERLINED_CODES, 0);
  const size = sizeCell(partRow, Col.CODE);
  if (size == 2 || (size == 4 && !(options & Option.MARKED_0402))) return MarkingKind.NONE;
  // Sizes under 10 have no room for 4 digits: EIA-96, else an underlined E-24 code.
  const underlinedCodes = size < 10;
  put(Slot.UNDERLINED_CODES, underlinedCodes ? 1 : 0);
  let len = 0, kind = MarkingKind.UNDEFINED;
  if (partZero) { store<u8>(EXPECTED_TEXT, 48); len = 1; kind = MarkingKind.ZERO; }
  else {
    const precise = partTolerance == 68 || partTolerance == 70;   // 'D', 'F'
    if (!precise) { len = code3(); kind = MarkingKind.DIGIT3; }
    else if (!underlinedCodes) { len = code4(); kind = MarkingKind.DIGIT4; }
    else {
      len = codeEia96(profile); kind = MarkingKind.EIA96;
      if (len == 0) { len = code3(); kind = MarkingKind.DIGIT3_UNDERLINED; }
    }
    if (len == 0) kind = MarkingKind.UNDEFINED;
  }
  put(Slot.EXPECTED_LEN, len);
  return kind;
}

function tapeFor(packaging: i32): i32 {
  const has2 = sizeCell(partRow, Col.PAPER_2MM) != 0, has4 = sizeCell(partRow, Col.PAPER_4MM) != 0;
  if (packaging == 84) return has4 ? Tape.PAPER_4MM : has2 ? Tape.PAPER_2MM : Tape.NONE; // 'T'
  if (packaging == 76) return has2 && has4 ? Tape.PAPER_2MM : Tape.NONE;             // 'L': the 2 mm variant
  return sizeCell(partRow, Col.EMBOSSED) != 0 ? Tape.EMBOSSED_4MM : Tape.NONE;      // 'E'
}

/** Section 5's row for the part, or -1. */
function ratingRow(tolBit: i32, ohms: f64): i32 {
  const size = sizeCell(partRow, Col.CODE);
  const group = size == 2 ? 1 : size == 4 ? 2 : 4;
  for (let r = 0; r < RATING_ROWS; r++) {
    const row = RATINGS + r * 9;
    if (!(load<i8>(row) & group) || !(load<i8>(row + 1) & tolBit)) continue;
    const lo = ohmsOf(load<i8>(row + 2), load<i8>(row + 3));
    const hi = ohmsOf(load<i8>(row + 4), load<i8>(row + 5));
    const open = <i32>load<i8>(row + 6);
    if (ohms < lo || (open & 1 && ohms == lo)) continue;
    if (ohms > hi || (open & 2 && ohms == hi)) continue;
    return r;
  }
  return -1;
}

function parsePart(len: i32, profile: i32, options: i32): i32 {
  partRow = -1;
  put(Slot.WARNINGS, 0);
  put(Slot.EXPECTED_KIND, MarkingKind.NONE);
  put(Slot.EXPECTED_LEN, 0);
  put(Slot.UNDERLINED_CODES, 0);
  if (<u32>profile > <u32>Profile.COMMON) return Status.BAD_PROFILE;
  errorPos = -1;
  if (len <= 0) return Status.EMPTY;
  if (len > INPUT_CAPACITY) return Status.TOO_LONG;
  // RMS 06 F T 1000: 7 fixed characters, then a 1-, 3- or 4-character resistance code.
  for (let i = 0; i < 3 && i < len; i++) {
    if (upper(<i32>load<u8>(PART_IN + i)) != <i32>load<u8>(SERIES_PREFIX + i)) {
      errorPos = i; return Status.PART_SERIES;
    }
  }
  for (let i = 3; i < len; i++) {
    const c = <i32>load<u8>(PART_IN + i);
    if (c < 33 || c > 126) { errorPos = i; return Status.BAD_CHARACTER; }
  }
  if (len < 8 || len > 11) return Status.PART_LENGTH;
  const d0 = <i32>load<u8>(PART_IN + 3) - 48, d1 = <i32>load<u8>(PART_IN + 4) - 48;
  const size = <u32>d0 < 10 && <u32>d1 < 10 ? d0 * 10 + d1 : -1;
  for (let r = 0; r < SIZE_ROWS; r++) if (sizeCell(r, Col.CODE) == size) partRow = r;
  if (partRow < 0) { errorPos = 3; return Status.PART_SIZE; }
  partTolerance = upper(<i32>load<u8>(PART_IN + 5));
  const tolBit = partTolerance == 68 ? 1 : partTolerance == 70 ? 2 : partTolerance == 71 ? 4 : partTolerance == 74 ? 8 : 0;
  if (!tolBit) { partRow = -1; errorPos = 5; return Status.PART_TOLERANCE; }
  const packaging = upper(<i32>load<u8>(PART_IN + 6));
  if (packaging != 84 && packaging != 69 && packaging != 76) { partRow = -1; errorPos = 6; return Status.PART_PACKAGING; }

  const status = parseCode(PART_IN + 7, len - 7, profile, false);
  if (status != Status.OK) { partRow = -1; if (errorPos >= 0) errorPos += 7; return status; }
  partSig = sig; partExp = exp; partZero = format == Format.ZERO;
  putReading(Slot.PART, format, false, rNotation, sig, exp, 0);

  let warnings = 0;
  const ohms = ohmsOf(sig, exp);
  const row = partRow;
  put(Slot.SIZE_CODE, size);
  put(Slot.INCH, sizeCell(row, Col.INCH));
  put(Slot.METRIC, sizeCell(row, Col.METRIC));
  put(Slot.TOLERANCE_LETTER, partTolerance);
  put(Slot.TOLERANCE_PCT, tolBit == 1 ? 0.5 : tolBit == 2 ? 1 : tolBit == 4 ? 2 : 5);
  put(Slot.PACKAGING_LETTER, packaging);
  const powerW = 1.0 / <f64>sizeCell(row, Col.POWER_DIV);
  const maxV = <f64>sizeCell(row, Col.MAX_WORKING_V);
  put(Slot.POWER_W, powerW);
  put(Slot.MAX_WORKING_V, maxV);
  put(Slot.MAX_OVERLOAD_V, sizeCell(row, Col.MAX_OVERLOAD_V));
  put(Slot.TEMP_MIN_C, -55);
  put(Slot.TEMP_MAX_C, sizeCell(row, Col.MAX_TEMP));

  if (partZero) {
    put(Slot.RATED_V, NaN);
    put(Slot.TCR_PLUS, NaN);
    put(Slot.TCR_MINUS, NaN);
    put(Slot.JUMPER_CURRENT_A, sizeCell(row, Col.JUMPER_MA) / 1000.0);
    put(Slot.JUMPER_OVERLOAD_A, sizeCell(row, Col.JUMPER_OVERLOAD_MA) / 1000.0);
    put(Slot.JUMPER_MAX_OHMS, 0.05);
  } else {
    // 5.2: E = √(P·R), never above the maximum working voltage.
    put(Slot.RATED_V, Math.min(Math.sqrt(powerW * ohms), maxV));
    const r = ratingRow(tolBit, ohms);
    if (r < 0) warnings |= Warning.OUT_OF_RANGE;
    put(Slot.TCR_PLUS, r < 0 ? NaN : <f64>load<i8>(RATINGS + r * 9 + 7) * 100);
    put(Slot.TCR_MINUS, r < 0 ? NaN : <f64>load<i8>(RATINGS + r * 9 + 8) * 100);
    put(Slot.JUMPER_CURRENT_A, NaN);
    put(Slot.JUMPER_OVERLOAD_A, NaN);
    put(Slot.JUMPER_MAX_OHMS, NaN);
    // D and F parts come in E-96 and E-24 values, G and J in E-24 (section 5).
    const series = seriesOf(sig);
    if (!(series & (tolBit <= 2 ? Series.E24 | Series.E96 : Series.E24))) warnings |= Warning.NOT_IN_SERIES;
  }
  for (let i = 0; i < 21; i++) put(Slot.DIM + i, sizeCell(row, Col.DIM + i) / 1000.0);

  const tape = tapeFor(packaging);
  if (tape == Tape.NONE) warnings |= Warning.PACKAGING;
  const tapeCol = tape == Tape.PAPER_2MM ? Col.PAPER_2MM : tape == Tape.PAPER_4MM ? Col.PAPER_4MM : Col.EMBOSSED;
  put(Slot.TAPE, tape);
  put(Slot.TAPE_WIDTH, tape == Tape.NONE ? NaN : tape == Tape.EMBOSSED_4MM ? 12.0 : 8.0);
  put(Slot.TAPE_PITCH, tape == Tape.NONE ? NaN : tape == Tape.PAPER_2MM ? 2.0 : 4.0);
  put(Slot.POCKET_A, tape == Tape.NONE ? NaN : sizeCell(row, tapeCol) / 1000.0);
  put(Slot.POCKET_B, tape == Tape.NONE ? NaN : sizeCell(row, tapeCol + 1) / 1000.0);
  put(Slot.TAPE_THICKNESS, tape == Tape.NONE ? NaN : sizeCell(row, tapeCol + 2) / 1000.0);
  const qtyCol = tape == Tape.PAPER_2MM ? Col.QTY_PAPER_2MM : tape == Tape.PAPER_4MM ? Col.QTY_PAPER_4MM : Col.QTY_EMBOSSED;
  put(Slot.REEL_QTY_178, tape == Tape.NONE ? 0 : sizeCell(row, qtyCol));
  put(Slot.REEL_QTY_250, tape == Tape.NONE || tape == Tape.EMBOSSED_4MM ? 0 : sizeCell(row, qtyCol + 1));
  put(Slot.REEL_DIAMETER, 178);
  put(Slot.REEL_WIDTH, sizeCell(row, Col.REEL_W) / 1000.0);

  expectedKind = expectMarking(profile, options);
  if (expectedKind == MarkingKind.UNDEFINED) warnings |= Warning.NO_STANDARD_MARKING;
  put(Slot.EXPECTED_KIND, expectedKind);
  put(Slot.WARNINGS, warnings);
  return Status.OK;
}

/**
 * Decodes the `len`-byte RMS part number in partInput(): every datasheet fact about the part
 * into the PART..EXPECTED_LEN slots, its expected marking into expectedText().
 */
export function decodePart(len: i32, profile: i32, options: i32): i32 {
  const status = parsePart(len, profile, options);
  put(Slot.STATUS, status);
  put(Slot.ERROR_POS, errorPos);
  return status;
}

/**
 * Power the last decoded part may dissipate at an ambient temperature. Section 5.1's figure is
 * missing from the datasheet text; this is the industry's thick-film curve: full power up to
 * 70 °C, falling linearly to zero at the maximum operating temperature. NaN without a part.
 */
export function deratedPower(ambientC: f64): f64 {
  if (partRow < 0) return NaN;
  const full = 1.0 / <f64>sizeCell(partRow, Col.POWER_DIV);
  const tMax = <f64>sizeCell(partRow, Col.MAX_TEMP);
  if (ambientC < -55 || ambientC > tMax) return 0;
  if (ambientC <= 70) return full;
  return full * (tMax - ambientC) / (tMax - 70);
}

// ---- verdicts -------------------------------------------------------------------------------

let verdict: i32 = 0;
let reason: i32 = 0;

/** Verdict of one reading of the marking against the decoded part (sets verdict, reason). */
function judge(f: i32, under: bool, s: i32, e: i32, options: i32): void {
  if (s != partSig || e != partExp) {
    verdict = Verdict.MISMATCH; reason = Reason.VALUE; return;
  }
  if (expectedKind == MarkingKind.UNDEFINED) {
    verdict = Verdict.UNVERIFIABLE; reason = Reason.NO_STANDARD_MARKING; return;
  }
  const expectedFormat = expectedKind == MarkingKind.DIGIT3_UNDERLINED ? Format.DIGIT3 : expectedKind;
  const expectedUnder = expectedKind == MarkingKind.DIGIT3_UNDERLINED;
  const expectedClass = classOf(expectedFormat, expectedUnder);
  const readClass = classOf(f, under);
  verdict = Verdict.MATCH;
  if (readClass == expectedClass) {
    reason = f == expectedFormat && under == expectedUnder ? Reason.SAME_MARKING : Reason.OTHER_STYLE;
  } else if (options & Option.ACCEPT_3DIGIT_PRECISE && expectedClass == ToleranceClass.PRECISE
    && readClass == ToleranceClass.WIDE) {
    reason = Reason.CUSTOMER_3DIGIT;
  } else {
    verdict = Verdict.MISMATCH; reason = Reason.TOLERANCE_CLASS;
  }
}

/**
 * Holds the marking in markingInput() (`markLen` bytes, 0 = nothing read) against the part
 * number in partInput(). Returns a part-number Status (the marking's own faults are a verdict,
 * not an error); fills the part slots, the marking slots and VERDICT, REASON, MARK_STATUS.
 * A wrong match is the one answer this must never give: every doubt is UNVERIFIABLE.
 */
export function verify(partLen: i32, markLen: i32, profile: i32, options: i32): i32 {
  const status = decodePart(partLen, profile, options);
  if (status != Status.OK) return status;
  const markStatus = markLen == 0 ? Status.EMPTY : parseCode(MARK_IN, markLen, profile, true);
  const unmarkedPart = expectedKind == MarkingKind.NONE;
  if (markStatus != Status.OK) {
    verdict = Verdict.UNVERIFIABLE;
    reason = unmarkedPart ? Reason.PART_UNMARKED : markLen == 0 ? Reason.NOTHING_READ : Reason.MARKING_INVALID;
  } else if (unmarkedPart) {
    verdict = Verdict.MISMATCH; reason = Reason.MARKED_UNMARKED_PART;
  } else {
    judge(format, underlined, sig, exp, options);
    if (ambiguous) {
      const first = verdict, firstReason = reason;
      judge(Format.EIA96, false, altSig, altExp, options);
      if (verdict != first) { verdict = Verdict.UNVERIFIABLE; reason = Reason.AMBIGUOUS; }
      else reason = firstReason;
    }
  }
  putMarking(markStatus);
  put(Slot.STATUS, Status.OK);
  put(Slot.MARK_STATUS, markStatus);
  put(Slot.VERDICT, verdict);
  put(Slot.REASON, reason);
  return Status.OK;
}

// ---- choosing a reading from glyph candidates ----------------------------------------------

const MAX_READ_GLYPHS = CandidateTable.GLYPHS;
const MAX_CANDIDATES = CandidateTable.PER_GLYPH;
// Candidates per glyph, best first: (char code, log-probability) as f64 pairs.
const CANDIDATES = memory.data(MAX_READ_GLYPHS * MAX_CANDIDATES * 16, 8);
const READING_TEXT = memory.data(24);

/** Address of the candidate table: glyph g, candidate k at (g × 4 + k) × 16: f64 char, f64 log-p. */
export function candidates(): usize { return CANDIDATES; }
/** Address of the chosen readings' text: the best at +0, the runner-up at +8. */
export function readingText(): usize { return READING_TEXT; }

// @ts-ignore: decorator
@inline function candidateChar(g: i32, k: i32): i32 {
  // The table is the caller's: anything but a byte (NaN, infinities, huge) is no character,
  // and must not reach a float-to-int conversion, which traps in WASM 1.0.
  const v = load<f64>(CANDIDATES + (<usize>(g * MAX_CANDIDATES + k) << 4));
  return v >= 0 && v < 256 ? <i32>v : 0;
}
// @ts-ignore: decorator
@inline function candidateScore(g: i32, k: i32): f64 {
  const v = load<f64>(CANDIDATES + (<usize>(g * MAX_CANDIDATES + k) << 4) + 8);
  return v == v ? v : -Infinity;   // NaN never wins
}

/**
 * What a reading costs (log-probability) when no part of the series carries its value: not an
 * E-24 or E-96 value, or outside 1 Ω to 20 MΩ (datasheet section 5). A look-alike glyph then
 * tips the choice to the value that exists (64D over 640 when a print font draws D like 0);
 * glyphs read clearly still win, so an odd value printed is still read.
 */
const IMPLAUSIBLE_COST: f64 = 3;

/** Whether a part can carry the value: a jumper, or E-24/E-96 from 1 Ω to 20 MΩ (section 5). */
function plausible(f: i32, series: i32, ohms: f64): bool {
  return f == Format.ZERO || (series != 0 && ohms >= 1 && ohms <= 20e6);
}

/**
 * The best valid marking among all combinations of the glyphs' candidates (at most 4^4):
 * grammar decides between look-alikes (`8` and `B`), and a value no series carries costs
 * IMPLAUSIBLE_COST. Also the likeliest valid reading of another value by the glyphs alone, so
 * the caller can tell a sure reading from a close call (the prior never makes one sure).
 * `underlined` adds the '_'. Fills MARK.* with the best reading and READING_* / RUNNER_UP_*;
 * returns its Status.
 */
export function bestReading(glyphs: i32, perGlyph: i32, underlined: i32, profile: i32): i32 {
  if (<u32>profile > <u32>Profile.COMMON) return Status.BAD_PROFILE;
  if (glyphs < 1 || glyphs > MAX_READ_GLYPHS || perGlyph < 1 || perGlyph > MAX_CANDIDATES) return Status.LENGTH;
  const len = glyphs + (underlined ? 1 : 0);
  const scratch = READING_TEXT + 16;       // the text being tried (4 bytes and the underline)
  let combos = 1;
  for (let g = 0; g < glyphs; g++) combos *= perGlyph;
  // First the reading: the best valid one, an implausible value costing IMPLAUSIBLE_COST.
  let best: f64 = -Infinity, bestRaw: f64 = -Infinity, bestCost: f64 = 0;
  let bestSig = 0, bestExp = 0, bestAmbiguous = false;
  for (let c = 0; c < combos; c++) {
    const score = tryCombination(c, glyphs, perGlyph, underlined, scratch);
    if (score <= best) continue;            // the cost only lowers it: cannot win
    if (parseCode(scratch, len, profile, true) != Status.OK) continue;
    const cost = plausible(format, seriesOf(sig), ohmsOf(sig, exp)) ? 0 : IMPLAUSIBLE_COST;
    if (score - cost <= best) continue;
    best = score - cost; bestRaw = score; bestCost = cost;
    bestSig = sig; bestExp = exp; bestAmbiguous = ambiguous;
    for (let i = 0; i < len; i++) store<u8>(READING_TEXT + i, load<u8>(scratch + i));
  }
  // Then the runner-up by the glyphs' evidence alone: the likeliest valid reading of another
  // value. The prior may choose; only the glyphs make a reading sure, with one exception: a
  // look-alike twin of the reading (8 for B, 0 for D) of a value no part carries. A print font
  // may draw the pair the same, so the grammar decides between them: a 38B whose B looks like
  // an 8 has only 388 (3.8 GΩ) beside it, and no reel holds such chips.
  let second: f64 = -Infinity;
  if (best != -Infinity) {
    for (let c = 0; c < combos; c++) {
      const score = tryCombination(c, glyphs, perGlyph, underlined, scratch);
      if (score <= second) continue;
      if (parseCode(scratch, len, profile, true) != Status.OK) continue;
      if (sig == bestSig && exp == bestExp && !ambiguous && !bestAmbiguous) continue;
      if (lookAlikeTwins(scratch, READING_TEXT, len) && !plausible(format, seriesOf(sig), ohmsOf(sig, exp))) continue;
      second = score;
      for (let i = 0; i < len; i++) store<u8>(READING_TEXT + 8 + i, load<u8>(scratch + i));
    }
  }
  put(Slot.READING_SCORE, bestRaw);
  put(Slot.READING_PRIOR, -bestCost);
  put(Slot.RUNNER_UP_SCORE, second);
  put(Slot.RUNNER_UP_LEN, second == -Infinity ? 0 : len);
  if (best == -Infinity) {
    put(Slot.READING_LEN, 0);
    putMarking(Status.NO_VALID_READING);
    errorPos = -1;
    return Status.NO_VALID_READING;
  }
  put(Slot.READING_LEN, len);
  const status = parseCode(READING_TEXT, len, profile, true);   // leave the best in MARK.*
  putMarking(status);
  return status;
}

/**
 * The glyphs' evidence for one given marking: the log-probability that the first `glyphs` glyphs
 * of the candidate table read as the `len`-byte text in markingInput(), into Slot.MARKING_SCORE;
 * −Infinity when a character is none of its glyph's first `perGlyph` candidates. A trailing '_'
 * is the underline, which no glyph carries: it is not scored. The host holds a reel's own
 * marking against the reading so (a mismatch stops the line only when the glyphs rule the
 * reel's marking out). LENGTH unless the text has one character per glyph.
 */
export function scoreMarking(glyphs: i32, perGlyph: i32, len: i32): i32 {
  put(Slot.MARKING_SCORE, -Infinity);
  if (glyphs < 1 || glyphs > MAX_READ_GLYPHS || perGlyph < 1 || perGlyph > MAX_CANDIDATES) return Status.LENGTH;
  if (<u32>len > <u32>INPUT_CAPACITY) return Status.TOO_LONG;
  if (len > 0 && load<u8>(MARK_IN + len - 1) == 95) len--;
  if (len != glyphs) return Status.LENGTH;
  let score: f64 = 0;
  for (let g = 0; g < glyphs; g++) {
    const c = <i32>load<u8>(MARK_IN + g);
    let k = 0;
    // The glyph's first candidate of that character (0 is no character: candidateChar's "none").
    while (k < perGlyph && (c == 0 || candidateChar(g, k) != c)) k++;
    if (k == perGlyph) { score = -Infinity; break; }
    score += candidateScore(g, k);
  }
  put(Slot.MARKING_SCORE, score);
  return Status.OK;
}

/** Whether the texts differ only where one has 8 and the other B, or 0 and D (the look-alike pairs of host/frames.ts). */
function lookAlikeTwins(a: usize, b: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    const x = <i32>load<u8>(a + i), y = <i32>load<u8>(b + i);
    if (x == y) continue;
    const pair = x < y ? (x << 8) | y : (y << 8) | x;
    if (pair != ((56 << 8) | 66) && pair != ((48 << 8) | 68)) return false;   // "8","B" and "0","D"
  }
  return true;
}

/** Writes combination c of the glyphs' candidates at `scratch`; returns its log-probability. */
function tryCombination(c: i32, glyphs: i32, perGlyph: i32, underlined: i32, scratch: usize): f64 {
  let rest = c, score: f64 = 0;
  for (let g = 0; g < glyphs; g++) {
    const k = rest % perGlyph; rest /= perGlyph;
    store<u8>(scratch + g, <u8>candidateChar(g, k));
    score += candidateScore(g, k);
  }
  if (underlined) store<u8>(scratch + glyphs, 95);
  return score;
}
