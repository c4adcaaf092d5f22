// The held-out photos' framing: a rendered frame cut to about 64 × 127 px around its chip body.
// Used by the sample generator (the crop0603 group) and the adversarial suite's crop cases.

import sharp from "sharp";
import { Rng } from "./rng.ts";
import type { Box, RenderedFrame } from "./render.ts";
import { round } from "./tuning.ts";

/**
 * The crop0603 group: what the held-out photos show, 0603 chips with EIA-96 or underlined
 * codes turned 90° or 270°, cut to about 64 × 127 px around the chip with board at its sides.
 */
export const CROP: { width: number; height: number; charHeightPx: [number, number] } = { width: 64, height: 127, charHeightPx: [16, 24] };

/** Cuts a rendered frame to CROP's size around its chip body (a few pixels off centre), as PNG. */
export async function cropAroundBody(frame: RenderedFrame, seed: number): Promise<RenderedFrame> {
  const r = new Rng(`chipmark-crop:${seed}`);
  const body = frame.truth.bodyCorners!;
  const cx = body.reduce((a, p) => a + p[0], 0) / 4 + r.range(-3, 3), cy = body.reduce((a, p) => a + p[1], 0) / 4 + r.range(-4, 4);
  const width = Math.min(CROP.width, frame.width), height = Math.min(CROP.height, frame.height);
  const left = Math.max(0, Math.min(frame.width - width, Math.round(cx - width / 2)));
  const top = Math.max(0, Math.min(frame.height - height, Math.round(cy - height / 2)));
  const data = await sharp(frame.data).extract({ left, top, width, height }).png().toBuffer();
  const move = (b: Box): Box => ({ ...b, x: round(b.x - left, 2), y: round(b.y - top, 2) });
  return {
    data, ext: "png", width, height,
    truth: {
      ...frame.truth,
      bodyCorners: body.map(([x, y]) => [round(x - left, 2), round(y - top, 2)] as [number, number]),
      glyphBoxes: frame.truth.glyphBoxes.map(move),
      underline: frame.truth.underline ? move(frame.truth.underline) : null,
    },
  };
}
