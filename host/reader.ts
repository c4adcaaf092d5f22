// Camera frames → marking: sharp decodes the image to grey pixels in the reader's frame buffer,
// the reader (WASM) finds the body and scores glyph candidates for each way the text may run,
// and the marking core picks the best valid reading. No resistor rule lives here.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { instantiateSync } from "@assemblyscript/loader";
import { CandidateTable, Glyph, Hypothesis, ReaderSlot, Slot, Status } from "../assembly/abi.ts";
import type { MarkingCore } from "./core.ts";

export const READER_WASM = fileURLToPath(new URL("../build/reader.wasm", import.meta.url));

/** Largest input sharp will decode (pixels): a guard against decompression bombs. */
export const MAX_INPUT_PIXELS = 40_000_000;

interface ReaderExports extends Record<string, unknown> {
  memory: WebAssembly.Memory;
  frameBuffer(): number;
  maxWidth(): number;
  maxHeight(): number;
  readerResults(): number;
  featureLength(): number;
  readFrame(width: number, height: number): number;
  setInkScale(scale: number): void;
  sharpenFrame(width: number, height: number): void;
  keepBody(scale: number): void;
  findCapsBody(width: number, height: number): number;
  setModelMembers(n: number): void;
  reclassify(hyp: number, inkShare: number): number;
  glyphFeaturesAt(cx: number, cy: number, size: number, dx: number, dy: number, ink: number, background: number): number;
  printBlurBegin(width: number, height: number): void;
  printBlurBox(x0: number, y0: number, x1: number, y1: number): void;
  printBlur(): number;
}

export type Point = [number, number];
export type Quad = [Point, Point, Point, Point];

/** One glyph as the reader saw it. */
export interface GlyphRead {
  quad: Quad;                                  // corners in frame pixels of the input image
  candidates: { char: string; p: number }[];   // best first, probabilities
}

/** One way the text may run across the body, with its best valid reading. */
export interface HypothesisRead {
  orientation: 0 | 90 | 180 | 270;
  prior: number;
  glyphs: GlyphRead[];
  underlined: boolean;
  underline: Quad | null;
  charHeightPx: number;
  underlineEvidence: number;                             // 0..1: bar-like ink under the row
  unexplainedInk: number;                                // 0..1: print on the body outside glyphs and underline
  reading: { text: string; score: number; valuePrior: number } | null;   // best valid marking: glyph log-probability, and what its value cost (0, or −3 for no series value)
  runnerUp: { text: string; score: number } | null;      // likeliest valid marking of another value (glyph log-probability)
  forcedCuts: number;                                    // boxes cut apart beyond the ink's valleys (their cost is in prior)
  line: boolean;                                         // read as a line (cells between the ink profile's cuts), not from the component boxes
  index: number;                                         // its slot in the reader's results (for reclassify)
}

/** The reader module with views on its areas. */
export class ReaderCore {
  readonly exports: ReaderExports;
  readonly frame: Uint8Array;
  readonly slots: Float64Array;
  readonly maxWidth: number;
  readonly maxHeight: number;

  constructor(wasm: Uint8Array | WebAssembly.Module) {
    const { exports } = instantiateSync<ReaderExports>(wasm, {});
    this.exports = exports;
    this.maxWidth = exports.maxWidth();
    this.maxHeight = exports.maxHeight();
    this.frame = new Uint8Array(exports.memory.buffer, exports.frameBuffer(), this.maxWidth * this.maxHeight);
    this.slots = new Float64Array(exports.memory.buffer, exports.readerResults(), ReaderSlot.COUNT);
  }

  static load(path: string = READER_WASM): ReaderCore {
    return new ReaderCore(readFileSync(path));
  }

  /** Runs the reader on grey pixels (width × height ≤ the frame buffer). */
  read(gray: Uint8Array, width: number, height: number): number {
    this.frame.set(gray.subarray(0, width * height));
    return this.exports.readFrame(width, height);
  }

  /** Features of a glyph window of the last frame anywhere (training: every glyph box, and jittered ones). */
  featuresAt(cx: number, cy: number, size: number, dx: number, dy: number, ink: number, background: number): Float32Array {
    const at = this.exports.glyphFeaturesAt(cx, cy, size, dx, dy, ink, background);
    return new Float32Array(this.exports.memory.buffer, at, this.exports.featureLength());
  }
}

let sharedReader: ReaderCore | undefined;
export function readerCore(): ReaderCore {
  return (sharedReader ??= ReaderCore.load());
}

/** Grey pixels of an image, scaled down to fit the frame buffer (never rejected for size). */
export interface GrayFrame { gray: Uint8Array; width: number; height: number; scale: number; sourceWidth: number; sourceHeight: number }

export async function decodeImage(input: string | Uint8Array, maxWidth: number, maxHeight: number): Promise<GrayFrame> {
  // autoOrient: a photo's EXIF orientation turns (or mirrors) it the way a viewer shows it, so
  // the boxes and the orientation chipmark reports are those of the picture a person sees (and
  // the report's overlay lands on the characters), and a mirrored camera image reads at all.
  const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" }).autoOrient();
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error("image has no dimensions");
  const shown = meta.autoOrient ?? { width: meta.width, height: meta.height };
  const { data, info } = await image
    .removeAlpha()
    .grayscale()
    .resize({ width: maxWidth, height: maxHeight, fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 grey channel, got ${info.channels}`);
  return {
    gray: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width, height: info.height, scale: shown.width / info.width,
    sourceWidth: shown.width, sourceHeight: shown.height,
  };
}

function quadAt(slots: Float64Array, at: number, scale: number): Quad {
  const p = (i: number): Point => [slots[at + 2 * i] * scale, slots[at + 2 * i + 1] * scale];
  return [p(0), p(1), p(2), p(3)];
}

// Each hypothesis's slots as the reader wrote them: a later read of the same pixels (the second
// look's) overwrites them, and putBack writes them again to classify its glyphs anew.
const SLOTS_READ = new WeakMap<HypothesisRead, Float64Array>();

/**
 * Writes hypothesis `h` back into the reader's results, as its read left it, at its own slot,
 * and returns that slot (for reclassify). Its glyphs are classified from the pixels in the
 * frame buffer, which must be those it was read from; -1 if `h` did not come from hypotheses().
 */
export function putBack(reader: ReaderCore, h: HypothesisRead): number {
  const slots = SLOTS_READ.get(h);
  if (!slots) return -1;
  reader.slots.set(slots, ReaderSlot.HYPOTHESES + h.index * Hypothesis.SIZE);
  return h.index;
}

/**
 * Every hypothesis of the last read (or hypothesis `only`), each with the marking core's best
 * valid reading. `profile` is the core's multiplier-letter profile id.
 */
export function hypotheses(reader: ReaderCore, core: MarkingCore, profile: number, scale: number, only?: number): HypothesisRead[] {
  const s = reader.slots;
  const out: HypothesisRead[] = [];
  if (s[ReaderSlot.BODY_FOUND] !== 1) return out;
  for (let h = only ?? 0; h < (only === undefined ? s[ReaderSlot.HYPOTHESIS_COUNT] : only + 1); h++) {
    const base = ReaderSlot.HYPOTHESES + h * Hypothesis.SIZE;
    const n = s[base + Hypothesis.GLYPHS];
    if (n < 1) continue;
    const glyphs: GlyphRead[] = [];
    for (let g = 0; g < n; g++) {
      const gb = base + Hypothesis.GLYPH0 + g * Glyph.SIZE;
      const candidates = [];
      for (let k = 0; k < CandidateTable.PER_GLYPH; k++) {
        const code = s[gb + Glyph.CANDIDATES + 2 * k], logp = s[gb + Glyph.CANDIDATES + 2 * k + 1];
        core.putCandidate(g, k, code, logp);
        candidates.push({ char: String.fromCharCode(code), p: Math.exp(logp) });
      }
      glyphs.push({ quad: quadAt(s, gb + Glyph.QUAD, scale), candidates });
    }
    const underlined = s[base + Hypothesis.UNDERLINED] === 1;
    const status = core.exports.bestReading(n, CandidateTable.PER_GLYPH, underlined ? 1 : 0, profile);
    const text = (at: number, len: number) => String.fromCharCode(...core.bytes.subarray(at, at + len));
    const textAt = core.readingTextAt;
    const cs = core.slots;
    const reading = status === Status.OK ? { text: text(textAt, cs[Slot.READING_LEN]), score: cs[Slot.READING_SCORE], valuePrior: cs[Slot.READING_PRIOR] } : null;
    const runnerUp = cs[Slot.RUNNER_UP_SCORE] > -Infinity && cs[Slot.RUNNER_UP_LEN] > 0
      ? { text: text(textAt + 8, cs[Slot.RUNNER_UP_LEN]), score: cs[Slot.RUNNER_UP_SCORE] } : null;
    const read: HypothesisRead = {
      orientation: s[base + Hypothesis.ORIENTATION] as 0 | 90 | 180 | 270,
      prior: s[base + Hypothesis.PRIOR],
      glyphs,
      underlined,
      underline: underlined ? quadAt(s, base + Hypothesis.UNDERLINE_QUAD, scale) : null,
      charHeightPx: s[base + Hypothesis.CHAR_HEIGHT] * scale,
      underlineEvidence: s[base + Hypothesis.UNDERLINE_EVIDENCE],
      unexplainedInk: s[base + Hypothesis.UNEXPLAINED_INK],
      reading,
      runnerUp,
      forcedCuts: s[base + Hypothesis.FORCED_CUTS],
      line: s[base + Hypothesis.LINE] === 1,
      index: h,
    };
    SLOTS_READ.set(read, s.slice(base, base + Hypothesis.SIZE));
    out.push(read);
  }
  return out;
}

