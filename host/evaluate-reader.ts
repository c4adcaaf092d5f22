// The reader on rendered tuning frames: what to tune against, never the committed samples.
//
//   npm run evaluate-reader -- [--frames 400] [--seed-base 4000000]
//
// Renders frames with samples/tuning.ts (seeds disjoint from samples/frames, the held-out font
// never used), reads each with readFrame, and prints exact reads, where the misses are, and how
// many readings are sure (confidence ≥ t) and right or wrong for several t. A change to the
// reader or the model is worth keeping when it adds sure-right reads without sure-wrong ones.

import { parseArgs } from "node:util";
import { decodeMarking, readFrame, type FrameRead } from "./index.ts";
import { renderFrame } from "../samples/render.ts";
import { tuningSpecs } from "../samples/tuning.ts";

const { values } = parseArgs({
  options: {
    frames: { type: "string", default: "400" },
    "seed-base": { type: "string", default: "4000000" },
  },
});
const specs = tuningSpecs(Number(values.frames), Number(values["seed-base"]));

interface Row { truth: string; read: FrameRead; charHeightPx: number }
const rows: Row[] = [];
for (const spec of specs) {
  const frame = await renderFrame(spec);
  const read = await readFrame(frame.data);
  if (!read.ok) throw new Error(`a rendered frame did not decode: ${read.error.message}`);
  rows.push({ truth: spec.scene === "chip" ? spec.text : "", read, charHeightPx: spec.charHeightPx });
}

const withText = rows.filter((r) => r.truth !== "");
const exact = rows.filter((r) => (r.read.text ?? "") === r.truth).length;
const kinds: Record<string, number> = {};
for (const { truth, read } of withText) {
  const got = read.text ?? "";
  const kind = got === truth ? "exact" : read.text === null ? "nothing read"
    : got.replace("_", "").length !== truth.replace("_", "").length ? "wrong glyph count"
    : got.endsWith("_") !== truth.endsWith("_") ? "underline" : "wrong characters";
  kinds[kind] = (kinds[kind] ?? 0) + 1;
}
console.log(`${rows.length} tuning frames (${withText.length} with print): ${exact} read exactly (${((100 * exact) / rows.length).toFixed(1)} %)`);
console.log(`frames with print: ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(", ")}`);
// Some tuning frames carry random strings (to balance the glyph classes) that no marking
// grammar allows: the reader can never read those exactly. The real markings, by height:
const valid = withText.filter((r) => { const m = decodeMarking(r.truth); return m.ok && !m.ambiguous; });
const bands: [string, number, number][] = [["12–13 px", 12, 13], ["14–19 px", 14, 19], ["20–29 px", 20, 29], ["30–40 px", 30, 40]];
const exactOf = (rs: Row[]) => `${rs.filter((r) => r.read.text === r.truth).length}/${rs.length}`;
console.log(`valid markings: ${exactOf(valid)} exact; by character height: ${bands.map(([name, lo, hi]) => `${name} ${exactOf(valid.filter((r) => r.charHeightPx >= lo && r.charHeightPx <= hi))}`).join(", ")}`);
console.log("confidence ≥   sure and right   sure and wrong   (one-character wrong)");
for (const t of [0.9, 0.95, 0.97, 0.99]) {
  const sure = rows.filter((r) => r.read.text !== null && r.read.confidence >= t);
  const wrong = sure.filter((r) => r.read.text !== r.truth);
  console.log(`${String(t).padEnd(14)} ${String(sure.length - wrong.length).padStart(15)} ${String(wrong.length).padStart(16)}   (${wrong.filter((r) => r.read.glyphs.length === 1).length})`);
}
