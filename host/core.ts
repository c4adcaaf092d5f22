// The raw marking module: loads the .wasm once with @assemblyscript/loader and gives typed
// access to its static areas. Nothing here knows resistor rules; it moves bytes and slots.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { instantiateSync } from "@assemblyscript/loader";
import { CandidateTable, Slot, Status } from "../assembly/abi.ts";

/** The module's exports (assembly/marking.ts); every function returns a Status or an address. */
export interface MarkingExports extends Record<string, unknown> {
  memory: WebAssembly.Memory;
  markingInput(): number;
  partInput(): number;
  inputCapacity(): number;
  results(): number;
  expectedText(): number;
  batchInput(): number;
  batchInputCapacity(): number;
  batchCapacity(): number;
  batchOhms(): number;
  batchAltOhms(): number;
  batchInfo(): number;
  decode(len: number, profile: number): number;
  decodeBatch(len: number, profile: number): number;
  decodePart(len: number, profile: number, options: number): number;
  verify(partLen: number, markLen: number, profile: number, options: number): number;
  deratedPower(ambientC: number): number;
  candidates(): number;
  readingText(): number;
  bestReading(glyphs: number, perGlyph: number, underlined: number, profile: number): number;
  scoreMarking(glyphs: number, perGlyph: number, len: number): number;
}

/** The release build that ships to feeder controllers. */
export const RELEASE_WASM = fileURLToPath(new URL("../build/marking.wasm", import.meta.url));
/** The debug build (names, assertions), for tests that look inside. */
export const DEBUG_WASM = fileURLToPath(new URL("../build/marking.debug.wasm", import.meta.url));

/** One instance of the marking module with views on its areas, made once at load time. */
export class MarkingCore {
  readonly exports: MarkingExports;
  readonly bytes: Uint8Array;          // the whole linear memory (it never grows)
  readonly slots: Float64Array;        // Slot.COUNT result slots
  readonly inputCapacity: number;
  readonly batchCapacity: number;
  readonly batchInputCapacity: number;
  readonly batchOhms: Float64Array;
  readonly batchAltOhms: Float64Array;
  readonly batchInfo: Int32Array;
  /** Glyph candidates for bestReading and scoreMarking: (char code, log-probability) pairs, CandidateTable.PER_GLYPH per glyph, CandidateTable.GLYPHS glyphs. */
  readonly candidates: Float64Array;
  readonly readingTextAt: number;
  private readonly markingAt: number;
  private readonly partAt: number;
  private readonly expectedAt: number;
  readonly batchInputAt: number;

  constructor(wasm: Uint8Array | WebAssembly.Module) {
    const { exports } = instantiateSync<MarkingExports>(wasm, {});
    this.exports = exports;
    const buffer = exports.memory.buffer;
    this.bytes = new Uint8Array(buffer);
    this.slots = new Float64Array(buffer, exports.results(), Slot.COUNT);
    this.inputCapacity = exports.inputCapacity();
    this.batchCapacity = exports.batchCapacity();
    this.batchInputCapacity = exports.batchInputCapacity();
    this.batchOhms = new Float64Array(buffer, exports.batchOhms(), this.batchCapacity);
    this.batchAltOhms = new Float64Array(buffer, exports.batchAltOhms(), this.batchCapacity);
    this.batchInfo = new Int32Array(buffer, exports.batchInfo(), this.batchCapacity);
    this.markingAt = exports.markingInput();
    this.partAt = exports.partInput();
    this.expectedAt = exports.expectedText();
    this.batchInputAt = exports.batchInput();
    this.candidates = new Float64Array(buffer, exports.candidates(), CandidateTable.GLYPHS * CandidateTable.PER_GLYPH * 2);
    this.readingTextAt = exports.readingText();
  }

  static load(path: string = RELEASE_WASM): MarkingCore {
    return new MarkingCore(readFileSync(path));
  }

  /**
   * Copies `text` into an input area, one byte per UTF-16 unit so that error positions are
   * string indices; anything outside ASCII becomes 0x80, which the core rejects by position.
   * Returns the length to pass: the real length, so an overlong text is refused, not cut.
   */
  private put(at: number, text: string): number {
    const n = Math.min(text.length, this.inputCapacity);
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      this.bytes[at + i] = c < 0x80 ? c : 0x80;
    }
    return text.length;
  }

  decode(marking: string, profile: number): number {
    return this.exports.decode(this.put(this.markingAt, marking), profile);
  }

  decodePart(part: string, profile: number, options: number): number {
    return this.exports.decodePart(this.put(this.partAt, part), profile, options);
  }

  verify(part: string, marking: string, profile: number, options: number): number {
    const partLen = this.put(this.partAt, part);
    return this.exports.verify(partLen, this.put(this.markingAt, marking), profile, options);
  }

  /** Sets glyph `glyph`'s candidate `k` (best first) in the table bestReading and scoreMarking read. */
  putCandidate(glyph: number, k: number, code: number, logp: number): void {
    const at = (glyph * CandidateTable.PER_GLYPH + k) * 2;
    this.candidates[at] = code;
    this.candidates[at + 1] = logp;
  }

  /**
   * The log-probability that glyphs (each its candidates, best first) read as `text` (a trailing
   * '_' is not scored): −Infinity when a character is none of its glyph's candidates, null when
   * the text has not one character per glyph (or more glyphs or candidates than the table holds).
   */
  scoreMarking(text: string, glyphs: readonly { candidates: readonly { char: string; p: number }[] }[]): number | null {
    const perGlyph = Math.max(1, ...glyphs.map((g) => g.candidates.length));
    if (glyphs.length > CandidateTable.GLYPHS || perGlyph > CandidateTable.PER_GLYPH) return null;
    for (let g = 0; g < glyphs.length; g++) {
      for (let k = 0; k < perGlyph; k++) {
        const c = glyphs[g].candidates[k];
        this.putCandidate(g, k, c ? c.char.charCodeAt(0) : 0, c ? Math.log(c.p) : -Infinity);
      }
    }
    const status = this.exports.scoreMarking(glyphs.length, perGlyph, this.put(this.markingAt, text));
    return status === Status.OK ? this.slots[Slot.MARKING_SCORE] : null;
  }

  /** The expected marking text of the last decoded part (without underline). */
  expectedText(): string {
    const len = this.slots[Slot.EXPECTED_LEN];
    return String.fromCharCode(...this.bytes.subarray(this.expectedAt, this.expectedAt + len));
  }

  /**
   * Writes markings (ASCII, joined by '\n') into the batch input; returns the byte length, or -1
   * if they do not fit. Non-ASCII units become 0x80 like in put().
   */
  putBatch(markings: readonly string[], from: number, count: number): number {
    let p = this.batchInputAt;
    const end = p + this.batchInputCapacity;
    for (let k = 0; k < count; k++) {
      const text = markings[from + k];
      if (k > 0) this.bytes[p++] = 10;
      if (p + text.length > end) return -1;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        // A '\n' inside a marking would split it in two: send a byte the core rejects instead.
        this.bytes[p++] = c < 0x80 && c !== 10 ? c : 0x80;
      }
    }
    return p - this.batchInputAt;
  }
}
