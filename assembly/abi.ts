// The numbers that cross the WASM boundary: status codes, enums and the layout of the result
// slots. This file is compiled into the AssemblyScript core AND imported by the host, so every
// code lives here once. Keep it to plain `const enum`s that are valid in both languages.

/** What every exported entry point returns. 0 is success; everything else names the fault. */
export const enum Status {
  OK = 0,
  // marking text and resistance codes
  EMPTY = 1,                 // nothing to decode
  TOO_LONG = 2,              // longer than the input area
  LENGTH = 3,                // no marking or code has that many characters
  BAD_CHARACTER = 4,         // not a digit, a letter or a trailing '_' (NUL, non-ASCII, punctuation)
  UNEXPECTED_LETTER = 5,     // a letter where the grammar allows none
  MULTIPLE_R = 6,            // more than one 'R' decimal point
  NO_DIGITS = 7,             // only an 'R'
  EIA96_INDEX = 8,           // EIA-96 index outside 01..96
  MULTIPLIER_LETTER = 9,     // not a multiplier letter in the chosen profile
  ZERO_SIGNIFICAND = 10,     // significant digits all 0 but a non-zero multiplier digit (`001`)
  UNDERLINE_POSITION = 11,   // '_' anywhere but at the end
  UNDERLINE_NOT_ALLOWED = 12, // only a 3-character code is underlined (datasheet 7.3)
  // reel part numbers
  PART_LENGTH = 20,          // shorter or longer than RMS + size + tolerance + packaging + code
  PART_SERIES = 21,          // does not start with RMS
  PART_SIZE = 22,            // size code not in datasheet section 3
  PART_TOLERANCE = 23,       // tolerance letter not J, G, F or D
  PART_PACKAGING = 24,       // packaging letter not T, E or L
  // calls
  BAD_PROFILE = 30,          // multiplier-letter profile id unknown
  BATCH_TOO_MANY = 31,       // more markings than the batch output areas hold
  NO_VALID_READING = 32,     // no combination of the glyph candidates is a marking
}

/** Multiplier-letter table used for EIA-96 codes. */
export const enum Profile {
  TAI = 0,    // datasheet 7.3: H = 10^7, G = 10^6, no R/S aliases (default)
  COMMON = 1, // the common EIA-96 table: R = Y, S = X, H = B = 10^1, no G
}

/** How the characters of a marking encode the value. */
export const enum Format {
  NONE = 0,
  DIGIT3 = 1, // two significant digits + power of ten, or 3 characters with R
  DIGIT4 = 2, // three significant digits + power of ten, or 4 characters with R
  EIA96 = 3,  // E-96 index 01..96 + multiplier letter
  ZERO = 4,   // jumper
}

/** The tolerance class a marking style stands for (datasheet 7.1-7.3). */
export const enum ToleranceClass {
  NONE = 0,    // jumper: no tolerance
  WIDE = 1,    // ±2 %, ±5 %: E-24, 3 digits
  PRECISE = 2, // ±0.5 %, ±1 %: 4 digits, EIA-96 or underlined 3 digits
}

/** Bit set: the E-series a value belongs to. */
export const enum Series {
  E24 = 1,
  E96 = 2,
}

/** What a reel's chips should carry (datasheet section 7). Numbered like Format where they agree. */
export const enum MarkingKind {
  NONE = 0,               // unmarked part (0201, 0402)
  DIGIT3 = 1,
  DIGIT4 = 2,
  EIA96 = 3,
  ZERO = 4,
  DIGIT3_UNDERLINED = 5,
  UNDEFINED = 6,          // marked size, but the value has no code in that style (e.g. 154 Ω ±5 %)
}

export const enum Verdict {
  MATCH = 0,
  MISMATCH = 1,
  UNVERIFIABLE = 2,
}

/** Why a verdict was reached. */
export const enum Reason {
  SAME_MARKING = 0,          // match: value and marking style as the datasheet prints them
  OTHER_STYLE = 1,           // match: same value, another style of the same tolerance class
  CUSTOMER_3DIGIT = 2,       // match: 3 digits on a ±0.5/±1 % reel, accepted by option (datasheet 7.4)
  VALUE = 10,                // mismatch: the chip carries another value
  TOLERANCE_CLASS = 11,      // mismatch: same value, but the style implies another tolerance class
  MARKED_UNMARKED_PART = 12, // mismatch: a marking on a part that is never marked
  PART_UNMARKED = 20,        // unverifiable: the part carries no marking
  NOTHING_READ = 21,         // unverifiable: no characters
  MARKING_INVALID = 22,      // unverifiable: the characters are not a marking
  AMBIGUOUS = 23,            // unverifiable: two readings that lead to different verdicts
  NO_STANDARD_MARKING = 24,  // unverifiable: the reel's value has no marking in its style
}

/** Bit set of part-number warnings: the part decodes but is not a catalogue product. */
export const enum Warning {
  OUT_OF_RANGE = 1,         // value outside section 5's table for this size and tolerance
  NOT_IN_SERIES = 2,        // value not in the E-series the tolerance uses
  PACKAGING = 4,            // section 8 does not ship this size on this packaging
  NO_STANDARD_MARKING = 8,  // section 7 gives no marking for this value in this style
}

/** Bit set of options for decodePart / verify. */
export const enum Option {
  ACCEPT_3DIGIT_PRECISE = 1, // datasheet 7.4: ±0.5/±1 % parts with 3-digit marking on request
  MARKED_0402 = 2,           // 0402 reels are marked like 0603 (section 7.5's figure is missing)
}

/** Tape a reel's chips come on (datasheet 8.1). */
export const enum Tape {
  NONE = 0,        // this size does not ship on this packaging
  PAPER_4MM = 1,
  PAPER_2MM = 2,
  EMBOSSED_4MM = 3,
}

/** Fields of one reading of a marking or value code, relative to its base slot. */
export const enum Reading {
  FORMAT = 0,
  UNDERLINED = 1,
  R_NOTATION = 2,
  SIGNIFICAND = 3,    // normalised: no trailing zeros, so equal values have equal fields
  EXPONENT = 4,       // ohms = SIGNIFICAND × 10^EXPONENT
  OHMS = 5,
  SERIES = 6,         // Series bit set
  TOLERANCE_CLASS = 7,
  EIA96_INDEX = 8,    // 1..96 for EIA-96, else 0
  PLAUSIBLE = 9,      // 1 when a part can carry the value: a jumper, or E-24/E-96 from 1 Ω to 20 MΩ
  SIZE = 10,          // slots per reading
}

/** The result area is an array of f64 slots; these are the indices. */
export const enum Slot {
  STATUS = 0,
  ERROR_POS = 1,        // index of the offending character, -1 if none
  AMBIGUOUS = 2,        // 1 when the marking has a second reading (ALT)
  MARK = 8,             // the marking's reading: MARK + Reading.*
  ALT = 20,             // the second reading when AMBIGUOUS
  // reel part number
  PART = 32,            // the part's value: PART + Reading.*
  SIZE_CODE = 42,       // 2, 4, 6, 10, 12, 13, 20, 25
  INCH = 43,            // 201 = "0201"
  METRIC = 44,          // 603 = "0603"
  TOLERANCE_LETTER = 45, // char code
  TOLERANCE_PCT = 46,
  PACKAGING_LETTER = 47, // char code
  TAPE = 48,            // Tape
  POWER_W = 49,
  MAX_WORKING_V = 50,
  MAX_OVERLOAD_V = 51,
  RATED_V = 52,         // NaN for a jumper
  TCR_PLUS = 53,        // ppm/°C, NaN when out of the ratings table or a jumper
  TCR_MINUS = 54,
  TEMP_MIN_C = 55,
  TEMP_MAX_C = 56,
  JUMPER_CURRENT_A = 57,      // NaN unless a jumper
  JUMPER_OVERLOAD_A = 58,
  JUMPER_MAX_OHMS = 59,
  DIM = 60,             // 15 slots, mm: L, L+, L-, W, W+, W-, C, C+, C-, d, d+, d-, t, t+, t-
  LAND = 75,            // 6 slots, mm: a min, a max, b min, b max, c min, c max
  TAPE_WIDTH = 81,      // mm
  TAPE_PITCH = 82,      // mm, component pitch P1
  POCKET_A = 83,        // mm
  POCKET_B = 84,
  TAPE_THICKNESS = 85,
  REEL_QTY_178 = 86,    // pieces on a 178 mm reel, 0 if not offered
  REEL_QTY_250 = 87,
  REEL_DIAMETER = 88,   // mm
  REEL_WIDTH = 89,
  WARNINGS = 90,        // Warning bit set
  EXPECTED_KIND = 91,   // MarkingKind
  EXPECTED_LEN = 92,    // bytes of the expected marking text (without underline)
  UNDERLINED_CODES = 93, // 1 when the size marks ±0.5/±1 % values outside E-96 as underlined 3-digit codes
  // verdict
  VERDICT = 96,
  REASON = 97,
  MARK_STATUS = 98,     // Status of decoding the marking inside verify
  // bestReading
  READING_LEN = 99,     // bytes of the best valid reading at readingText()
  READING_SCORE = 100,  // its log-probability (sum over glyphs): the glyphs' evidence
  RUNNER_UP_SCORE = 101, // likeliest valid reading of another value by that evidence; -Infinity if none
  RUNNER_UP_LEN = 102,  // its text follows the best one's at readingText() + 8
  READING_PRIOR = 103,  // what the best reading's value cost it: −3 for no series value or out of range, else 0
  // scoreMarking
  MARKING_SCORE = 104,  // log-probability of the given marking's characters on the glyphs; -Infinity if one is no candidate
  COUNT = 105,
}

/**
 * The marking core's glyph-candidate table (candidates(), filled by the host for bestReading and
 * scoreMarking): PER_GLYPH (char code, log-probability) f64 pairs, best first, for each of up
 * to GLYPHS glyphs.
 */
export const enum CandidateTable {
  GLYPHS = 4,
  PER_GLYPH = 4,
}

/** Batch info word, one i32 per marking: bit fields. */
export const enum BatchInfo {
  STATUS_MASK = 0xff,       // Status
  FORMAT_SHIFT = 8,         // Format, 3 bits
  UNDERLINED = 0x800,
  R_NOTATION = 0x1000,
  AMBIGUOUS = 0x2000,       // alt ohms in the batch alt area
  SERIES_SHIFT = 14,        // Series, 2 bits
  CLASS_SHIFT = 16,         // ToleranceClass, 2 bits
}

// ---- the reader (assembly/reader.ts) ----------------------------------------------------------

export const enum ReaderStatus {
  OK = 0,          // read; the hypotheses say what was found (maybe nothing)
  TOO_SMALL = 1,   // frame under 8 × 8 pixels
  TOO_LARGE = 2,   // frame larger than the frame buffer (the host scales it down first)
}

/** One glyph of a hypothesis, relative to its base slot. */
export const enum Glyph {
  QUAD = 0,        // 8 slots: the glyph box's corners in frame pixels (x, y) × 4
  CANDIDATES = 8,  // 4 × (char code, log-probability), best first
  SIZE = 16,
}

/**
 * One way the text may run, relative to its base slot. Hypotheses 0-3 read the row as segmented
 * (0 = along x left to right, 1 = along y top to bottom, 2 and 3 the same rows reversed);
 * 4-7 the same with every box wider than a character cut (touching characters); 8-15 the same
 * eight again from print found with a wider window (large print in a small frame), else empty.
 */
export const enum Hypothesis {
  ORIENTATION = 0,     // direction of the text in the frame: 0, 90, 180, 270 (clockwise)
  PRIOR = 1,           // log-odds from geometry: 0 when the text runs between the end caps
  GLYPHS = 2,          // glyphs found: 0 (nothing like a marking) to 4
  UNDERLINED = 3,
  CHAR_HEIGHT = 4,     // frame pixels
  REJECTED = 5,        // why no glyphs: a Rejection, 0 if read
  UNDERLINE_EVIDENCE = 6, // 0..1: how much of the row's length bar-like ink covers below it
  UNEXPLAINED_INK = 7, // 0..1: share of the print on the body outside the glyphs and the underline
  UNDERLINE_QUAD = 8,  // 8 slots, valid when UNDERLINED
  GLYPH0 = 16,         // Glyph.SIZE slots per glyph, up to 5
  INK_LEVEL = 96,      // mean grey of the print around the row
  BODY_LEVEL = 97,     // mean grey of the background around the row
  FORCED_CUTS = 98,    // boxes cut beyond what the ink's valleys gave (touching characters guessed apart)
  LINE = 99,           // 1 when read as a line (cells between the ink profile's cuts), 0 from the component boxes
  SIZE = 100,
}

/**
 * Log-odds a hypothesis pays (in its PRIOR) for each box its row was cut into beyond what the
 * ink's valleys gave: a guess the ink did not support. A prior for choosing, like a value's; the
 * host never lets it make a reading sure. It was 4: once runs of touching boxes were cut again
 * as one span, 2 chose the cut-apart reading more often and rightly (exact: dev 2219 -> 2221,
 * validation 2224 -> 2226, test 2218 -> 2220, fresh 2229 -> 2230, final 2211 -> 2212, last
 * 2211 -> 2213; misreads over the six 99 -> 90; verdicts +5; samples the same); 3 half that.
 */
export const enum Cost {
  FORCED_CUT = 2,
}

/** Why a hypothesis found no row of characters (for reports and tuning). */
export const enum Rejection {
  NONE = 0,
  NO_INK = 2,           // no print on the body: too little contrast, or on a bright background
  NO_ROW = 3,           // nothing that chains into a row of characters
  TOO_MANY = 4,         // more than 4 characters
}

/** The reader's result area: f64 slots. */
export const enum ReaderSlot {
  STATUS = 0,
  BODY_FOUND = 1,
  HYPOTHESIS_COUNT = 2,
  BODY_QUAD = 8,       // 8 slots: the body rectangle's corners in frame pixels
  HYPOTHESES = 16,     // Hypothesis.SIZE slots each, HYPOTHESIS_COUNT (48) of them
  COUNT = 4816,
}
