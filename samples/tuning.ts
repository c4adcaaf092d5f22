// Random frame specs: the effect ranges shared by the committed test set (generate.ts) and the
// training data of the reader (tuningSpecs), which never sees the held-out font or a test seed.

import { Rng } from "./rng.ts";
import { CHARSET } from "./strokefont.ts";
import {
  FONT_IDS, isHeldOutFont, type FontId, type FrameEffects, type FrameSpec, type Orientation, type SizeCode,
  type Surround, type UnderlineStyle,
} from "./render.ts";
import { catalogue, expectedMarking, type Size, type Tol } from "../test/oracle.ts";

/** Seeds of the committed test set (samples/frames): tuningSpecs refuses to overlap them. */
export const COMMITTED_SEED_BASE = 7_000_000;
export const COMMITTED_SEED_SPAN = 100_000;

export const ORIENTATIONS: readonly Orientation[] = [0, 90, 180, 270];
export const MAX_SKEW_DEG = 5;
export const TRAINING_FONTS: readonly FontId[] = FONT_IDS.filter((f) => !isHeldOutFont(f));

/**
 * Camera and print effects within what real frames show. Blur and stroke width are bounded by
 * the character height so that a 12-px code is degraded but still legible to a person.
 */
export function randomEffects(rng: Rng, charHeightPx: number): FrameEffects {
  const maxBlur = 0.35 + charHeightPx * 0.045;
  return legible({
    blurSigma: round(rng.weighted<() => number>([[() => 0, 2], [() => rng.range(0.3, 0.7), 5], [() => rng.range(0.7, maxBlur), 3]])(), 2),
    noiseSigma: round(rng.range(1, 11), 1),
    jpegQuality: rng.chance(0.15) ? null : rng.int(55, 95),
    lightGradient: round(rng.range(0, 1), 2),
    dotted: rng.chance(0.2),
    brokenStrokes: rng.chance(0.6) ? 0 : round(rng.range(0.1, 0.7), 2),
    inkThickness: round(rng.range(0.09, 0.2), 3),
    inkBrightness: rng.int(170, 250),
    monochrome: rng.chance(0.15),
  }, charHeightPx);
}

/** Below this character height the effects are capped so that they do not all pile up. */
const SMALL_CHAR_PX = 16;

/**
 * Caps a combination of effects so that a person can still read the code: real frames are bad,
 * but a test frame whose expected read no one could make out would test nothing.
 */
export function legible(fx: FrameEffects, charHeightPx: number): FrameEffects {
  const out = { ...fx };
  // A stroke thinner than about 1.8 px vanishes in blur and noise; real print is never that thin.
  out.inkThickness = round(Math.max(out.inkThickness, 1.8 / charHeightPx), 3);
  if (out.dotted) out.brokenStrokes = Math.min(out.brokenStrokes, 0.35);
  if (charHeightPx < SMALL_CHAR_PX) {
    out.blurSigma = Math.min(out.blurSigma, round(0.25 + 0.03 * charHeightPx, 2));
    out.noiseSigma = Math.min(out.noiseSigma, 7);
    if (out.jpegQuality !== null) out.jpegQuality = Math.max(out.jpegQuality, 70);
    if (out.dotted) out.brokenStrokes = Math.min(out.brokenStrokes, 0.15);
    out.inkBrightness = Math.max(out.inkBrightness, 195);
  }
  return out;
}

export function randomUnderlineStyle(rng: Rng): UnderlineStyle {
  return rng.weighted<UnderlineStyle>([["full", 6], ["short", 2], ["dotted", 2]]);
}

export function randomSurround(rng: Rng): Surround {
  return rng.weighted<Surround>([["board", 13], ["paper-tape", 5], ["embossed-tape", 2]]);
}

/** A character height: mostly 15–30 px as on real frames, with both extremes covered. */
export function randomCharHeight(rng: Rng): number {
  return rng.weighted<() => number>([[() => rng.int(12, 14), 2], [() => rng.int(15, 30), 6], [() => rng.int(31, 40), 2]])();
}

export const round = (x: number, digits: number) => Number(x.toFixed(digits));

const MARKED_SIZES: readonly (readonly [Size, number])[] = [["06", 8], ["10", 4], ["12", 2], ["13", 1], ["20", 1], ["25", 1]];
const TOLS: readonly (readonly [Tol, number])[] = [["J", 3], ["G", 1], ["F", 3], ["D", 1]];

/** A marking some real reel carries, by the datasheet model in test/oracle.ts. */
export function randomMarking(rng: Rng): { size: Size; text: string } {
  for (;;) {
    const size = rng.weighted(MARKED_SIZES), tol = rng.weighted(TOLS);
    if (rng.chance(0.03)) return { size, text: "0" };
    const text = expectedMarking(size, tol, rng.pick(catalogue(size, tol)));
    if (text) return { size, text };
  }
}

/**
 * `count` random specs for training the reader, with seeds seedBase, seedBase + 1, ...: mostly
 * real markings, some random strings of the alphabet (so rare glyphs such as G, H, S are seen),
 * some scenes with nothing to read; never the held-out font, never a seed of the test set.
 */
export function tuningSpecs(count: number, seedBase: number): FrameSpec[] {
  const lo = seedBase, hi = seedBase + count - 1;
  if (hi >= COMMITTED_SEED_BASE && lo < COMMITTED_SEED_BASE + COMMITTED_SEED_SPAN) {
    throw new RangeError(`seeds ${lo}–${hi} overlap the committed test set's ${COMMITTED_SEED_BASE}–${COMMITTED_SEED_BASE + COMMITTED_SEED_SPAN - 1}`);
  }
  const specs: FrameSpec[] = [];
  for (let i = 0; i < count; i++) {
    const seed = seedBase + i;
    const rng = new Rng(`chipmark-tuning:${seed}`);
    const charHeightPx = randomCharHeight(rng);
    let { size, text } = randomMarking(rng);
    let scene: FrameSpec["scene"] = "chip";
    const kind = rng.next();
    if (kind < 0.1) {
      // Random strings, underlined now and then: balance the glyph classes.
      text = Array.from({ length: rng.int(3, 4) }, () => rng.pick(CHARSET.split(""))).join("");
      if (text.length === 3 && rng.chance(0.2)) text += "_";
    } else if (kind < 0.16) {
      scene = rng.pick(["blank-body", "empty-pocket", "bare-board"] as const);
      text = "";
      if (rng.chance(0.3)) size = rng.pick(["02", "04"] as const);
    }
    specs.push({
      seed,
      text,
      size: size as SizeCode,
      charHeightPx,
      orientation: rng.pick(ORIENTATIONS),
      skewDeg: round(rng.range(-MAX_SKEW_DEG, MAX_SKEW_DEG), 1),
      font: rng.pick(TRAINING_FONTS),
      scene,
      surround: randomSurround(rng),
      underlineStyle: randomUnderlineStyle(rng),
      effects: randomEffects(rng, charHeightPx),
    });
  }
  return specs;
}
