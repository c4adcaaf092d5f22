// chipmark's public API: decode markings and RMS part numbers, derive the expected marking and
// give verdicts. A typed shell over the WASM marking core, which holds every domain rule.
// Failures are values ({ ok: false, error }); only misuse (an unknown option) throws.

import {
  Status, Profile as ProfileId, Format, ToleranceClass, Series, MarkingKind, Verdict as VerdictId,
  Reason as ReasonId, Warning as WarningBit, Option, Tape, Reading as R, Slot, BatchInfo,
} from "../assembly/abi.ts";
import { MarkingCore } from "./core.ts";

export { MarkingCore, RELEASE_WASM, DEBUG_WASM } from "./core.ts";
export { readFrame, readPixels, checkFrame } from "./frames.ts";
export type { FrameRead, FrameCheck, ReadFrameOptions, CheckFrameOptions, GlyphRead, HypothesisRead, Quad } from "./frames.ts";

// ---- names for the numbers ----------------------------------------------------------------

export type ProfileName = "tai" | "common";
export type FormatName = "3digit" | "4digit" | "eia96" | "zero";
export type MarkingKindName = "none" | "3digit" | "4digit" | "eia96" | "3digit-underlined" | "zero";
export type VerdictName = "match" | "mismatch" | "unverifiable";
export type ToleranceClassName = "none" | "wide" | "precise";
export type TapeName = "paper-4mm" | "paper-2mm" | "embossed-4mm";

const PROFILES: Record<ProfileName, ProfileId> = { tai: ProfileId.TAI, common: ProfileId.COMMON };
const FORMATS: Record<number, FormatName> = {
  [Format.DIGIT3]: "3digit", [Format.DIGIT4]: "4digit", [Format.EIA96]: "eia96", [Format.ZERO]: "zero",
};
const KINDS: Record<number, MarkingKindName> = {
  [MarkingKind.NONE]: "none", [MarkingKind.DIGIT3]: "3digit", [MarkingKind.DIGIT4]: "4digit",
  [MarkingKind.EIA96]: "eia96", [MarkingKind.DIGIT3_UNDERLINED]: "3digit-underlined", [MarkingKind.ZERO]: "zero",
};
const VERDICTS: Record<number, VerdictName> = {
  [VerdictId.MATCH]: "match", [VerdictId.MISMATCH]: "mismatch", [VerdictId.UNVERIFIABLE]: "unverifiable",
};
const CLASSES: Record<number, { name: ToleranceClassName; pct: number[] | null }> = {
  [ToleranceClass.NONE]: { name: "none", pct: null },
  [ToleranceClass.WIDE]: { name: "wide", pct: [2, 5] },
  [ToleranceClass.PRECISE]: { name: "precise", pct: [0.5, 1] },
};
const TAPES: Record<number, TapeName | null> = {
  [Tape.NONE]: null, [Tape.PAPER_4MM]: "paper-4mm", [Tape.PAPER_2MM]: "paper-2mm", [Tape.EMBOSSED_4MM]: "embossed-4mm",
};

/** Code and message template per status; `{c}` is the offending character, `{p}` its position. */
const ERRORS: Record<number, [string, string]> = {
  [Status.EMPTY]: ["empty", "is empty"],
  [Status.TOO_LONG]: ["too-long", "is longer than the {cap}-byte input area"],
  [Status.LENGTH]: ["length", "has {n} characters; markings have 1 to 4 (3 + '_' underlined), codes 1, 3 or 4"],
  [Status.BAD_CHARACTER]: ["bad-character", "has {c} at position {p}; only digits, letters and a trailing '_' are allowed"],
  [Status.UNEXPECTED_LETTER]: ["unexpected-letter", "has the letter {c} at position {p}, where only a digit fits"],
  [Status.MULTIPLE_R]: ["multiple-r", "has a second R at position {p}; R is the one decimal point"],
  [Status.NO_DIGITS]: ["no-digits", "has no digits"],
  [Status.EIA96_INDEX]: ["eia96-index", "has EIA-96 index {i}; the table runs from 01 to 96"],
  [Status.MULTIPLIER_LETTER]: ["multiplier-letter", "ends in {c}, not a multiplier letter of the {profile} table ({letters})"],
  [Status.ZERO_SIGNIFICAND]: ["zero-significand", "has significant digits 0 with a non-zero multiplier digit {c}"],
  [Status.UNDERLINE_POSITION]: ["underline-position", "has '_' at position {p}; the underline is written last"],
  [Status.UNDERLINE_NOT_ALLOWED]: ["underline-not-allowed", "is underlined, but only 3-character codes are underlined (datasheet 7.3)"],
  [Status.PART_LENGTH]: ["part-length", "has {n} characters; an RMS part number has 8 to 11 (RMS, size, tolerance, packaging, 1-4 character code)"],
  [Status.PART_SERIES]: ["part-series", "does not start with RMS (at position {p}: {c})"],
  [Status.PART_SIZE]: ["part-size", "has size code {size}; the RMS sizes are 02, 04, 06, 10, 12, 13, 20, 25"],
  [Status.PART_TOLERANCE]: ["part-tolerance", "has tolerance letter {c}; expected J (±5 %), G (±2 %), F (±1 %) or D (±0.5 %)"],
  [Status.PART_PACKAGING]: ["part-packaging", "has packaging letter {c}; expected T (paper tape), E (embossed tape) or L (2 mm paper tape)"],
  [Status.BAD_PROFILE]: ["bad-profile", "was decoded with an unknown profile"],
  [Status.BATCH_TOO_MANY]: ["batch-too-many", "has more markings than one batch call holds"],
  [Status.NO_VALID_READING]: ["no-valid-reading", "has no combination of glyph candidates that is a marking"],
};

/** Every status the core returns, by number, with its stable code (for documentation and tools). */
export const STATUS_CODES: Readonly<Record<number, string>> = Object.freeze({
  [Status.OK]: "ok",
  ...Object.fromEntries(Object.entries(ERRORS).map(([status, [code]]) => [status, code])),
});

const WARNINGS: [WarningBit, string, string][] = [
  [WarningBit.OUT_OF_RANGE, "out-of-range", "value outside the resistance range of datasheet section 5 for this size and tolerance"],
  [WarningBit.NOT_IN_SERIES, "not-in-series", "value not in the E-series this tolerance is made in (D, F: E-96 or E-24; G, J: E-24)"],
  [WarningBit.PACKAGING, "packaging", "section 8 does not list this size on this packaging: not a standard product"],
  [WarningBit.NO_STANDARD_MARKING, "no-standard-marking", "section 7 has no marking for this value in this tolerance's style"],
];

const REASONS: Record<number, [string, string]> = {
  [ReasonId.SAME_MARKING]: ["same-marking", "value and marking style as the datasheet prints them"],
  [ReasonId.OTHER_STYLE]: ["other-style", "same value; another marking style of the same tolerance class"],
  [ReasonId.CUSTOMER_3DIGIT]: ["customer-3digit", "same value; 3-digit marking on a ±0.5/±1 % part, accepted as a customer option (datasheet 7.4)"],
  [ReasonId.VALUE]: ["value", "the chip carries another value"],
  [ReasonId.TOLERANCE_CLASS]: ["tolerance-class", "same value, but the marking style belongs to another tolerance class"],
  [ReasonId.MARKED_UNMARKED_PART]: ["marked-unmarked-part", "a marking on a part size that is never marked"],
  [ReasonId.PART_UNMARKED]: ["part-unmarked", "this part size carries no marking"],
  [ReasonId.NOTHING_READ]: ["nothing-read", "no marking was read"],
  [ReasonId.MARKING_INVALID]: ["marking-invalid", "what was read is not a valid marking"],
  [ReasonId.AMBIGUOUS]: ["ambiguous", "the marking has two readings that lead to different verdicts"],
  [ReasonId.NO_STANDARD_MARKING]: ["no-standard-marking", "the reel's value has no standard marking to compare with"],
};

/** The JSON names of the core's numbers, by kind (for tools that see only numbers, like the C tests). */
export const NAMES = Object.freeze({
  profiles: PROFILES as Readonly<Record<string, number>>,
  formats: FORMATS as Readonly<Record<number, string>>,
  kinds: KINDS as Readonly<Record<number, string>>,
  verdicts: VERDICTS as Readonly<Record<number, string>>,
  classes: Object.fromEntries(Object.entries(CLASSES).map(([n, c]) => [n, c.name])) as Readonly<Record<number, string>>,
  reasons: Object.fromEntries(Object.entries(REASONS).map(([n, [code]]) => [n, code])) as Readonly<Record<number, string>>,
  warnings: Object.fromEntries(WARNINGS.map(([bit, code]) => [bit, code])) as Readonly<Record<number, string>>,
});

// ---- result types -------------------------------------------------------------------------

export interface ChipmarkError {
  code: string;      // stable name, e.g. "eia96-index"
  status: number;    // the core's Status
  message: string;   // names the input and what is wrong with it
  position?: number; // index of the offending character
}

export interface Failure<I = string> { ok: false; input: I; error: ChipmarkError }

/** One reading of a marking. */
export interface Reading {
  ohms: number;
  value: string;                  // ohms for people: "4.7 Ω", "10 kΩ"
  format: FormatName;
  underlined: boolean;
  rNotation: boolean;             // R as the decimal point
  eia96Index: number | null;
  eSeries: ("E24" | "E96")[];     // the series the value belongs to; empty: neither
  plausible: boolean;             // a part can carry the value: a jumper, or E-24/E-96 from 1 Ω to 20 MΩ
  toleranceClass: ToleranceClassName;
  impliedTolerancePct: number[] | null; // what the marking style stands for
}

/**
 * A decoded marking. When `ambiguous`, the text has two readings under the chosen profile and
 * the top-level reading fields are null: `readings` holds both, and nothing is picked silently.
 */
export type Marking =
  | ({ ok: true; input: string; profile: ProfileName; ambiguous: false; readings: [Reading] } & Reading)
  | ({ ok: true; input: string; profile: ProfileName; ambiguous: true; readings: [Reading, Reading] }
    & { [K in keyof Reading]: null });

export interface Tolerance { nominal: number; plus: number; minus: number }
export interface Range { min: number; max: number }

export interface ExpectedMarking {
  text: string | null;            // as printed, underline as a trailing '_'; null when none
  kind: MarkingKindName;
  underlined: boolean;
}

export interface Part {
  ok: true;
  input: string;
  partNumber: string;             // upper case
  size: { code: string; inch: string; metric: string };
  tolerance: string;              // letter
  tolerancePct: number;
  packaging: { code: string; tape: TapeName | null };
  ohms: number;
  value: string;
  jumper: boolean;
  eSeries: ("E24" | "E96")[];
  powerW: number;
  ratedV: number | null;          // √(P·R) capped at maxWorkingV; null for a jumper
  maxWorkingV: number;
  maxOverloadV: number;
  tcrPpm: { plus: number; minus: number } | null;
  operatingTempC: Range;
  derating: { fullPowerUpToC: number; zeroPowerAtC: number; note: string };
  jumperRating: { ratedCurrentA: number; maxOverloadCurrentA: number; maxResistanceOhms: number } | null;
  dimensionsMm: { L: Tolerance; W: Tolerance; C: Tolerance; d: Tolerance; t: Tolerance };
  landPatternMm: { a: Range; b: Range; c: Range };
  tape: { widthMm: number; pitchMm: number; pocketAMm: number; pocketBMm: number; thicknessMm: number } | null;
  reel: { diameterMm: number; widthMm: number; pieces178mm: number | null; pieces250mm: number | null };
  expectedMarking: ExpectedMarking | null; // null: the value has no standard marking
  /** The size marks ±0.5/±1 % values outside E-96 as underlined 3-digit codes (a marked size under 10). */
  underlinedCodes: boolean;
  warnings: { code: string; message: string }[];
}

export interface VerifyResult {
  ok: true;
  input: string;                  // the marking as read
  part: string;
  verdict: VerdictName;
  reason: string;
  message: string;
  expectedMarking: ExpectedMarking | null;
  read: Marking | Failure | null; // null when nothing was read
}

export interface DecodeOptions {
  /** Multiplier-letter table for EIA-96 codes: "tai" (datasheet 7.3, default) or "common". */
  profile?: ProfileName;
}
export interface PartOptions extends DecodeOptions {
  /** 0402 reels are marked like 0603 ones (datasheet 7.5 has no text). Default false: unmarked. */
  marked0402?: boolean;
}
export interface VerifyOptions extends PartOptions {
  /** Accept a 3-digit marking on a ±0.5/±1 % reel (customer request, datasheet 7.4). Default false. */
  accept3DigitOnPrecise?: boolean;
}

// ---- the module -----------------------------------------------------------------------------

let shared: MarkingCore | undefined;
/** The release module, loaded on first use and kept. */
export function markingCore(): MarkingCore {
  return (shared ??= MarkingCore.load());
}

function profileId(options: DecodeOptions | undefined): ProfileId {
  const name = options?.profile ?? "tai";
  const id = PROFILES[name];
  if (id === undefined) throw new TypeError(`unknown profile "${name}": expected "tai" or "common"`);
  return id;
}

function optionBits(options: VerifyOptions | undefined): number {
  return (options?.accept3DigitOnPrecise ? Option.ACCEPT_3DIGIT_PRECISE : 0)
    | (options?.marked0402 ? Option.MARKED_0402 : 0);
}

// ---- formatting -----------------------------------------------------------------------------

const PREFIXES: [number, string][] = [[1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"]];

/** Ohms for people: 4700 → "4.7 kΩ", 0.47 → "470 mΩ", 0 → "0 Ω". */
export function formatOhms(ohms: number): string {
  if (ohms === 0) return "0 Ω";
  const [scale, prefix] = PREFIXES.find(([s]) => Math.abs(ohms) >= s) ?? PREFIXES[PREFIXES.length - 1];
  return `${+(ohms / scale).toPrecision(6)} ${prefix}Ω`;
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return "nothing";
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control byte 0x${code.toString(16).padStart(2, "0")}`;
  if (code >= 0x80) return `non-ASCII "${ch}" (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
  return `"${ch}"`;
}

const PROFILE_TITLES: Record<ProfileName, string> = { tai: "TA-I", common: "common EIA-96" };
const letterLists = new Map<ProfileName, string>();

/** The multiplier letters a profile accepts, asked of the core (its table is the only copy). */
function multiplierLetters(profile: ProfileName, core: MarkingCore): string {
  let list = letterLists.get(profile);
  if (list === undefined) {
    list = "";
    for (let c = 65; c <= 90; c++) {
      const letter = String.fromCharCode(c);
      // "01R" also reads as 1 Ω in R-notation: count a letter only if it made an EIA-96 reading.
      if (core.decode(`01${letter}`, PROFILES[profile]) === Status.OK
        && (core.slots[Slot.MARK + R.FORMAT] === Format.EIA96 || core.slots[Slot.AMBIGUOUS] === 1)) list += letter;
    }
    letterLists.set(profile, list);
  }
  return list;
}

function failure<I>(what: string, input: I, text: string, status: number, core: MarkingCore, profile: ProfileName = "tai"): Failure<I> {
  const [code, template] = ERRORS[status] ?? ["internal", `got unknown status ${status}`];
  const pos = core.slots[Slot.ERROR_POS];
  const at = pos >= 0 ? pos : undefined;
  const offending = describe(at === undefined ? text.at(-1) : text[at]);
  const fill: Record<string, string> = {
    cap: String(core.inputCapacity), n: String(text.length), c: offending, p: String(at),
    i: text.slice(0, 2), size: JSON.stringify(text.slice(3, 5)), profile: PROFILE_TITLES[profile],
  };
  // Asking the core for its letters overwrites the result slots: only after reading them.
  if (status === Status.MULTIPLIER_LETTER) fill.letters = multiplierLetters(profile, core).split("").join(" ");
  const message = template.replace(/\{(\w+)\}/g, (_, key: string) => fill[key] ?? "");
  const shown = text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}…` : JSON.stringify(text);
  return {
    ok: false,
    input,
    error: { code, status, message: `${what} ${shown} ${message}`, ...(at === undefined ? {} : { position: at }) },
  };
}

function series(bits: number): ("E24" | "E96")[] {
  const out: ("E24" | "E96")[] = [];
  if (bits & Series.E24) out.push("E24");
  if (bits & Series.E96) out.push("E96");
  return out;
}

function readingAt(slots: Float64Array, base: number): Reading {
  const ohms = slots[base + R.OHMS];
  const cls = CLASSES[slots[base + R.TOLERANCE_CLASS]];
  const index = slots[base + R.EIA96_INDEX];
  return {
    ohms,
    value: formatOhms(ohms),
    format: FORMATS[slots[base + R.FORMAT]],
    underlined: slots[base + R.UNDERLINED] === 1,
    rNotation: slots[base + R.R_NOTATION] === 1,
    eia96Index: index > 0 ? index : null,
    eSeries: series(slots[base + R.SERIES]),
    plausible: slots[base + R.PLAUSIBLE] === 1,
    toleranceClass: cls.name,
    impliedTolerancePct: cls.pct,
  };
}

const NO_READING = {
  ohms: null, value: null, format: null, underlined: null, rNotation: null, eia96Index: null,
  eSeries: null, plausible: null, toleranceClass: null, impliedTolerancePct: null,
} as const;

function markingFromSlots(input: string, profile: ProfileName, core: MarkingCore): Marking {
  const first = readingAt(core.slots, Slot.MARK);
  if (core.slots[Slot.AMBIGUOUS] === 1) {
    return { ok: true, input, profile, ambiguous: true, readings: [first, readingAt(core.slots, Slot.ALT)], ...NO_READING };
  }
  return { ok: true, input, profile, ambiguous: false, readings: [first], ...first };
}

// ---- API --------------------------------------------------------------------------------------

/** Decodes one printed marking (`103`, `4R7`, `01A`, `121_` for underlined `121`). */
export function decodeMarking(marking: string, options?: DecodeOptions): Marking | Failure {
  const profile = options?.profile ?? "tai";
  const id = profileId(options);
  const core = markingCore();
  const status = core.decode(marking, id);
  if (status !== Status.OK) return failure("marking", marking, marking, status, core, profile);
  return markingFromSlots(marking, profile, core);
}

/** Packed results of decodeMarkings: ohms per marking (NaN when not decoded) and info words. */
export interface BatchResult {
  ohms: Float64Array;
  altOhms: Float64Array;   // second reading where the info word has BatchInfo.AMBIGUOUS
  info: Int32Array;        // BatchInfo bit fields; (info & 0xff) is the Status
}

/**
 * Decodes many markings through the core's batch entry point, one WASM call per 1024 markings.
 * Returns packed typed arrays (no object per marking): the throughput path.
 */
export function decodeMarkings(markings: readonly string[], options?: DecodeOptions): BatchResult {
  const id = profileId(options);
  const core = markingCore();
  const n = markings.length;
  const out: BatchResult = { ohms: new Float64Array(n), altOhms: new Float64Array(n), info: new Int32Array(n) };
  for (let from = 0; from < n;) {
    // Fill one batch: as many markings as fit in the input area and the output slots.
    let count = Math.min(core.batchCapacity, n - from);
    let len = core.putBatch(markings, from, count);
    while (len < 0) { count = Math.max(1, count >> 1); len = core.putBatch(markings, from, count); if (count === 1) break; }
    if (len < 0) {
      // A single marking longer than the whole batch input: it cannot be a marking.
      out.ohms[from] = NaN; out.info[from] = Status.TOO_LONG; from++; continue;
    }
    const decoded = core.exports.decodeBatch(len, id);
    out.ohms.set(core.batchOhms.subarray(0, decoded), from);
    out.altOhms.set(core.batchAltOhms.subarray(0, decoded), from);
    out.info.set(core.batchInfo.subarray(0, decoded), from);
    from += decoded;
  }
  return out;
}

/** Status of one batch entry and its meaning, for reports. */
export function batchStatus(info: number): { status: number; code: string } {
  const status = info & BatchInfo.STATUS_MASK;
  return { status, code: status === Status.OK ? "ok" : ERRORS[status]?.[0] ?? "internal" };
}

function expectedFromSlots(core: MarkingCore): ExpectedMarking | null {
  const kind = core.slots[Slot.EXPECTED_KIND];
  if (kind === MarkingKind.UNDEFINED) return null;
  const underlined = kind === MarkingKind.DIGIT3_UNDERLINED;
  const text = kind === MarkingKind.NONE ? null : core.expectedText() + (underlined ? "_" : "");
  return { text, kind: KINDS[kind], underlined };
}

function tolerance(s: Float64Array, at: number): Tolerance {
  return { nominal: s[at], plus: s[at + 1], minus: s[at + 2] };
}
function range(s: Float64Array, at: number): Range {
  return { min: s[at], max: s[at + 1] };
}
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
const pad4 = (v: number): string => String(v).padStart(4, "0");

function partFromSlots(input: string, core: MarkingCore): Part {
  const s = core.slots;
  const ohms = s[Slot.PART + R.OHMS];
  const jumper = ohms === 0;
  const warningBits = s[Slot.WARNINGS];
  const tape = s[Slot.TAPE];
  return {
    ok: true,
    input,
    partNumber: input.toUpperCase(),
    size: { code: String(s[Slot.SIZE_CODE]).padStart(2, "0"), inch: pad4(s[Slot.INCH]), metric: pad4(s[Slot.METRIC]) },
    tolerance: String.fromCharCode(s[Slot.TOLERANCE_LETTER]),
    tolerancePct: s[Slot.TOLERANCE_PCT],
    packaging: { code: String.fromCharCode(s[Slot.PACKAGING_LETTER]), tape: TAPES[tape] },
    ohms,
    value: formatOhms(ohms),
    jumper,
    eSeries: series(s[Slot.PART + R.SERIES]),
    powerW: s[Slot.POWER_W],
    ratedV: orNull(s[Slot.RATED_V]),
    maxWorkingV: s[Slot.MAX_WORKING_V],
    maxOverloadV: s[Slot.MAX_OVERLOAD_V],
    tcrPpm: Number.isNaN(s[Slot.TCR_PLUS]) ? null : { plus: s[Slot.TCR_PLUS], minus: s[Slot.TCR_MINUS] },
    operatingTempC: { min: s[Slot.TEMP_MIN_C], max: s[Slot.TEMP_MAX_C] },
    derating: {
      fullPowerUpToC: 70,
      zeroPowerAtC: s[Slot.TEMP_MAX_C],
      note: "datasheet 5.1's curve is missing from its text; assumed linear from 70 °C to the maximum operating temperature",
    },
    jumperRating: jumper
      ? { ratedCurrentA: s[Slot.JUMPER_CURRENT_A], maxOverloadCurrentA: s[Slot.JUMPER_OVERLOAD_A], maxResistanceOhms: s[Slot.JUMPER_MAX_OHMS] }
      : null,
    dimensionsMm: {
      L: tolerance(s, Slot.DIM), W: tolerance(s, Slot.DIM + 3), C: tolerance(s, Slot.DIM + 6),
      d: tolerance(s, Slot.DIM + 9), t: tolerance(s, Slot.DIM + 12),
    },
    landPatternMm: { a: range(s, Slot.LAND), b: range(s, Slot.LAND + 2), c: range(s, Slot.LAND + 4) },
    tape: tape === Tape.NONE ? null : {
      widthMm: s[Slot.TAPE_WIDTH], pitchMm: s[Slot.TAPE_PITCH], pocketAMm: s[Slot.POCKET_A],
      pocketBMm: s[Slot.POCKET_B], thicknessMm: s[Slot.TAPE_THICKNESS],
    },
    reel: {
      diameterMm: s[Slot.REEL_DIAMETER], widthMm: s[Slot.REEL_WIDTH],
      pieces178mm: s[Slot.REEL_QTY_178] || null, pieces250mm: s[Slot.REEL_QTY_250] || null,
    },
    expectedMarking: expectedFromSlots(core),
    underlinedCodes: s[Slot.UNDERLINED_CODES] === 1,
    warnings: WARNINGS.filter(([bit]) => warningBits & bit).map(([, code, message]) => ({ code, message })),
  };
}

/** Decodes an RMS reel part number (`RMS06FT1000`): every datasheet fact about the part. */
export function parsePart(partNumber: string, options?: PartOptions): Part | Failure {
  const id = profileId(options);
  const core = markingCore();
  const status = core.decodePart(partNumber, id, optionBits(options));
  if (status !== Status.OK) return failure("part number", partNumber, partNumber, status, core);
  return partFromSlots(partNumber, core);
}

/** What the chips of a reel should carry (datasheet section 7). */
export function expectedMarking(partNumber: string, options?: PartOptions): ExpectedMarking | null | Failure {
  const part = parsePart(partNumber, options);
  return part.ok ? part.expectedMarking : part;
}

/** Power (W) a part may dissipate at an ambient temperature; see Part.derating for the assumption. */
export function deratedPowerW(partNumber: string, ambientC: number): number | Failure {
  const core = markingCore();
  const status = core.decodePart(partNumber, ProfileId.TAI, 0);
  if (status !== Status.OK) return failure("part number", partNumber, partNumber, status, core);
  return core.exports.deratedPower(ambientC);
}

/**
 * Holds one read marking (the OCR'd string; "" when nothing was read) against a reel's part
 * number. A bad part number is a Failure; a marking that cannot be decoded is a verdict
 * ("unverifiable"), never a match.
 */
export function verify(partNumber: string, marking: string, options?: VerifyOptions): VerifyResult | Failure<string> {
  const profile = options?.profile ?? "tai";
  const id = profileId(options);
  const core = markingCore();
  const status = core.verify(partNumber, marking, id, optionBits(options));
  if (status !== Status.OK) return failure("part number", marking, partNumber, status, core);
  const s = core.slots;
  const verdict = VERDICTS[s[Slot.VERDICT]];
  const [reason, why] = REASONS[s[Slot.REASON]];
  const markStatus = s[Slot.MARK_STATUS];
  const expected = expectedFromSlots(core);
  const read = marking === "" ? null
    : markStatus === Status.OK ? markingFromSlots(marking, profile, core)
    : failure("marking", marking, marking, markStatus, core, profile);
  return {
    ok: true,
    input: marking,
    part: partNumber,
    verdict,
    reason,
    message: verdictMessage(verdict, why, expected, read),
    expectedMarking: expected,
    read,
  };
}

function verdictMessage(verdict: VerdictName, why: string, expected: ExpectedMarking | null, read: Marking | Failure | null): string {
  const shown = (m: Marking) => m.ambiguous ? m.readings.map((r) => r.value).join(" or ") : m.value;
  const want = expected?.text ? `expected ${expected.text}` : expected?.kind === "none" ? "expected no marking" : "no standard marking";
  if (read === null) return `${verdict}: ${why} (${want})`;
  if (!read.ok) return `${verdict}: ${why}: ${read.error.message}`;
  return `${verdict}: ${why} (read ${read.input} = ${shown(read)}, ${want})`;
}
