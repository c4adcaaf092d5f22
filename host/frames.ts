// readFrame and checkFrame: an image in, a marking (and a verdict) out.

import { accessSync, constants, statSync } from "node:fs";
import sharp from "sharp";
import { Cost, Profile as ProfileId, ReaderSlot, ReaderStatus } from "../assembly/abi.ts";
import {
  decodeMarking, markingCore, parsePart, verify, type DecodeOptions, type Failure, type Marking,
  type VerifyOptions, type VerifyResult,
} from "./index.ts";
import { MAX_INPUT_PIXELS, decodeImage, hypotheses, putBack, readerCore, type GlyphRead, type ReaderCore, type GrayFrame, type HypothesisRead, type Point, type Quad } from "./reader.ts";

export type { GlyphRead, HypothesisRead, Quad } from "./reader.ts";

export interface ReadFrameOptions extends DecodeOptions {
  /** Keep every hypothesis in the result (for reports and debugging). Default false. */
  keepHypotheses?: boolean;
  /**
   * Read an unsure frame three times more with the whole glyph model at three ink thresholds
   * (the second look). Default true; false holds a frame to one read of the reader with the
   * model's first member (0.8–0.9 ms at 320 × 240, about 1.1 ms with the choice and the
   * checks below) at the cost of accuracy: 97.7 % exact
   * instead of 99.1 % on the validation sets, 96.9 % instead of 98.3 % on four sets rendered
   * for the last measurement only (generate-samples --dev 5016000 …). A reading is still
   * classified again by the whole model and with faint print counted (no read: the checks
   * that keep a broken 8 read 3 from being sure).
   */
  secondLook?: boolean;
}

/** What the reader made of a frame. */
export interface FrameRead {
  ok: true;
  file?: string;
  text: string | null;              // best valid marking ('_' = underlined); null: nothing read
  orientation: 0 | 90 | 180 | 270 | null;
  confidence: number;               // 0..1: how surely `text` beats every other valid reading
  margin: number | null;            // log-odds of `text` over the closest reading of another value
  meanGlyphP: number | null;        // geometric mean of the glyphs' probabilities in `text`
  body: Quad | null;                // chip body corners, input-image pixels
  glyphs: GlyphRead[];
  underline: Quad | null;
  underlineEvidence: number;        // 0..1: bar-like ink under the text, found as an underline or not
  unexplainedInk: number;           // 0..1: share of the print on the body outside the glyphs read and the underline
  charHeightPx: number | null;
  printBlur: number | null;         // σ of the print's blur in character heights (a floor: blur reads low); null: nothing read or too faint to tell
  marking: Marking | null;          // `text` decoded
  runnerUp: string | null;          // the closest valid reading of another value
  size: { width: number; height: number; scale: number };
  timing: { decodeMs: number; readerMs: number; coreMs: number; reads: number; cutReads: number };   // image decode, reader.wasm, marking core; reads of the frame (4 with a second look), and of them the reads of the frame cut to the chip
  hypotheses?: HypothesisRead[];
}

export interface FrameCheck extends Omit<VerifyResult, "read" | "input"> {
  input: string;                    // the file, or "<bytes>"
  file?: string;
  text: string | null;              // what was read (frame.text)
  frame: FrameRead;
}

const PROFILE_IDS = { tai: ProfileId.TAI, common: ProfileId.COMMON } as const;

/** The best hypothesis must beat readings of other values by this much (log-odds) to be sure. */
const SURE_MARGIN = 4;

/**
 * A reading of a value no part carries (`Reading.plausible` false: not a jumper, not E-24 or
 * E-96, or outside 1 Ω to 20 MΩ) that is the chosen reading's look-alike twin (8 for B, 0 for
 * D): no reel holds such chips, and a print font may draw the pair the same, so it never makes
 * the choice unsure; the grammar decides. A 38B whose B looks like an 8 has only 388 (3.8 GΩ)
 * beside it. The core's runner-up already skips such twins; the look-alike and other-read
 * competitors below do too. A reading that differs in any other character still competes.
 */
function impossibleTwin(m: Marking | Failure, text: string, chosen: string): boolean {
  return m.ok && !m.ambiguous && !m.plausible && lookAlikeSwaps(text, chosen) > 0;
}

/** How many characters of `a` are `b`'s look-alike (0 for D, 8 for B); -1 if any other differs. */
function lookAlikeSwaps(a: string, b: string): number {
  if (a.length !== b.length) return -1;
  let swaps = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (LOOK_ALIKE[a[i]] !== b[i]) return -1;
    swaps++;
  }
  return swaps;
}

function key(m: Marking | Failure): string {
  if (!m.ok) return "invalid";
  if (m.ambiguous) return `ambiguous:${m.input}`;
  return `${m.ohms}:${m.toleranceClass}`;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * A one-character reading (a jumper's "0") has no grammar to catch a misread, and a blank body or
 * a pad outline can look like an O: it must be surer than a code of several characters. So must
 * any jumper reading: a jumper reel takes every all-zero marking, and the grammar turns a D that
 * stands where only a 0 may into one. A 04D in a condensed font at 16 px, its narrow 4 left out
 * of the row, read 00 at 0.948 (crop cases, read as zero, spec seed 201 002 624): a match on a
 * jumper reel for a 110 kΩ chip. No jumper in the samples or the six collections read at under
 * 0.99 (the datasheet's jumpers carry a single 0).
 */
const SINGLE_GLYPH_CONFIDENCE = 0.99;
/**
 * ... and it must explain nearly all the print along its row: at most this share left out, not
 * UNEXPLAINED_LIMIT. An 04D at 24 px in bold, blurred σ 1.7 with dim ink, whose 4 and D the ink
 * threshold kept only in part, read 0 at 0.998 with 0.10 of the print left out: a match on a
 * jumper reel for a 110 kΩ chip (adversarial crops made harsher, read as zero, spec seed
 * 528 002 555; `faint-04D-0.png`). Of the six collections' 624 true jumpers read, 6 leave out
 * more than 0.05 (0.054 to 0.087) and are now unsure; 603 leave out none.
 */
const JUMPER_UNEXPLAINED = 0.05;

/**
 * A lone glyph that the model takes for a D rather than a 0 is a jumper's 0 only by the grammar
 * (a D alone is no marking), and a jumper reading rests on that one glyph. A 90D at 17 px in a
 * 0603 crop, blurred σ 1.7 with dim ink, whose 9 and D the row did not find, read 0 at 0.998
 * from its 0 taken for a D (D 0.85, 0 0.15): a match on a jumper reel (adversarial crops made
 * harsher, read as zero, spec seed 536 024 358; `lone-D-90D.png`). Of the six collections' 605
 * jumpers read 0, 9 have D on top (fonts that draw a 0 like a D) and are now unsure.
 */
function loneGlyphLooksD(g: GlyphRead): boolean {
  const p = (c: string) => g.candidates.find((x) => x.char === c)?.p ?? 0;
  return p("D") > p("0");
}

/**
 * Print along the row outside the glyphs read, as a share of all print there. On 400 rendered
 * tuning frames (npm run evaluate-reader) above 0.1 for 1 of 269 right readings and 32 of 87
 * wrong ones, every sure-wrong one among them: a reading that leaves print out is never sure.
 */
const UNEXPLAINED_LIMIT = 0.1;
const UNEXPLAINED_CONFIDENCE = 0.4;
/**
 * Widest glyph box along the text, in character heights (the row's, or the box's own when that
 * is smaller). On 800 rendered tuning frames no right reading (of 611) has one over 0.9; 27 of
 * the 124 wrong ones do (7322 read 732 with the 32 in one box; 1872 read 182 at 0.99 with the
 * 72 in one box).
 */
const WIDE_GLYPH = 0.9;
/**
 * ... and it weighs against the hypothesis when choosing, twice the reader's forced-cut cost, so
 * a row whose wide box was cut into characters beats the same row read with the box whole. On
 * the two 400-frame tuning sets: valid markings exact 304 → 315 and 307 → 315, sure-right at 0.9
 * 222 → 230 and 225 → 228, no new sure-wrong. 8, 12 and 30 measure the same.
 */
const WIDE_COST = 8;

/** A quad's extent along the text (`along`) or across it, as [from, to] in frame pixels. */
function extent(q: Quad, orientation: number, along: boolean): [number, number] {
  const axis = (orientation === 0 || orientation === 180) === along ? 0 : 1;
  const vs = q.map((p) => p[axis]);
  return [Math.min(...vs), Math.max(...vs)];
}

function widestGlyph(h: HypothesisRead): number {
  let widest = 0;
  for (const g of h.glyphs) {
    const [a0, a1] = extent(g.quad, h.orientation, true), [c0, c1] = extent(g.quad, h.orientation, false);
    const along = a1 - a0, across = c1 - c0;
    // Against the row's height and the box's own (a small row's height can be a taller piece's).
    widest = Math.max(widest, along / h.charHeightPx, along / across);
  }
  return widest;
}

/**
 * A gap between neighbouring glyphs, in character heights, this wide and this much wider than
 * the row's usual gap (one gap only: wider than GAP_ALONE) may hold a character the ink
 * threshold lost: a faint 4 leaves 1742 read 172, a sure 172 on a 172 reel. On the dev and
 * validation sets (generate-samples --dev 5000000..5007000, 4480 frames) it flags 3 of the 20
 * readings that dropped a character and none of the 3542 exact ones (the closest: 0.32 over
 * the usual gap, a narrow 1 in its cell). GAP_LIMIT was 0.5: a 23R7 at 14 px whose faint R
 * left a gap of 0.43 beside two touching characters read 237 at 0.99 (collection --dev
 * 5015000, wrong-reel-029); at 0.4 it flags no exact reading of the six collections (13 440
 * frames) either.
 */
const GAP_LIMIT = 0.4, GAP_EXCESS = 0.4, GAP_ALONE = 0.8;

/** The gaps between neighbouring glyph boxes along the text, in reading order, in character heights (negative where boxes overlap). */
function glyphGaps(glyphs: readonly Pick<GlyphRead, "quad">[], orientation: number, charHeightPx: number): number[] {
  const spans = glyphs.map((g) => extent(g.quad, orientation, true));
  return spans.slice(1).map((s, i) => Math.max(s[0] - spans[i][1], spans[i][0] - s[1]) / charHeightPx);
}

function characterMayBeMissing(h: HypothesisRead): boolean {
  const gaps = glyphGaps(h.glyphs, h.orientation, h.charHeightPx).sort((a, b) => a - b);
  if (gaps.length === 0) return false;
  const widest = gaps[gaps.length - 1];
  if (gaps.length === 1) return widest > GAP_ALONE;
  const usual = gaps[(gaps.length - 1) >> 1];   // the median of the others
  return widest > GAP_LIMIT && widest > usual + GAP_EXCESS;
}

/**
 * A line reading of the same characters, the same way up, as a component reading with such a
 * gap, whose boxes cover the gap (none of its stretches outside the component boxes is under
 * GAP_LIMIT wide): the line widened its neighbouring cells over the print there instead of
 * finding a character in it. A bold condensed 1241 at 14 px upside down whose 4 lost its lower
 * half to the top-hat read 121 at 0.953, the 4's remains split between the cells of the 1 and
 * the 2, a match on a 121 reel (adversarial whole scenes, character dropped, spec seed
 * 137 002 690); no surer than the component reading. Six collections: one verdict lost (a
 * 1474 whose component boxes had cut its 4 short), exact unchanged.
 */
function gapCoveredByLine(line: HypothesisRead, read: HypothesisRead[]): boolean {
  if (!line.line) return false;
  const text = line.reading!.text;
  return read.some((h) => !h.line && h.orientation === line.orientation && h.reading!.text === text && characterMayBeMissing(h)
    && widestUncovered(line, h) > GAP_LIMIT);
}

/** The widest stretch of the line reading's extent outside every box of `boxes`, in character heights. */
function widestUncovered(line: HypothesisRead, boxes: HypothesisRead): number {
  const spans = boxes.glyphs.map((g) => extent(g.quad, boxes.orientation, true));
  const ends = line.glyphs.map((g) => extent(g.quad, line.orientation, true));
  const from = Math.min(...ends.map((e) => e[0])), to = Math.max(...ends.map((e) => e[1]));
  let widest = 0, run = 0;
  for (let a = Math.ceil(from); a < to; a++) {
    run = spans.some(([s0, s1]) => a >= s0 && a < s1) ? 0 : run + 1;
    widest = Math.max(widest, run);
  }
  return widest / line.charHeightPx;
}

/**
 * An underline found inside the glyphs' own band across (its dots joined the characters, so
 * their boxes reach down to it) cannot be told from the characters' flat bases lined up (a
 * flat-left 3R3 read 3R3_ at 0.996, a condensed 5904 upside down read 590_ at 0.99): such a
 * reading is never sure.
 */
function barInsideGlyphs(h: HypothesisRead): boolean {
  if (!h.underline || h.glyphs.length === 0) return false;
  const [u0, u1] = extent(h.underline, h.orientation, false), mid = (u0 + u1) / 2;
  return h.glyphs.some((g) => { const [g0, g1] = extent(g.quad, h.orientation, false); return mid > g0 && mid < g1; });
}

/**
 * An underline is printed on the body, inside its edges; a body's lit long edge beside a row
 * that fills the body between its caps looks like one from close by (a plain 301 next to the
 * edge of a body on dark tape read 301_ at 1.00: adversarial suite, underline missing, seed
 * 66 004 630). A reading whose underline's middle lies within BODY_EDGE inside the body's edge
 * or BODY_EDGE_OUT outside it (reader pixels; the lit edge shows at or just past the edge
 * found), on a body found that holds its glyphs, is never sure: a plain 362 in a 0603 crop read
 * 362_ at 0.986 with its bar 2.2 px outside (crop cases, underline missing, seed 81 002 149).
 * Of 1857 underlines read on such bodies over the six collections, 5 lie there (4 with the
 * outer limit at 2); verdicts -1 (final). BODY_EDGE was 2: a plain 470 in a crop, skewed
 * 4.8°, read 470_ at 0.977 with its bar 2.6 px inside the edge (crop cases, underline missing,
 * seed 99 002 158); at 3, verdicts -2 (final) and -1 (last), nothing else.
 */
const BODY_EDGE = 3;
const BODY_EDGE_OUT = 4;

/**
 * Signed distance of point p from the edges of quad q, positive inside; with `sides`, from its
 * long sides only (a body's corners run c-u-v, c+u-v, c+u+v, c-u+v: edges 0 and 2 run along
 * its axis u).
 */
function insideBy(q: Quad, p: Point, sides = false): number {
  const [cx, cy] = centre(q);
  let d = Infinity;
  for (let i = 0; i < 4; i += sides ? 2 : 1) {
    const a = q[i], b = q[(i + 1) % 4], len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const nx = (a[1] - b[1]) / len, ny = (b[0] - a[0]) / len;
    const side = Math.sign((cx - a[0]) * nx + (cy - a[1]) * ny) || 1;
    d = Math.min(d, side * ((p[0] - a[0]) * nx + (p[1] - a[1]) * ny));
  }
  return d;
}

function centre(q: Quad): Point {
  return [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];
}

function barOnBodyEdge(h: Pick<HypothesisRead, "underline" | "glyphs">, body: Quad | null, scale: number): boolean {
  if (!h.underline || !holdsGlyphs(body, h.glyphs)) return false;
  const d = insideBy(body, centre(h.underline), true) / scale;
  return (d < BODY_EDGE && d > -BODY_EDGE_OUT) || (d < BODY_EDGE_LOPSIDED && d > 0 && barPullsPrintOffCentre(h, body));
}

/**
 * The body found between the caps is as wide as the caps, which stand out past the body: its
 * long edges lie outside the body's own, by 2 to 4 reader pixels in 0603 crops, and a pale line
 * along the body's true edge then lies that far inside. The body's middle is right all the
 * same. Printing is centred: an underline belongs to a block that is centred on the body, so
 * the glyphs with the bar sit on the middle at least as well as the glyphs alone; a body's edge
 * taken for a bar pulls the block off it. A plain 913 in a 0603 crop (18 px, turned 90°; crop
 * cases, underline missing, seed 171 001 891) read 913_ at 0.992 by the alumina's pale line
 * along the body's edge, 4.0 px inside the body found. Between BODY_EDGE and this, a bar that
 * pulls the print off the middle makes the reading unsure. Of the true underlines read there
 * about half pull the print off too (the body's middle is not exact either). Verdicts: dev -2,
 * validation -1, test -2, fresh -3, final -2, last 0, samples -1; widening BODY_EDGE itself to
 * 5 would cost about 47 over the six.
 */
const BODY_EDGE_LOPSIDED = 5;

/**
 * Does the body found hold every glyph's centre between its long sides? Its ends may be wrong
 * where its sides are right: a pale line along the body's edge, joined to a cap, took the cap's
 * inner edge halfway down the body, and a plain 245 on embossed tape, the line beside it read as
 * an underline, was a match on a 245_ reel at 1.000 (`short-body-245.png`; adversarial whole
 * scenes, underline missing, spec seed 524 012 760).
 */
function holdsGlyphs(body: Quad | null, glyphs: GlyphRead[]): body is Quad {
  return body !== null && glyphs.every((g) => insideBy(body, centre(g.quad), true) > 0);
}

function barPullsPrintOffCentre(h: Pick<HypothesisRead, "underline" | "glyphs">, body: Quad): boolean {
  const [bx, by] = centre(body);
  const glyphs = h.glyphs.map((g) => centre(g.quad));
  const [gx, gy] = [glyphs.reduce((a, p) => a + p[0], 0) / glyphs.length, glyphs.reduce((a, p) => a + p[1], 0) / glyphs.length];
  const [ux, uy] = centre(h.underline!);
  const len = Math.hypot(ux - gx, uy - gy) || 1;
  // Across the row, towards the bar, from the body's middle.
  const across = (p: Point) => ((p[0] - bx) * (ux - gx) + (p[1] - by) * (uy - gy)) / len;
  const g = h.glyphs.flatMap((q) => q.quad.map(across)), u = h.underline!.map(across);
  const mid = (v: number[]) => (Math.min(...v) + Math.max(...v)) / 2;
  return Math.abs(mid([...g, ...u])) > Math.abs(mid(g));
}

/** ... and it weighs against the hypothesis when choosing (log-odds per unit share). */
const UNEXPLAINED_COST = 6;

/**
 * A reading whose glyphs look this little like its characters (meanShapeP) is no reading: the best
 * characters the grammar allows in noise, a blank body or cap texture. On 2000 dev frames
 * (generate-samples --dev), measured before look-alikes counted together, it cleared 57 of 60
 * such readings of frames with nothing printed and 24 of 94 misreads, and lost 1 of 1575 exact
 * reads; counting them (a zero-ohm 0 drawn as D is read) changed no blank frame's reading.
 */
const MIN_GLYPH_P = 0.2;

/**
 * Characters that print fonts draw alike (marking rules: `8` with a flat left side like `B`,
 * `0` like `D`). The glyph model cannot tell them apart and splits its belief; which one it
 * is, the grammar decides and the margin over other values judges. (The core's runner-up
 * search, lookAlikeTwins in assembly/marking.ts, knows the same two pairs.)
 */
const LOOK_ALIKE: Readonly<Record<string, string>> = { "0": "D", D: "0", "8": "B", B: "8" };
/**
 * ... and what the glyph model says between a look-alike pair counts this much less (log-odds)
 * against a valid marking of another value one look-alike away (20D against 200): in a font
 * whose D is its 0 the model's preference is noise, yet it can exceed the sure margin. The
 * adversarial suite (confusable 0/D, 150 frames, seed 42 000 000) had a 20D chip in the
 * flat-left font read 200 at confidence 0.901 on a 200 reel; with 1 it is unverifiable. Cost:
 * verdicts on the dev sets 81.8 -> 80.8 %, on the validation sets 1829 -> 1803 of 2240. It
 * was 1 until a flat-left 56D in a 0603 crop, its D's corners broken, read 560 with the model
 * at 0.995 against 0.005 for the D (confidence 0.911, a match on a 560 reel; crop cases,
 * confusable 0/D, seed 155 000 103). With 2: six collections 12 319 -> 12 271 of 13 342
 * verdicts as expected (29 matches and 19 mismatches now unverifiable), samples 514 -> 512.
 */
const LOOK_ALIKE_COST = 2;

/**
 * The geometric mean over the reading's glyphs of how likely each is its character or that
 * character's look-alike: how much the glyphs look like characters of this shape at all.
 */
function meanShapeP(h: HypothesisRead): number {
  const text = characters(h.reading!.text);
  let logp = 0;
  h.glyphs.forEach((g, i) => {
    const c = text[i], alike = LOOK_ALIKE[c];
    const p = g.candidates.reduce((sum, k) => sum + (k.char === c || k.char === alike ? k.p : 0), 0);
    logp += Math.log(Math.max(p, 1e-12));
  });
  return Math.exp(logp / h.glyphs.length);
}

/**
 * The first look classifies glyphs with the glyph model's first member alone (one read within
 * the bench's millisecond). A reading under this confidence, or none, gets a second look: the
 * frame read again with every member of the model, at the ink threshold scaled by each of
 * SECOND_LOOK_SCALES, every hypothesis of those reads chosen between (and competing) together.
 * Members averaged read better and are better calibrated than one: on the dev sets (2240
 * frames) the second look with the first member alone at 0.7 and 1.4 (the first look's
 * hypotheses competing) read 2206 exactly and gave 84.5 % of verdicts as expected; with two
 * members at 1, 0.7 and 1.4, 2215 and 87.3 %; with three, 2216 and 87.8 %. Validation sets:
 * 2213 / 1881, 2215 / 1959, 2220 / 1952 (exact / verdicts of 2240), misreads 21, 20, 14.
 */
const SECOND_LOOK_BELOW = 0.9;
const RAISED_SCALE = 1.4;
const SECOND_LOOK_SCALES: readonly number[] = [1, 0.7, RAISED_SCALE];
/**
 * After the second look (and the sharpened read), a reading still unsure whose characters are
 * under ENLARGE_BELOW_PX high in the reader's buffer is read once more from the frame enlarged
 * ENLARGE times (when that fits the buffer); like the sharpened read it only makes the same
 * text surer. Six collections (13 342 frames): verdicts 12 235 -> 12 319, none lost, no
 * sure-wrong reading more; 2 times enlarged, or at every height, gained about 135 but made a
 * 01Z read 017 sure at 0.92.
 */
const ENLARGE = 1.5, ENLARGE_BELOW_PX = 20;
/**
 * ... and where the first look read nothing, the second's reading must be this sure to count:
 * surer than any reading held at UNEXPLAINED_CONFIDENCE (0.4), which on a blank body's grain
 * the lowered threshold can make. Dev sets: 0.3 and 0.5 read the same; validation sets: 2203
 * and 2202 exact.
 */
const SECOND_LOOK_BLANK = 0.5;

/**
 * Bar-like ink under a plain reading along this share of the text's length or more: the chip
 * may be underlined, and its verdict against a plain code's reel (or an underlined code's) is
 * unsure. Faint dotted underlines the reader does not find leave 0.11 to 0.15 (a 512_ at 12 px
 * in a collection, 434_, 625_ and a 331_ crop in adversarial runs, all matches on the plain
 * code's reel at 0.15). In six collections (13 440 frames) 20 plain chips on their own reels
 * leave as much, and with the mismatches on underlined reels made unsure too, 34 verdicts
 * (0.25 %) become `unverifiable`.
 */
const UNSURE_UNDERLINE = 0.1;

/**
 * ... and on a reel of a size whose chips carry underlined codes (`Part.underlinedCodes`: 0603,
 * and 0402 when marked; ±0.5 % and ±1 %, E-24 values not in E-96), from this share: a dotted underline blurred
 * past what the renderer draws leaves 0.08 to 0.099 (a 332_ at 18 px, σ 1.53, read 332 at
 * 1.000 with 0.081, a match on a 332 reel: blurred-dotted-332.png, harsher crops at 453
 * million; five of stop 22's ten harsher false matches). Over the six collections (13 440
 * frames) 30 more verdicts become `unverifiable` (0.22 %): 20 plain or R-code chips on their
 * own size-06 reels, 10 plain chips on underlined reels that were mismatches; samples -2.
 */
const UNSURE_UNDERLINE_PRINTED = 0.08;

/**
 * Could an underlined chip carry the characters read? The datasheet underlines a 3-character
 * E-24 code only for a value outside E-96 (0603, ±0.5 % and ±1 %; section 7, the core's
 * expected marking); an E-96 value is printed as an EIA-96 code. A possible bar under `113` or
 * `1R1` then says nothing about the part: no chip is marked `113_`. The same rule as the core's
 * expected marking, stated here on a reading; reel-safety.test.ts holds the two together over
 * every 0603 value. Over the six collections
 * (13 440 frames) 25 plain and R-code chips on their own reels are a match again that bar-like
 * print had held back for nothing; no verdict is lost.
 */
export function underlinedTwinPrinted(marking: Marking | null): boolean {
  if (!marking || marking.ambiguous) return true;
  return marking.eSeries.includes("E24") && !marking.eSeries.includes("E96");
}

/**
 * ... and from this blur of the print (`printBlur`: σ in character heights, which reads low), a
 * possible underline there is unseen rather than absent. Dotted underlines blurred past what the
 * renderer draws (0.07 of the height; printBlur reads a median 0.044 there) leave no evidence
 * at all: harsher underline-extra runs at 460 and 461 million found six 0603 chips read without
 * their bars (evidence 0 to 0.067, printBlur 0.044 to 0.063), matches on the plain code's
 * reel. Only on a reel of a size whose chips carry underlined codes, and only for characters an
 * underlined chip could carry. Over the six collections (13 440 frames) 231 such matches, of
 * which 13 have printBlur 0.043 or more.
 */
const UNSURE_UNDERLINE_BLUR = 0.043;

/**
 * A plain read with bar-like ink along this share of its length is the underlined reading of
 * the same characters with the bar lost, where another read found the bar (barLost). Higher
 * than UNSURE_UNDERLINE: what makes a verdict unsure need not take a reading out of the choice.
 */
const LOST_UNDERLINE = 0.15;

/**
 * Reads the marking on the chip in an image (a path or encoded bytes: PNG, JPEG, anything sharp
 * decodes). A frame larger than the reader's buffer is scaled down, never rejected; a file that
 * is not an image, or cannot be read, is a Failure naming what went wrong.
 */
export async function readFrame(image: string | Uint8Array, options: ReadFrameOptions = {}): Promise<FrameRead | Failure> {
  const file = typeof image === "string" ? image : undefined;
  const input = file ?? "<bytes>";
  const reader = readerCore();
  const t0 = performance.now();
  let frame;
  try {
    frame = await decodeImage(image, reader.maxWidth, reader.maxHeight);
  } catch (e) {
    return imageFailure(input, e as Error, file);
  }
  const read = readGrayFrame(frame, options, input);
  if (read.ok) {
    read.timing.decodeMs = performance.now() - t0 - read.timing.readerMs - read.timing.coreMs;
    if (file) return { ok: true, file, ...withoutOk(read) };
  }
  return read;
}

const withoutOk = ({ ok: _ok, ...rest }: FrameRead) => rest;

/**
 * Reads the marking from grey pixels already in memory, a camera's raw frame: `width` × `height`
 * bytes, row by row, 0 black. As readFrame without the decoding; a frame larger than the
 * reader's buffer is scaled down to fit (sharp), never rejected. Pixels that are not such a
 * frame are a Failure (code `image-format`) naming what is wrong.
 */
export async function readPixels(gray: Uint8Array, width: number, height: number, options: ReadFrameOptions = {}): Promise<FrameRead | Failure> {
  const input = "<pixels>";
  const fail = (why: string): Failure => ({ ok: false, input, error: { code: "image-format", status: -1, message: `pixels ${why}` } });
  if (!(gray instanceof Uint8Array)) return fail("must be a Uint8Array of grey levels");
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return fail(`need a positive whole width and height, not ${width} × ${height}`);
  if (gray.length < width * height) return fail(`hold ${gray.length} bytes, fewer than ${width} × ${height} = ${width * height}`);
  const reader = readerCore();
  const t0 = performance.now();
  let frame: GrayFrame = { gray, width, height, scale: 1, sourceWidth: width, sourceHeight: height };
  if (width > reader.maxWidth || height > reader.maxHeight) {
    if (width * height > MAX_INPUT_PIXELS) return { ok: false, input, error: { code: "image-too-large", status: -1, message: `pixels ${width} × ${height} are more than the ${MAX_INPUT_PIXELS} chipmark reads` } };
    // grayscale(): sharp writes one channel of raw input as three unless told otherwise, and
    // three interleaved channels read as one are a different picture.
    const { data, info } = await sharp(gray.subarray(0, width * height), { raw: { width, height, channels: 1 } })
      .resize({ width: reader.maxWidth, height: reader.maxHeight, fit: "inside" }).grayscale().raw().toBuffer({ resolveWithObject: true });
    frame = { gray: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, scale: width / info.width, sourceWidth: width, sourceHeight: height };
  }
  const read = readGrayFrame(frame, options, input);
  if (read.ok) read.timing.decodeMs = performance.now() - t0 - read.timing.readerMs - read.timing.coreMs;
  return read;
}

/**
 * A sure first look is sure with the first member of the glyph model alone; the whole model,
 * asked about the same boxes, must be sure too. A 6 or an 8 whose broken, dotted or faint
 * strokes leave a 5 or a 3 in a 0603 crop read 15Y, 55X, 33X at 0.96–0.99 (crop cases,
 * confusable pairs, seeds 71, 77 and 89 million: matches on the wrong reel), where all three
 * members on those boxes say 0.87–0.89. The reading's confidence is the lower of the two
 * (the other hypotheses still compete in the first). No frame is read again: the chosen
 * hypothesis's glyphs are classified anew (`reclassify`), about 0.1 ms. Verdicts as expected:
 * dev 1967 -> 1945, validation 1952 -> 1931, test 1963 -> 1935, fresh 1967 -> 1943, final
 * 1953 -> 1933, last 1956 -> 1941 (-1.1 %: readings at 0.90-0.98 the whole model puts under
 * 0.9), samples 488 -> 480; exact readings unchanged. Capping a second look's reading by the
 * whole model on the first look's boxes cost 2 % more (dev 1945 -> 1901) and is not done.
 */
function wholeModelConfidence(reader: ReaderCore, hyps: HypothesisRead[], first: Choice, options: DecodeOptions, profile: number, body: Quad | null, scale: number): number {
  const again = classifiedAgain(reader, hyps, first, 1, options, profile, body, scale);
  if (!again) return first.confidence;
  return again.choice.text === first.text ? again.choice.confidence : 0;
}

/**
 * The chosen reading's hypothesis put back in the reader's results and its glyphs classified
 * anew by the whole model (`reclassify`, print at `inkShare` of its contrast counting as full
 * print), from the pixels in the frame buffer, which must be those it was read from; and the
 * choice over it alone. Null if the reading came from no hypothesis of `hyps`.
 */
function classifiedAgain(reader: ReaderCore, hyps: HypothesisRead[], chosen: Choice, inkShare: number, options: DecodeOptions, profile: number, body: Quad | null, scale: number, h = hyps.find((o) => o.glyphs === chosen.glyphs)): { hyp: HypothesisRead | undefined; choice: Choice } | null {
  const slot = h ? putBack(reader, h) : -1;
  if (slot < 0) return null;
  reader.exports.setModelMembers(0);
  reader.exports.reclassify(slot, inkShare);
  reader.exports.setModelMembers(1);
  const again = hypotheses(reader, markingCore(), profile, scale, slot);
  return { hyp: again[0], choice: choose(again, options, body, scale) };
}

/** A reading's characters, without the underline's `_`. */
function characters(text: string): string {
  return text.replace(/_$/, "");
}

/**
 * Would the reading's glyphs read another marking if print at FAINT_INK_SHARE of the print's
 * contrast counted as full print? Then faint ink may be a stroke the screen thinned, and the
 * reading is not sure. A 58B in a bold font, its 8's two left arcs mottled down to a faint grey
 * (crop cases, confusable 3/8, spec seed 275 001 199), read 53B at 0.923: a match on a 53B reel.
 * With faint print counted (share 0.35) it reads 58B; at 0.5 still 53B. The chosen hypothesis
 * is put back and classified anew (`reclassify`) from the pixels it was read from, whichever
 * look read it. Over the six collections (13 440 frames) it costs 22 verdicts; at 0.3 the sure
 * first looks it turns into another marking are three times as many (71 against 24, before the
 * condition on each changed character).
 *
 * The chosen hypothesis is one window round its characters; the reader put others round the same
 * ones (component boxes, line cells, at each threshold of the look). A 61A whose 6 had its
 * lower-left stroke at a third of the print's contrast (crop cases, confusable 5/6, spec seed
 * 510 006 151) read 51A from a line cell that took in the edge of the 1 beside it: faint print
 * counted, that cell still read 51A, but 11 of the 12 windows read 61A — a match on a 51A reel.
 * Where at least FAINT_TWIN_WINDOWS of the windows (the chosen one counted) read another
 * marking, so does the print. Costs the six collections 16 verdicts (12 348 → 12 332), mostly a
 * 5 whose open lower left is grey; any one window instead of half would cost 48.
 */
const FAINT_INK_SHARE = 0.35;
// Two markings the print allows, and nothing to tell them apart: even odds at best. A match
// needs 0.9; a mismatch stands from 0.5 (checkFrame), unless the twin is the reel's marking.
const FAINT_TWIN_CONFIDENCE = 0.5;
const FAINT_TWIN_WINDOWS = 0.5;

function faintInkTwin(reader: ReaderCore, hyps: HypothesisRead[], chosen: Choice, options: DecodeOptions, profile: number, body: Quad | null, scale: number): string | null {
  const own = hyps.find((o) => o.glyphs === chosen.glyphs);
  if (!own) return null;
  const was = characters(chosen.text!);
  const twinBy = (h: HypothesisRead): string | null => {
    const again = classifiedAgain(reader, hyps, chosen, FAINT_INK_SHARE, options, profile, body, scale, h);
    const faint = again?.choice.text ?? null;
    if (faint === null || characters(faint) === was || !again?.hyp) return null;
    // Each character it changes is what that glyph now reads as (or its look-alike, which the
    // grammar may pick): not the grammar's pick among the lesser candidates of a glyph that now
    // reads as nothing (a narrow 1 whose window, faint print counted, holds only noise).
    const now = characters(faint), glyphs = again.hyp.glyphs;
    if (was.length !== glyphs.length || now.length !== glyphs.length) return null;
    for (let i = 0; i < now.length; i++) {
      const top = glyphs[i].candidates[0].char;
      if (now[i] !== was[i] && top !== now[i] && LOOK_ALIKE[top] !== now[i]) return null;
    }
    return faint;
  };
  const twin = twinBy(own);
  if (twin !== null) return twin;
  // The other windows the reader put round the same characters (component boxes, line cells, at
  // each threshold of the look), asked the same: where most read another marking, the chosen
  // window is the one that left the faint stroke out.
  const others = hyps.filter((h) => h !== own && h.orientation === own.orientation && h.reading !== null && characters(h.reading.text) === was);
  // Asked only until the count is settled either way.
  const need = Math.ceil(FAINT_TWIN_WINDOWS * (1 + others.length));
  let found: string | null = null, twins = 0;
  for (let i = 0; i < others.length && twins < need && twins + others.length - i >= need; i++) {
    const t = twinBy(others[i]);
    if (t !== null) { found ??= t; twins++; }
  }
  return twins >= need ? found : null;
}

/**
 * The reading of a frame already grey and within the reader's buffer (readFrame and readPixels
 * after decoding or scaling; the bench times this). `timing.decodeMs` is left 0.
 */
export function readGrayFrame(frame: GrayFrame, options: ReadFrameOptions = {}, input = "<pixels>"): FrameRead | Failure {
  const read = readFrameOrChip(frame, options, input);
  if (read.ok) read.printBlur = printBlurOf(frame, read);
  return read;
}

/**
 * How blurred the print of the reading is (the reader's printBlur over its glyph boxes), in
 * character heights, on the frame as it came: whichever read chose the reading (a sharpened one
 * reads sharp), the buffer holds that frame again by now.
 */
function printBlurOf(frame: GrayFrame, read: FrameRead): number | null {
  if (read.glyphs.length === 0 || !read.charHeightPx) return null;
  const reader = readerCore();
  reader.exports.printBlurBegin(frame.width, frame.height);
  for (const { quad } of read.glyphs) {
    const xs = quad.map(([x]) => x / frame.scale), ys = quad.map(([, y]) => y / frame.scale);
    reader.exports.printBlurBox(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }
  const sigma = reader.exports.printBlur();
  return sigma > 0 ? sigma / (read.charHeightPx / frame.scale) : null;
}

/** The frame read whole, and where that reads nothing, cut to the chip. */
function readFrameOrChip(frame: GrayFrame, options: ReadFrameOptions, input: string): FrameRead | Failure {
  const read = readWholeFrame(frame, options, input);
  if (!read.ok || read.text !== null || !read.body || options.secondLook === false) return read;   // secondLook: false is one read
  const cut = aroundBody(frame, read.body);
  if (!cut) return read;
  const again = readWholeFrame(cut.frame, options, input);
  const reader = readerCore();
  reader.frame.set(frame.gray.subarray(0, frame.width * frame.height));   // the whole frame back in the buffer
  // As for a second look where the first read nothing: a reading must be fairly sure to count
  // (board or tape grain cut to a body's size can read as print).
  if (!again.ok || again.text === null || again.confidence < SECOND_LOOK_BLANK) {
    read.timing.readerMs += again.ok ? again.timing.readerMs : 0;
    read.timing.reads += again.ok ? again.timing.reads : 0;
    read.timing.cutReads = again.ok ? again.timing.reads : 0;
    return read;
  }
  const dx = cut.x0 * frame.scale, dy = cut.y0 * frame.scale;
  const glyph = (g: GlyphRead): GlyphRead => ({ ...g, quad: shifted(g.quad, dx, dy) });
  return {
    ...again,
    body: again.body && shifted(again.body, dx, dy),
    glyphs: again.glyphs.map(glyph),
    underline: again.underline && shifted(again.underline, dx, dy),
    size: read.size,
    timing: { ...again.timing, readerMs: read.timing.readerMs + again.timing.readerMs, coreMs: read.timing.coreMs + again.timing.coreMs, reads: read.timing.reads + again.timing.reads, cutReads: again.timing.reads },
    ...(again.hypotheses ? { hypotheses: again.hypotheses.map((h) => ({ ...h, glyphs: h.glyphs.map(glyph), underline: h.underline && shifted(h.underline, dx, dy) })) } : {}),
  };
}

/**
 * The reader sets its windows and thresholds by the frame: a top-hat window of 3 % of its short
 * side, the print's threshold over the whole frame's print, the body looked for at half
 * resolution in large frames. A chip small in a wide frame, board or tape all around, can then
 * read nothing though the body is found (chips rendered with three times the usual margin: 11
 * of 120 read nothing, none of them framed as usual). Where nothing is read, the frame cut to
 * the chip is read the same way: the body found, taken out AROUND_BODY_ALONG times its length
 * (the caps, beyond it) and AROUND_BODY_ACROSS times its width, when that is at most
 * AROUND_BODY_SHARE of the frame, and its reading counts from SECOND_LOOK_BLANK. Not with
 * `secondLook: false`, which holds a frame to one read.
 */
const AROUND_BODY_ALONG = 2;
const AROUND_BODY_ACROSS = 1.6;
/**
 * ... and at least this share of its length either side of its middle, across: the body's width
 * comes from the caps' spread, which light falling off across the chip shrinks, and the cut
 * must not leave out an underline. A 223_ at 29 px with a short bar, the light falling off
 * across it (whole scenes, underline extra, spec seed 396 021 332), had its body found 34 px
 * wide for 84; the frame cut 1.6 times that across left the bar out, and the cut frame read
 * 223 at 1.000 with no evidence of a bar: a match on a 223 reel.
 */
const AROUND_BODY_ACROSS_OF_LENGTH = 0.8;
const AROUND_BODY_SHARE = 0.5;

function aroundBody(frame: GrayFrame, body: Quad): { frame: GrayFrame; x0: number; y0: number } | null {
  const q = body.map(([x, y]) => [x / frame.scale, y / frame.scale]);
  const [cx, cy] = [(q[0][0] + q[2][0]) / 2, (q[0][1] + q[2][1]) / 2];
  // Half the body along its axis (corner 0 to 1) and across it (corner 0 to 3).
  const u = [(q[1][0] - q[0][0]) / 2, (q[1][1] - q[0][1]) / 2], v = [(q[3][0] - q[0][0]) / 2, (q[3][1] - q[0][1]) / 2];
  // Across, at least AROUND_BODY_ACROSS_OF_LENGTH of the body's length.
  const across = Math.max(AROUND_BODY_ACROSS, (AROUND_BODY_ACROSS_OF_LENGTH * Math.hypot(u[0], u[1])) / Math.max(Math.hypot(v[0], v[1]), 1e-9));
  const xs: number[] = [], ys: number[] = [];
  for (const su of [-1, 1]) for (const sv of [-1, 1]) {
    xs.push(cx + su * AROUND_BODY_ALONG * u[0] + sv * across * v[0]);
    ys.push(cy + su * AROUND_BODY_ALONG * u[1] + sv * across * v[1]);
  }
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(frame.width, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(frame.height, Math.ceil(Math.max(...ys)));
  const w = x1 - x0, h = y1 - y0;
  if (w < 8 || h < 8 || w * h > AROUND_BODY_SHARE * frame.width * frame.height) return null;
  const gray = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) gray.set(frame.gray.subarray((y0 + y) * frame.width + x0, (y0 + y) * frame.width + x1), y * w);
  return { frame: { ...frame, gray, width: w, height: h }, x0, y0 };
}

function shifted(q: Quad, dx: number, dy: number): Quad {
  return q.map(([x, y]) => [x + dx, y + dy]) as Quad;
}

/** The reading of the frame as it is: first look, second look, and the confirming reads. */
function readWholeFrame(frame: GrayFrame, options: ReadFrameOptions, input: string): FrameRead | Failure {
  const reader = readerCore();
  const profile = PROFILE_IDS[options.profile ?? "tai"];
  if (profile === undefined) throw new TypeError(`unknown profile "${options.profile}"`);
  const t1 = performance.now();
  reader.exports.setModelMembers(1);
  const status = reader.read(frame.gray, frame.width, frame.height);
  let tRead = performance.now();
  if (status === ReaderStatus.TOO_SMALL) {
    const scaled = frame.scale !== 1 ? `, ${frame.width} × ${frame.height} once scaled to fit the reader's ${reader.maxWidth} × ${reader.maxHeight}` : "";
    return { ok: false, input, error: { code: "image-too-small", status: -1, message: `image ${JSON.stringify(input)} is ${frame.sourceWidth} × ${frame.sourceHeight} pixels${scaled}; the reader needs at least 8 × 8` } };
  }
  let hyps = hypotheses(reader, markingCore(), profile, frame.scale);
  const first = hyps;
  const body = (): Quad | null => bodyFoundBy(reader, frame.scale);
  let result = choose(hyps, options, body(), frame.scale);
  const looked = options.secondLook !== false && (result.text === null || result.confidence < SECOND_LOOK_BELOW);
  // Not reads, and each has stopped false matches: with secondLook: false too.
  if (!looked && result.text !== null) {
    const t = performance.now();
    result = { ...result, confidence: Math.min(result.confidence, wholeModelConfidence(reader, hyps, result, options, profile, body(), frame.scale)) };
    tRead += performance.now() - t;   // the reader's time: it classifies the glyphs again
  }
  const wholeModelAt = (inkScale: number) => wholeModelHypotheses(reader, frame.width, frame.height, profile, frame.scale, inkScale);
  const lowered = new Set<HypothesisRead>();   // read with the ink threshold lowered
  let raised: HypothesisRead[] = [];           // read with the ink threshold raised
  if (looked) {
    // A second look, with the whole glyph model, and the ink threshold as it was, lowered and
    // raised: print too faint for Otsu's threshold (a lost character, a broken stroke) and
    // characters it welds together. Its reads replace the first look's (the same boxes at 1,
    // classified by a part of the same model).
    const t = performance.now();
    const more: HypothesisRead[] = [];
    for (const scale of SECOND_LOOK_SCALES) {
      const read = wholeModelAt(scale);
      if (scale < 1) read.forEach((h) => lowered.add(h));
      if (scale > 1) raised = read;
      more.push(...read);
    }
    tRead += performance.now() - t;
    // A bar the first look found and a rethresholded one lost (a raised threshold drops a faint
    // underline first) does not make the same characters without it a reading of their own.
    const bar = result.text?.endsWith("_") ? result.text.slice(0, -1) : null;
    const kept = bar === null ? more : more.filter((h) => h.reading?.text !== bar);
    const second = choose(kept, options, body(), frame.scale, more);
    // Where the first look saw no marking at all, a second one must be fairly sure: lowered,
    // the threshold finds characters in a blank body's grain too.
    if (result.text !== null || second.confidence >= SECOND_LOOK_BLANK) { result = second; hyps = kept; }
    // A bar that only the lowered threshold found, under characters that the other reads (and
    // the first look) read the same way up without it: the body's grain can line up into a bar
    // at that threshold. A plain 560 in dotted print at 28 px, upside down and skewed 4.8° on
    // a mottled body, read 560 at 0.88 at the first look (no bar; faint evidence 0.67), then
    // 560_ at 0.970 from the lowered threshold: a match on a 560_ reel (whole scenes, underline
    // missing, spec seed 388 020 700). Over the six collections 2 true underlines, faint enough
    // that only that read found them, are now unsure; samples unchanged.
    // (The reading chosen is one of the second look's: if no read at the usual or a raised
    // threshold found its bar, the lowered one did.)
    const chosen = result.underline ? kept.find((h) => h.reading?.text === result.text && h.orientation === result.orientation) : undefined;
    if (chosen) {
      const others = [...first, ...more.filter((h) => !lowered.has(h))].filter((h) => h.reading && sameCharacters(h) === sameCharacters(chosen));
      if (others.length > 0 && !others.some((h) => h.underline)) result = { ...result, confidence: Math.min(result.confidence, UNEXPLAINED_CONFIDENCE) };
    }
  }
  // Faint print that would make the glyphs another marking: the reading is not sure, its
  // runner-up is that marking, and no read below makes it surer. Before them: they change the
  // pixels in the buffer, which the check classifies.
  let twin: string | null = null;
  if (result.text !== null) {
    const t = performance.now();
    twin = faintInkTwin(reader, hyps, result, options, profile, body(), frame.scale);
    if (twin !== null) result = { ...result, confidence: Math.min(result.confidence, FAINT_TWIN_CONFIDENCE), runnerUp: twin };
    tRead += performance.now() - t;
  }
  let bodyFound = body(), reads = looked ? 1 + SECOND_LOOK_SCALES.length : 1;
  // A sure bar: is it the characters' own bases? (barOnlyInGlyphs; after bodyFound, which a
  // read here would change.)
  if (result.underline && result.confidence > UNEXPLAINED_CONFIDENCE && result.orientation !== null && barUntracedSomewhere(frame, result.orientation, result.glyphs, result.underline)) {
    // With secondLook: false, one read only: without the raised read a short bar and the
    // characters' own bases are one thing, and neither is sure.
    let bases = !looked && options.secondLook === false;
    if (!bases) {
      const t = performance.now();
      if (!looked) { raised = wholeModelAt(RAISED_SCALE); reads++; }
      tRead += performance.now() - t;
      const same = `${result.orientation}:${characters(result.text!)}`;
      bases = raised.some((h) => !h.underline && !h.line && h.forcedCuts === 0 && h.reading && sameCharacters(h) === same && barOnlyInGlyphs(frame, h, result.underline!));
    }
    if (bases) result = { ...result, confidence: Math.min(result.confidence, UNEXPLAINED_CONFIDENCE) };
  }
  // Still unsure after the second look: the frame read once more sharpened and, small print,
  // once more enlarged, with the whole model. Each read counts only where it reads the text
  // already chosen, and only to make it surer. One that reads other characters disputes it,
  // and then none counts: a 2000 at 15 px, blurred and dim in a whole scene (adversarial whole
  // scenes made harsher, character dropped, spec seed 315 002 532), read 200 at 0.12 (runner-up
  // 2000) after its second look, 2000 sharpened, then 200 at 0.967 enlarged: a match on a 200
  // reel. Each extra read is one more sample of an unsure frame; the surest is no surer. (The
  // same characters without a bar are no dispute: sharpening loses a faint underline first.)
  let disputed = false;
  const unsure = () => looked && twin === null && !disputed && result.text !== null && result.confidence < SECOND_LOOK_BELOW;
  const confirm = (prepare: () => void, width: number, height: number, scale: number) => {
    const t = performance.now();
    prepare();
    const again = wholeModelRead(reader, width, height, options, profile, scale);
    tRead += performance.now() - t;
    reads++;
    if (again.choice.text !== null && characters(again.choice.text) !== characters(result.text!)) disputed = true;
    else if (again.choice.text === result.text && again.choice.confidence > result.confidence && !lookAlikeBound(again.choice, options)) { result = again.choice; hyps = again.hyps; bodyFound = again.body; }
  };
  const extra = reads;
  // Both are the same chip: each takes the body the first look found (keepBody).
  if (unsure()) confirm(() => { reader.exports.sharpenFrame(frame.width, frame.height); reader.exports.keepBody(1); }, frame.width, frame.height, frame.scale);
  const w2 = Math.round(frame.width * ENLARGE), h2 = Math.round(frame.height * ENLARGE);
  if (unsure() && (result.charHeightPx ?? Infinity) / frame.scale < ENLARGE_BELOW_PX && w2 <= reader.maxWidth && h2 <= reader.maxHeight) {
    // From the frame as it came (the sharpened read left its pixels in the buffer).
    confirm(() => { enlarge(frame.gray, frame.width, frame.height, reader.frame, w2, h2); reader.exports.keepBody(w2 / frame.width); }, w2, h2, frame.scale / ENLARGE);
  }
  // The frame as it came back in the buffer, for whatever reads it next.
  if (reads > extra) reader.frame.set(frame.gray.subarray(0, frame.width * frame.height));
  const t2 = performance.now();
  return {
    ok: true,
    ...result,
    body: bodyFound,
    printBlur: null,   // readGrayFrame's, on the frame as it came
    size: { width: frame.sourceWidth, height: frame.sourceHeight, scale: frame.scale },
    timing: { decodeMs: 0, readerMs: tRead - t1, coreMs: t2 - tRead, reads, cutReads: 0 },
    ...(options.keepHypotheses ? { hypotheses: hyps } : {}),
  };
}

/**
 * A decoding failure as a record whose code says which kind. A path is looked at first (missing,
 * a directory, not readable), so the decoder's words never decide whether a file exists.
 */
function imageFailure(input: string, e: Error, path: string | undefined): Failure {
  const fail = (code: string, why: string): Failure => ({ ok: false, input, error: { code, status: -1, message: `image ${JSON.stringify(input)} ${why}` } });
  if (path !== undefined) {
    let stat;
    try { stat = statSync(path); } catch { return fail("image-missing", "does not exist"); }
    if (stat.isDirectory()) return fail("image-read", "is a directory, not a file");
    try { accessSync(path, constants.R_OK); } catch { return fail("image-read", "cannot be read (permission denied)"); }
  }
  const first = e.message.split("\n")[0];
  if (/pixel limit/i.test(first)) return fail("image-too-large", `declares more than the ${MAX_INPUT_PIXELS} pixels chipmark decodes (${first})`);
  if (/unsupported image format|empty|corrupt|premature|truncat|bad seek|invalid|missing|VipsJpeg|pngload|jpegload|gifload|webpload|tiffload/i.test(first)) {
    return fail("image-format", `is not a readable image: ${first}`);
  }
  return fail("image-read", `could not be read: ${first}`);
}

/**
 * Has the reading a look-alike twin (one 0 for a D, one 8 for a B) that is a valid marking of
 * another value? Then what the glyph model says between the pair on that glyph is no more than
 * noise in a font that draws them alike, and another read of the glyph samples those odds
 * again rather than adding to them: the surest of several samples is no surer. A flat-left
 * 43D, dotted and blurred in a 0603 crop (crop cases, confusable 0/D, spec seed 211 000 073),
 * read 430 at 0.17 at the first look, 0.51 at the second, 0.82 sharpened and 0.92 enlarged: a
 * match on a 430 reel. The extra reads no longer confirm such a reading. This held only while
 * the twin was the runner-up: read with its body between solid caps, the same frame had 4390
 * as the runner-up, and the model's 0 over D by 5 to 7 log-units went through (430 sure). Over
 * the six collections (13 440 frames) 10 verdicts are unsure that extra reads made sure, all
 * codes ending in 0 (390, 560: 39D and 56D are valid); samples: one more unsure (a 360).
 */
function lookAlikeBound(c: Choice, options: DecodeOptions): boolean {
  return c.text !== null && c.marking !== null && lookAlikeTwins(c.text, key(c.marking), options).length > 0;
}

/**
 * The valid markings of another value one look-alike away from `text` (whose marking's key is
 * `textKey`), with the position swapped: readings a print font may draw the same.
 */
function lookAlikeTwins(text: string, textKey: string, options: DecodeOptions): { i: number; other: string }[] {
  const twins: { i: number; other: string }[] = [];
  for (let i = 0; i < text.length; i++) {
    const alike = LOOK_ALIKE[text[i]];
    if (alike === undefined) continue;
    const other = text.slice(0, i) + alike + text.slice(i + 1);
    const m = decodeMarking(other, options);
    if (m.ok && key(m) !== textKey && !impossibleTwin(m, other, text)) twins.push({ i, other });
  }
  return twins;
}

/**
 * The hypotheses of the reader's buffer (width × height, each pixel `scale` source pixels) read
 * with the whole model, the ink threshold scaled by `inkScale`.
 */
function wholeModelHypotheses(reader: ReaderCore, width: number, height: number, profile: number, scale: number, inkScale = 1): HypothesisRead[] {
  reader.exports.setModelMembers(0);
  reader.exports.setInkScale(inkScale);
  reader.exports.readFrame(width, height);
  reader.exports.setInkScale(1);
  reader.exports.setModelMembers(1);
  return hypotheses(reader, markingCore(), profile, scale);
}

/** Reads the reader's buffer (width × height, each pixel `scale` source pixels) with the whole model, and chooses. */
function wholeModelRead(reader: ReaderCore, width: number, height: number, options: ReadFrameOptions, profile: number, scale: number) {
  const hyps = wholeModelHypotheses(reader, width, height, profile, scale);
  const body = bodyFoundBy(reader, scale);
  return { hyps, body, choice: choose(hyps, options, body, scale) };
}

/** Writes the w × h grey frame enlarged to w2 × h2 (bilinear, pixel centres aligned) into `out`. */
function enlarge(g: Uint8Array, w: number, h: number, out: Uint8Array, w2: number, h2: number): void {
  for (let y = 0; y < h2; y++) {
    const fy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / h2 - 0.5)), y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), ty = fy - y0;
    for (let x = 0; x < w2; x++) {
      const fx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / w2 - 0.5)), x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), tx = fx - x0;
      const top = g[y0 * w + x0] * (1 - tx) + g[y0 * w + x1] * tx, bottom = g[y1 * w + x0] * (1 - tx) + g[y1 * w + x1] * tx;
      out[y * w2 + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
}

/** The body the reader's last read found, in source pixels, or null. */
function bodyFoundBy(reader: ReaderCore, scale: number): Quad | null {
  return reader.slots[ReaderSlot.BODY_FOUND] === 1 ? bodyQuad(reader.slots, scale) : null;
}

function bodyQuad(s: Float64Array, scale: number): Quad {
  const at = ReaderSlot.BODY_QUAD;
  const p = (i: number): [number, number] => [s[at + 2 * i] * scale, s[at + 2 * i + 1] * scale];
  return [p(0), p(1), p(2), p(3)];
}

type Choice = Pick<FrameRead, "text" | "orientation" | "confidence" | "margin" | "meanGlyphP" | "glyphs" | "underline" | "underlineEvidence" | "unexplainedInk" | "charHeightPx" | "marking" | "runnerUp">;

/**
 * A plain reading with bar-like ink under it (LOST_UNDERLINE or more) where another read of
 * the frame found that ink an underline under the same characters, the same way up, is that
 * reading with the bar lost (one pass's top-hat or one segmentation of the row missed what
 * another kept): it is left out of the choice, instead of tying with the underlined reading or
 * making it unsure. Over the dev, validation, test, fresh and final collections (11 200
 * frames) 35 underlined chips had their plain twin as the nearest competitor (a 911_ read 911
 * at 0.12, a 181_ at 0.20, the bar plain to see), one plain chip its underlined twin (a 150
 * with bar-like ink along 0.55 of it, unsure either way). Validation: exact 2220 -> 2222,
 * verdicts 1951 -> 1956; test, fresh and final +1 to +2 and +4 to +5; dev 2216 / 1965 -> 2216 /
 * 1966. The adversarial suite's underline-missing chips (plain on the underlined code's reel,
 * 600 at each of three seeds): no more accepted.
 */
function barLost(read: HypothesisRead[]): (h: HypothesisRead) => boolean {
  const lined = new Set(read.filter((h) => h.underline).map(sameCharacters));
  return (h) => !h.underline && h.underlineEvidence >= LOST_UNDERLINE && lined.has(sameCharacters(h));
}

/**
 * A bar under some of the row's characters that is print only inside their boxes once the ink
 * threshold is raised, with no trace of it under the others, is those characters' own bases.
 * A plain 221 in the flat-left font at 18 px in a 0603 crop, blurred σ 0.9 and dim (adversarial
 * crops made harsher, underline missing, spec seed 316 002 059): the line reading's cells cut
 * the flat bases of its two 2s off into a bar and read 221_ at 0.975, a match on a 221_ reel;
 * barJoinsText found no join (the cells' edge held only the 2s' diagonals), and no plain read
 * of the first look was a witness. Read with the ink threshold raised (RAISED_SCALE), the
 * component boxes of both 2s take the bar in, and under the 1 the bar's band is at the body's
 * level (29 against 25, the bar 69). A true underline shows under every character, welded or
 * not (a 622_ whose 2s took the bar in: 64 under the 6 against 25 and 75). `h` is such a read of
 * the same characters without a bar. Only where the reading's own glyphs show a glyph over the
 * bar with no trace of it (barUntracedSomewhere) does a sure first look make that read, with the
 * whole model: 24 of 1700 checkFrame calls on the samples. Over the six collections it changes
 * no verdict.
 */
const BAR_TRACE = 0.25;

/**
 * The bar's band under each glyph over it (mean grey; `taking`: the glyph's box reaches across
 * at least half the bar's thickness) and the body's level (the 10th percentile over the bar and
 * the boxes: counters, gaps), in the frame's pixels.
 */
function barBand(frame: GrayFrame, orientation: number, glyphs: GlyphRead[], bar: Quad): { levels: { taking: boolean; level: number }[]; ground: number } {
  const across = orientation === 90 || orientation === 270 ? 0 : 1, along = 1 - across;
  const extent = across ? frame.height : frame.width, length = along ? frame.height : frame.width;
  const span = (q: Quad, k: number): [number, number] => [Math.min(...q.map((p) => p[k])) / frame.scale, Math.max(...q.map((p) => p[k])) / frame.scale];
  const greys = (c0: number, c1: number, a0: number, a1: number): number[] => {
    const out: number[] = [];
    for (let c = Math.max(0, Math.round(c0)); c <= Math.min(extent - 1, Math.round(c1)); c++) {
      for (let a = Math.max(0, Math.round(a0)); a <= Math.min(length - 1, Math.round(a1)); a++) out.push(frame.gray[across ? c * frame.width + a : a * frame.width + c]);
    }
    return out;
  };
  const [b0, b1] = span(bar, across), [l0, l1] = span(bar, along), thick = Math.max(b1 - b0, 1);
  const over = glyphs.map((g) => ({ c: span(g.quad, across), a: span(g.quad, along) })).filter((g) => Math.min(g.a[1], l1) - Math.max(g.a[0], l0) > 0);
  if (over.length === 0) return { levels: [], ground: 0 };
  const levels = over.map((g) => {
    const v = greys(b0, b1, g.a[0], g.a[1]);
    return { taking: Math.min(g.c[1], b1) - Math.max(g.c[0], b0) >= thick / 2, level: v.reduce((m, x) => m + x, 0) / Math.max(v.length, 1) };
  });
  const textSide = (over[0].c[0] + over[0].c[1]) / 2 > (b0 + b1) / 2;
  const far = textSide ? Math.max(...over.map((g) => g.c[1])) : Math.min(...over.map((g) => g.c[0]));
  const all = greys(Math.min(b0, far), Math.max(b1, far), l0, l1).sort((x, y) => x - y);
  return { levels, ground: all[Math.floor(all.length * 0.1)] ?? 0 };
}

/** Is there a glyph over the bar with no trace of it, against the bar's brightest stretch? */
function barUntracedSomewhere(frame: GrayFrame, orientation: number, glyphs: GlyphRead[], bar: Quad): boolean {
  const { levels, ground } = barBand(frame, orientation, glyphs, bar);
  if (levels.length < 2) return false;
  const bright = Math.max(...levels.map((l) => l.level));
  return levels.some((l) => l.level < ground + (bright - ground) * BAR_TRACE);
}

/** Do some of `h`'s boxes take the bar in, with no trace of it under the others? */
function barOnlyInGlyphs(frame: GrayFrame, h: HypothesisRead, bar: Quad): boolean {
  const { levels, ground } = barBand(frame, h.orientation, h.glyphs, bar);
  const taking = levels.filter((l) => l.taking), others = levels.filter((l) => !l.taking);
  if (taking.length === 0 || others.length === 0) return false;
  const inBar = taking.reduce((m, l) => m + l.level, 0) / taking.length;
  return Math.max(...others.map((l) => l.level)) < ground + (inBar - ground) * BAR_TRACE;
}

/** A read's characters and which way up, underlined or not: twins share it. */
function sameCharacters(h: HypothesisRead): string {
  return `${h.orientation}:${characters(h.reading!.text)}`;
}

/**
 * The bar-like ink under a plain reading's characters: the most that any read of the same
 * characters the same way up saw, underlined or not. One pass may weld a short bar into a
 * glyph box and see nothing (a 221_ in a 0603 crop read 221 with evidence 0.04, a match on a
 * 221 reel; crop cases, underline extra, seed 92 003 237) where another found it (0.56, its
 * reading held back by the box the bar widened). Verdicts: dev -3, validation -5, test -2,
 * fresh -3, final -1, last -3 (plain chips on their own reels made unverifiable).
 */
function barUnder(read: HypothesisRead[], plain: HypothesisRead): number {
  const twins = sameCharacters(plain);
  return Math.max(plain.underlineEvidence, ...read.filter((h) => sameCharacters(h) === twins).map((h) => h.underlineEvidence));
}

/**
 * An underline is print under the whole row: every read of the same characters the same way
 * up sees bar-like ink there, if not always a bar (the evidence counts grey levels as well as
 * ink, so a raised threshold that drops a faint bar still sees it). A bar that a read of the
 * same characters saw no trace of (evidence under BAR_UNSEEN) is the row's own edge taken for
 * one: a plain 625 at 16 px in a condensed font, in a 0603 crop (crop cases, underline missing,
 * spec seed 185 009 548), read 625_ at 0.991 by its line reading, whose cells cut the
 * characters' blurred bases off into a bar, where the component boxes of the same read saw
 * evidence 0.00; a match on a 625_ reel. It changes 10 readings' confidence over the six
 * collections and no verdict (two true underlines it makes unsure were unsure already). Print
 * blurred past the renderer's worst can lose a thin bar to a read entirely: validation 0603
 * crops blurred by a further σ 1.2, verdicts 208 -> 207 of 240 (a blurred 682_ sample crop
 * that the sharpened read made sure no longer is).
 */
const BAR_UNSEEN = 0.05;

function barUnseenByTwin(h: HypothesisRead, witnesses: HypothesisRead[]): boolean {
  if (!h.underline) return false;
  const twins = sameCharacters(h);
  return witnesses.some((o) => o.reading && !o.underline && o.underlineEvidence < BAR_UNSEEN && sameCharacters(o) === twins);
}

/** The best valid reading over all hypotheses, and how surely it beats readings of other values. */
function choose(hyps: HypothesisRead[], options: DecodeOptions, body: Quad | null, scale: number, witnesses: HypothesisRead[] = hyps): Choice {
  const read = hyps.filter((h) => h.reading && meanShapeP(h) >= MIN_GLYPH_P);
  const lost = barLost(read);
  const scored = read.filter((h) => !lost(h)).map((h) => ({
    h, wide: widestGlyph(h) > WIDE_GLYPH, marking: decodeMarking(h.reading!.text, options),
  })).map((s) => {
    // Evidence: the glyphs and the geometry. The choice also weighs the value's prior (a
    // value no series carries is unlikely); the confidence does only for impossibleTwin.
    const evidence = s.h.reading!.score + s.h.prior - UNEXPLAINED_COST * s.h.unexplainedInk - (s.wide ? WIDE_COST : 0);
    return { ...s, evidence, total: evidence + s.h.reading!.valuePrior };
  });
  if (scored.length === 0) {
    return { text: null, orientation: null, confidence: 0, margin: null, meanGlyphP: null, glyphs: [], underline: null, underlineEvidence: 0, unexplainedInk: 0, charHeightPx: null, marking: null, runnerUp: null };
  }
  scored.sort((a, b) => b.total - a.total);
  const best = scored[0];
  const bestKey = key(best.marking);
  let competitor = -Infinity, runnerUp: string | null = null;
  if (best.h.runnerUp) { competitor = best.h.runnerUp.score + best.h.prior; runnerUp = best.h.runnerUp.text; }
  for (const other of scored.slice(1)) {
    // A reading of more characters made by cutting touching ones apart where the ink gave no
    // valley pays the reader's Cost.FORCED_CUT a cut: a prior, right for choosing; the ink allows
    // both, so against the reading chosen it does not count (a welded 2004 read 204 at 0.92 and
    // a flat-left 28R7 read 2R7 at 0.95 were matches on 204 and 2R7 reels, their cut-apart rows
    // read with every glyph sure; adversarial suite, character dropped, seeds 80 002 713 and
    // 93 003 655). Verdicts, with the cost at 4, counting half of it: dev -3, validation -2,
    // test 0, fresh -4, final -3, last -2; counting none of it, -4, -6, -9, -5, -5, -8 more.
    let { evidence, marking } = other, text = other.h.reading!.text;
    // A read whose best reading is the choice's impossible twin speaks with its runner-up.
    if (impossibleTwin(marking, text, best.h.reading!.text)) {
      if (!other.h.runnerUp) continue;
      evidence += other.h.runnerUp.score - other.h.reading!.score;
      text = other.h.runnerUp.text;
      marking = decodeMarking(text, options);
    }
    evidence += Cost.FORCED_CUT * Math.max(0, other.h.forcedCuts - best.h.forcedCuts);
    if (key(marking) !== bestKey && evidence > competitor) { competitor = evidence; runnerUp = text; }
  }
  // Sure when the reading beats every other value by a margin of evidence, and its glyphs are
  // likely themselves.
  const n = best.h.glyphs.length;
  let margin = competitor === -Infinity ? 2 * SURE_MARGIN : best.evidence - competitor;
  // A print font may draw a look-alike pair the same (0 as D, 8 as B): a valid marking of
  // another value one look-alike away competes with the glyphs' odds between the pair, less
  // LOOK_ALIKE_COST.
  const text = best.h.reading!.text;
  for (const { i, other } of lookAlikeTwins(text, bestKey, options)) {
    const c = text[i], alike = LOOK_ALIKE[c];
    const cand = best.h.glyphs[i].candidates;
    const pc = cand.find((k) => k.char === c)?.p ?? 0, pa = cand.find((k) => k.char === alike)?.p ?? 0;
    const ratio = pa > 0 ? Math.log(pc / pa) : Infinity;
    if (ratio - LOOK_ALIKE_COST < margin) { margin = ratio - LOOK_ALIKE_COST; runnerUp = other; competitor = best.evidence - margin; }
  }
  const meanGlyphP = Math.exp(best.h.reading!.score / n);
  let confidence = sigmoid(margin - SURE_MARGIN / 2) * Math.min(1, meanShapeP(best.h) * 1.05);
  // Print along the row that the reading leaves out: a character was missed, whatever the model says.
  if (best.h.unexplainedInk > UNEXPLAINED_LIMIT) confidence = Math.min(confidence, UNEXPLAINED_CONFIDENCE);
  // A box as wide as a character is high may hold two touching characters read as one.
  if (best.wide) confidence = Math.min(confidence, UNEXPLAINED_CONFIDENCE);
  if (characterMayBeMissing(best.h) || gapCoveredByLine(best.h, read)) confidence = Math.min(confidence, UNEXPLAINED_CONFIDENCE);
  if (barInsideGlyphs(best.h) || barOnBodyEdge(best.h, body, scale) || barUnseenByTwin(best.h, witnesses)) confidence = Math.min(confidence, UNEXPLAINED_CONFIDENCE);
  return {
    text: best.h.reading!.text,
    orientation: best.h.orientation,
    confidence,
    margin: competitor === -Infinity ? null : margin,
    meanGlyphP,
    glyphs: best.h.glyphs,
    underline: best.h.underline,
    underlineEvidence: best.h.underline ? best.h.underlineEvidence : barUnder(read, best.h),
    unexplainedInk: best.h.unexplainedInk,
    charHeightPx: best.h.charHeightPx,
    marking: best.marking.ok ? best.marking : null,
    runnerUp,
  };
}

export interface CheckFrameOptions extends VerifyOptions, ReadFrameOptions {
  /** Below this confidence a reading that would match is `unverifiable` instead. Default 0.9. */
  minMatchConfidence?: number;
}

/**
 * Reads a frame and holds the marking against the reel's part number. A reading that matches
 * only counts when the reader is sure of it; a wrong match is the one answer never to give.
 */
export async function checkFrame(partNumber: string, image: string | Uint8Array, options: CheckFrameOptions = {}): Promise<FrameCheck | Failure> {
  const input = typeof image === "string" ? image : "<bytes>";
  const part = parsePart(partNumber, options);          // a bad part number needs no image read
  if (!part.ok) return { ...part, input };
  const read = await readFrame(image, { ...options, keepHypotheses: true });
  if (!read.ok) return read;
  // The windows are for the mismatch rule below; the caller gets them only if asked.
  const { hypotheses: windows = [], ...rest } = read;
  const frame: FrameRead = options.keepHypotheses ? read : rest;
  const v = verify(partNumber, frame.text ?? "", options);
  if (!v.ok) return { ...v, input };
  const { read: _read, input: _text, ...verdict } = v;
  const check: FrameCheck = { ...verdict, input, ...(frame.file ? { file: frame.file } : {}), text: frame.text, frame };
  const minConfidence = options.minMatchConfidence ?? 0.9;
  const needed = frame.glyphs.length === 1 || frame.marking?.ohms === 0 ? Math.max(SINGLE_GLYPH_CONFIDENCE, minConfidence) : minConfidence;
  const jumperDoubt = frame.marking?.ohms !== 0 ? null
    : frame.unexplainedInk > JUMPER_UNEXPLAINED ? `that leaves ${Math.round(100 * frame.unexplainedInk)} % of the print along its row unread (more than ${100 * JUMPER_UNEXPLAINED} %: a character may be lost)`
    : frame.glyphs.length === 1 && loneGlyphLooksD(frame.glyphs[0]) ? "from one glyph the model takes for a D: only the grammar makes it a 0"
    : null;
  const plainExpected = v.expectedMarking?.kind === "3digit" && underlinedTwinPrinted(frame.marking);
  const unsureFrom = part.underlinedCodes ? UNSURE_UNDERLINE_PRINTED : UNSURE_UNDERLINE;
  const underlineUnsure = frame.underline === null && frame.underlineEvidence >= unsureFrom;
  // Blur hides a bar, it never makes one: a plain reading of blurred print rules out neither a
  // ±1 % chip on a plain code's reel (no match) nor the reel's own underlined chip on its reel
  // (no mismatch: a mismatch must rule the reel's marking out).
  const blurred = part.underlinedCodes && frame.underline === null && frame.printBlur !== null && frame.printBlur >= UNSURE_UNDERLINE_BLUR;
  const unsureWhy = underlineUnsure
    ? `bar-like print covers ${Math.round(100 * frame.underlineEvidence)} % of the text's length under it`
    : `the print is too blurred to show one (σ ${frame.printBlur?.toFixed(3)} of the character height, from ${UNSURE_UNDERLINE_BLUR})`;
  if (v.verdict === "match" && plainExpected && (underlineUnsure || blurred)) {
    // A faint bar under a plain code may be the underline of a ±1 % chip: never call that a match.
    check.verdict = "unverifiable";
    check.reason = "possible-underline";
    check.message = `unverifiable: read ${frame.text}, but it may be underlined: ${unsureWhy}`;
  } else if (v.verdict === "mismatch" && v.reason === "tolerance-class" && v.expectedMarking?.underlined && (underlineUnsure || blurred)) {
    check.verdict = "unverifiable";
    check.reason = "possible-underline";
    check.message = `unverifiable: read ${frame.text} without an underline, but ${unsureWhy}`;
  } else if (v.verdict !== "unverifiable" && frame.marking?.ohms === 0 && characters(frame.text ?? "") !== "0") {
    // This maker prints a jumper `0` (datasheet 7: 0 = 0 Ω); `00`, `000` and `0R0` are zeros
    // only as other makers print them, and a zero-heavy code that lost a character reads so:
    // neither a match nor a mismatch. An 04D, its broken 4 lost and the D drawn like 0, read 00
    // at 0.998 on a jumper reel (dropped-4-04D-00.png), and 00 at 0.90 on its own reel.
    check.verdict = "unverifiable";
    check.reason = "zero-form";
    check.message = `unverifiable: read ${frame.text}, a jumper only as other makers print it (this maker prints 0); this reel's chips are ${v.expectedMarking?.text ? `marked ${v.expectedMarking.text}` : "unmarked"}`;
  } else if (v.verdict === "match" && frame.confidence < needed) {
    check.verdict = "unverifiable";
    check.reason = "low-confidence";
    check.message = `unverifiable: read ${frame.text} (would match) with confidence ${frame.confidence.toFixed(2)} < ${needed}; runner-up ${frame.runnerUp ?? "none"}`;
  } else if (v.verdict === "match" && jumperDoubt !== null) {
    check.verdict = "unverifiable";
    check.reason = "low-confidence";
    check.message = `unverifiable: read ${frame.text} (would match), a jumper reading ${jumperDoubt}`;
  } else if (v.verdict === "mismatch" && frame.confidence < (frame.glyphs.length === 1 ? SINGLE_GLYPH_CONFIDENCE : 0.5)) {
    // Not sure enough to stop the line for a mismatch either: ask for another look. One glyph
    // has no grammar to catch a misread for a mismatch either: a 3R6_ blurred into one blob, its
    // 3 and R under the ink threshold, read 0 at 0.987 on its own reel (adversarial crops made
    // harsher, underline missing, the correct twin, spec seed 528 002 054; blob-3R6-0.png). No
    // one-glyph reading of the six collections is a mismatch; jumpers read 0 at 0.99 and more.
    check.verdict = "unverifiable";
    check.reason = "low-confidence";
    check.message = `unverifiable: read ${frame.text} (would not match ${v.expectedMarking?.text ?? "an unmarked part"}) with confidence ${frame.confidence.toFixed(2)}`;
  } else if (v.verdict === "mismatch" && frame.marking !== null && noPartCarries(frame.marking)) {
    // A value no part carries is a misread, and a misread says nothing about the reel (an
    // 80B read 8008, 80 GΩ; a 58B read 588_, 5.8 GΩ: both mismatches on their own reels).
    check.verdict = "unverifiable";
    check.reason = "implausible-reading";
    check.message = `unverifiable: read ${frame.text} = ${frame.marking.readings.map((r) => r.value).join(" or ")}, a value no part carries (a jumper, or E-24/E-96 from 1 Ω to 20 MΩ): a misread`;
  } else if (v.verdict === "mismatch" && v.expectedMarking?.text && frame.text !== null) {
    const expected = v.expectedMarking.text, lead = reelMarkingLead(frame.text, expected, frame.glyphs);
    if (lead !== null && lead < SURE_MARGIN) {
      check.verdict = "unverifiable";
      check.reason = "reel-marking-possible";
      check.message = `unverifiable: read ${frame.text}, but its glyphs read as this reel's ${expected} about as well (the reading leads by ${lead.toFixed(1)} log-units; a mismatch needs ${SURE_MARGIN})`;
    } else if (otherWindowAllowsReel(windows, frame, expected)) {
      check.verdict = "unverifiable";
      check.reason = "reel-marking-possible";
      check.message = `unverifiable: read ${frame.text}, but another window the reader put round the same print reads this reel's ${expected}, or gives it less than ${SURE_MARGIN} log-units behind`;
    } else if (roomForLostCharacter(frame, expected)) {
      check.verdict = "unverifiable";
      check.reason = "reel-marking-possible";
      check.message = `unverifiable: read ${frame.text}, this reel's ${expected} less one character, with room for it where it would stand`;
    } else if (frame.runnerUp === expected && frame.confidence <= FAINT_TWIN_CONFIDENCE) {
      // Even odds against the reel's own marking: the faint-print twin (08A read 03A, faint
      // print counted 08A, on its own reel; adversarial crops, confusable 3/8, seed 480 001 089).
      check.verdict = "unverifiable";
      check.reason = "reel-marking-possible";
      check.message = `unverifiable: read ${frame.text} with confidence ${frame.confidence.toFixed(2)}, this reel's ${expected} the runner-up`;
    }
  }
  return check;
}

/**
 * A mismatch must rule the reel's marking out in every window the reader put round the print the
 * same way up, not only in the chosen one: one that reads the reel's characters (its glyphs
 * about as sure as a reading needs, MIN_GLYPH_P), or one of the reading's characters in which
 * the reel's marking trails by less than SURE_MARGIN, leaves it possible. Harsher adversarial
 * cases, correct twins called a mismatch: a 184_ read 1R4_ at 0.80 where two other windows
 * gave 184_ 1.8 log-units behind (crops at 549 million, underline missing, spec seed
 * 549 001 865), a 5R90 blurred σ 2.2 read 5R10 at 0.77 where a line reading read 5R90 (whole
 * scenes at 550 million, confusable 6/9, seed 550 001 270), and a 33D read 330 and a 1154
 * read 115 (544 million); an 85C read 83C (6.2 behind in every window) is left. Over the six
 * collections 28 true wrong reels are unverifiable instead of a mismatch (mostly EIA-96 D
 * chips whose D another window reads 0, on the reel of that 0); samples unchanged.
 */
function otherWindowAllowsReel(windows: HypothesisRead[], frame: FrameRead, expected: string): boolean {
  const reel = characters(expected), read = characters(frame.text ?? "");
  if (reel === read) return false;   // the underline alone differs: rules 4 and 8 judge that
  return windows.some((h) => {
    if (h.orientation !== frame.orientation || !h.reading || meanShapeP(h) < MIN_GLYPH_P) return false;
    const text = characters(h.reading.text);
    if (text === reel) return true;
    if (text !== read) return false;
    const lead = reelMarkingLead(h.reading.text, expected, h.glyphs);
    return lead !== null && lead < SURE_MARGIN;
  });
}

/**
 * A gap this much wider than the reading's usual one (in character heights) where the reel's
 * marking has a character the reading lacks may hold that character, lost: a 5493 at 19 px
 * in a condensed font, blurred σ 1.6, its thin 4 under the ink threshold, read 593 at 0.98, a
 * mismatch on its own reel, the gap 0.29 against none between the others (harsher adversarial
 * scenes at 504 million, confusable 5/6, the correct twin, spec seed 504 000 866).
 */
const LOST_CHARACTER_GAP = 0.2;

/**
 * Whether the reading is the reel's marking (`expected`) less one character inside it, with a
 * gap between the glyphs where it would stand LOST_CHARACTER_GAP wider than the others: the
 * reading does not rule the reel's marking out. A character lost at either end leaves no such
 * trace (3R00 read 3R0 is a true wrong reel as often).
 */
export function roomForLostCharacter(frame: Pick<FrameRead, "text" | "glyphs" | "orientation" | "charHeightPx">, expected: string): boolean {
  const read = characters(frame.text ?? ""), reel = characters(expected), n = read.length;
  if (reel.length !== n + 1 || frame.glyphs.length !== n || !frame.charHeightPx) return false;
  const gaps = glyphGaps(frame.glyphs, frame.orientation ?? 0, frame.charHeightPx);
  for (let i = 1; i < n; i++) {
    if (reel.slice(0, i) + reel.slice(i + 1) !== read) continue;
    const others = gaps.filter((_, k) => k !== i - 1).sort((a, b) => a - b);
    const usual = others.length > 0 ? others[(others.length - 1) >> 1] : 0;
    if (gaps[i - 1] >= usual + LOST_CHARACTER_GAP) return true;
  }
  return false;
}

/** Whether no part carries the marking's value, however it reads (an ambiguous marking's `plausible` is null: each reading has its own). */
export function noPartCarries(m: Marking): boolean {
  return m.readings.every((r) => r.plausible === false);
}

/**
 * How far the reel's own marking (`expected`; its characters, as an underline is no glyph's)
 * trails the reading `text` on the reading's glyphs, in log-units: null where it has another
 * number of characters, or the same ones (the underline alone differs: rules 4 and 8 judge
 * that). A mismatch stops the line: like a match, it needs the glyphs to rule the other answer
 * out by SURE_MARGIN, and on a reel the other answer that matters is the reel's own marking. A
 * look-alike pair (Z and 7, 8 and B) can lead by less: an 01Z read 017 at 0.85 led by 3.7, a
 * 58B read 588_ at 0.998 even trailed (−3.9); both were mismatches on their own reels.
 */
export function reelMarkingLead(text: string, expected: string, glyphs: readonly Pick<GlyphRead, "candidates">[]): number | null {
  if (characters(text) === characters(expected) || characters(expected).length !== glyphs.length) return null;
  const core = markingCore();
  const read = core.scoreMarking(text, glyphs), reel = core.scoreMarking(expected, glyphs);
  return read === null || reel === null ? null : read - reel;
}
