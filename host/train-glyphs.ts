// Trains the reader's glyph model and writes it as data: assembly/glyph-model.ts.
//
//   npx tsx host/train-glyphs.ts [--frames 6000] [--epochs 30] [--seed 7]
//
// Training glyphs come from the reader itself: tuning frames are rendered (samples/render.ts,
// seeds disjoint from the committed sample frames, the held-out print font never used), read
// by build/reader.wasm, and the features of every glyph box of every hypothesis are labelled by
// the renderer's true character boxes: the character a box covers when it is read the right way
// up, "?" (not a character) when it covers none (touching pairs, halves, rows read sideways, cap
// texture, empty pockets). So the model learns exactly what the reader's segmentation and
// feature code produce, at every scale, blur, noise and stroke style the renderer makes.
// Random character strings are mixed with real markings so that rare letters get enough samples.
// Deterministic for a given seed; rerun after changing the reader's features or segmentation.

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Glyph, Hypothesis, ReaderSlot } from "../assembly/abi.ts";
import { ReaderCore, decodeImage } from "./reader.ts";
import { renderFrame } from "../samples/render.ts";
import { tuningSpecs } from "../samples/tuning.ts";
import { Rng } from "../samples/rng.ts";

const { values } = parseArgs({
  options: {
    frames: { type: "string", default: "6000" },
    jitter: { type: "string", default: "3" },
    // Logits are divided by this at run time. A net trained to ~99 % on its own data is
    // over-confident; 1.5 was chosen on 400 rendered tuning frames so that no reading with
    // confidence >= 0.9 is wrong (README, "The glyph model").
    temperature: { type: "string", default: "1.5" },
    epochs: { type: "string", default: "30" },
    hidden: { type: "string", default: "64" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: new URL("../assembly/glyph-model.ts", import.meta.url).pathname },
  },
});
const JITTER = Number(values.jitter);
const TEMPERATURE = Number(values.temperature);
const FRAMES = Number(values.frames), EPOCHS = Number(values.epochs), HIDDEN = Number(values.hidden), SEED = Number(values.seed);

/**
 * The classes the model scores: every character a marking of either letter profile uses, and
 * "?" for what segmentation cut out that is not a character (no marking contains it).
 */
const NOT_A_CHARACTER = "?";
const PRINTED = "0123456789ABCDEFGHRSXYZ";
/** Characters that read as a character turned 180° in some print font. */
const SAME_UPSIDE_DOWN = "01689HSXZ";
const CHARS = PRINTED + NOT_A_CHARACTER;
const rng = new Rng(SEED);

// ---- collect glyphs ---------------------------------------------------------------------------

const reader = ReaderCore.load(new URL("../build/reader.wasm", import.meta.url).pathname);
const inputs: Float32Array[] = [];
const labels: number[] = [];
let framesUsed = 0, framesSkipped = 0;
const t0 = performance.now();

function randomText(r: Rng): string {
  const n = r.int(3, 4);
  let s = "";
  for (let i = 0; i < n; i++) s += PRINTED[r.int(0, PRINTED.length - 1)];
  return s + (n === 3 && r.chance(0.2) ? "_" : "");
}

/**
 * A glyph box of the reader (reader pixels) against a true glyph box (image pixels): how much
 * of the true box it covers (recall) and how much of it is the true box (precision).
 */
function overlap(q: number[], scale: number, t: { x: number; y: number; w: number; h: number }): { recall: number; precision: number } {
  const xs = [q[0], q[2], q[4], q[6]].map((v) => v * scale), ys = [q[1], q[3], q[5], q[7]].map((v) => v * scale);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const ix = Math.max(0, Math.min(x1, t.x + t.w) - Math.max(x0, t.x)), iy = Math.max(0, Math.min(y1, t.y + t.h) - Math.max(y0, t.y));
  const inter = ix * iy;
  return { recall: inter / (t.w * t.h), precision: inter / Math.max(1e-9, (x1 - x0) * (y1 - y0)) };
}

/**
 * A box that is a character: most of it, and little else. A box that is not one: a part of a
 * character (half a 0 read as a 0 would split every wide 0), or two of them. In between: no label.
 */
const IS_CHAR = (o: { recall: number; precision: number }) => o.recall >= 0.8 && o.precision >= 0.7;
const IS_NOT_CHAR = (o: { recall: number; precision: number }) => o.recall < 0.6 || o.precision < 0.5;

const garbage: Float32Array[] = [];
const specs = tuningSpecs(FRAMES, 1_000_000 + SEED * 100_000);
for (let i = 0; i < specs.length; i++) {
  const spec = specs[i];
  if (spec.scene === "chip" && spec.text && rng.chance(0.5)) spec.text = randomText(rng);
  const frame = await renderFrame(spec);
  const gray = await decodeImage(frame.data, reader.maxWidth, reader.maxHeight);
  reader.read(gray.gray, gray.width, gray.height);
  const chars = frame.truth.text.replace("_", "");
  const truthBoxes = frame.truth.glyphBoxes;
  const s = reader.slots;
  let used = false;
  // Hypotheses share boxes (the line reading's cells are mostly the component boxes, read the
  // same way): each box and direction teaches once.
  const seenBoxes = new Set<string>();
  // Every hypothesis teaches: boxes on a true character (read the right way up) are that
  // character; boxes on anything else (a pair of touching characters, half of one, a whole
  // row read sideways, cap texture, an empty pocket) are "not a character".
  for (let h = 0; h < s[ReaderSlot.HYPOTHESIS_COUNT]; h++) {
    const base = ReaderSlot.HYPOTHESES + h * Hypothesis.SIZE;
    const n = s[base + Hypothesis.GLYPHS];
    if (n < 1) continue;
    const orientation = s[base + Hypothesis.ORIENTATION];
    const turn = (orientation - frame.truth.orientation + 360) % 360;
    const dx = orientation === 0 ? 1 : orientation === 180 ? -1 : 0, dy = orientation === 90 ? 1 : orientation === 270 ? -1 : 0;
    for (let g = 0; g < n; g++) {
      const q = base + Hypothesis.GLYPH0 + g * Glyph.SIZE + Glyph.QUAD;
      const quad = Array.from(s.subarray(q, q + 8));
      const boxKey = `${orientation}:${quad.join(",")}`;
      if (seenBoxes.has(boxKey)) continue;
      seenBoxes.add(boxKey);
      // The true character the box overlaps most.
      let best = -1, o = { recall: 0, precision: 0 };
      for (let t = 0; t < truthBoxes.length; t++) {
        const v = overlap(quad, gray.scale, truthBoxes[t]);
        if (v.recall * v.precision > o.recall * o.precision) { o = v; best = t; }
      }
      // Upside down, most characters are no character at all (a 3 is not an E), but some are
      // one (0, 8, H, S, X, Z, and a 1 as often as not; 6 is 9): those teach nothing.
      if (turn === 180 && IS_CHAR(o) && SAME_UPSIDE_DOWN.includes(chars[best])) continue;
      // The window the reader scored: centred on the box, its larger side filling it.
      const xs = [quad[0], quad[2], quad[4], quad[6]], ys = [quad[1], quad[3], quad[5], quad[7]];
      const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
      const size = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
      const seen = () => reader.featuresAt(cx, cy, size, dx, dy, s[base + Hypothesis.INK_LEVEL], s[base + Hypothesis.BODY_LEVEL]).slice();
      if (turn === 0 && IS_CHAR(o)) {
        const label = CHARS.indexOf(chars[best]);
        inputs.push(seen());
        labels.push(label);
        used = true;
        // Jittered windows around what segmentation found: robustness to its few-pixel errors.
        for (let j = 0; j < JITTER; j++) {
          const at = reader.featuresAt(cx + rng.range(-0.07, 0.07) * size, cy + rng.range(-0.07, 0.07) * size,
            size * rng.range(0.88, 1.14), dx, dy, s[base + Hypothesis.INK_LEVEL], s[base + Hypothesis.BODY_LEVEL]);
          inputs.push(at.slice());
          labels.push(label);
        }
      } else if ((turn === 180 && IS_CHAR(o)) || (IS_NOT_CHAR(o) && !(turn !== 0 && chars.length === 1 && o.recall > 0.5))) {
        // (A lone character turned 90° may still look like itself: an O, an X.)
        garbage.push(seen());
      }
    }
  }
  if (used) framesUsed++; else framesSkipped++;
  if ((i + 1) % 500 === 0) console.error(`  ${i + 1}/${specs.length} frames, ${inputs.length} glyphs, ${garbage.length} not characters`);
}
// "Not a character" is a fifth of the data at most: enough to learn, not enough to swamp.
const garbageKept = Math.min(garbage.length, Math.floor(inputs.length / 4));
for (let i = garbage.length - 1; i > 0; i--) { const j = rng.int(0, i); [garbage[i], garbage[j]] = [garbage[j], garbage[i]]; }
for (let i = 0; i < garbageKept; i++) { inputs.push(garbage[i]); labels.push(CHARS.indexOf(NOT_A_CHARACTER)); }
const t1 = performance.now();
console.log(`${inputs.length} glyphs (${garbageKept} of ${garbage.length} not characters) from ${framesUsed} frames (${framesSkipped} with no character found) in ${((t1 - t0) / 1000).toFixed(1)} s`);

// ---- train: 256 → HIDDEN (ReLU) → classes, softmax cross-entropy, Adam ---------------------

const IN = inputs[0].length, C = CHARS.length;
const order = inputs.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) { const j = rng.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
const validation = order.slice(0, Math.floor(order.length / 10));
const training = order.slice(validation.length);

const w1 = new Float32Array(HIDDEN * IN), b1 = new Float32Array(HIDDEN);
const w2 = new Float32Array(C * HIDDEN), b2 = new Float32Array(C);
for (let i = 0; i < w1.length; i++) w1[i] = (rng.next() * 2 - 1) * Math.sqrt(6 / (IN + HIDDEN));
for (let i = 0; i < w2.length; i++) w2[i] = (rng.next() * 2 - 1) * Math.sqrt(6 / (HIDDEN + C));
const params = [w1, b1, w2, b2];
const grads = params.map((p) => new Float32Array(p.length));
const m1 = params.map((p) => new Float32Array(p.length)), m2 = params.map((p) => new Float32Array(p.length));
const hidden = new Float32Array(HIDDEN), out = new Float32Array(C), dHidden = new Float32Array(HIDDEN);

function forward(x: Float32Array): void {
  for (let k = 0; k < HIDDEN; k++) {
    let s = b1[k];
    const row = k * IN;
    for (let i = 0; i < IN; i++) s += w1[row + i] * x[i];
    hidden[k] = s > 0 ? s : 0;
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    let s = b2[c];
    const row = c * HIDDEN;
    for (let k = 0; k < HIDDEN; k++) s += w2[row + k] * hidden[k];
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) { out[c] = Math.exp(out[c] - max); sum += out[c]; }
  for (let c = 0; c < C; c++) out[c] /= sum;      // probabilities
}

function accuracy(set: number[]): number {
  let right = 0;
  for (const i of set) {
    forward(inputs[i]);
    let best = 0;
    for (let c = 1; c < C; c++) if (out[c] > out[best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / set.length;
}

const BATCH = 64, LR = 2e-3, DECAY = 1e-5;
let step = 0;
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  for (let i = training.length - 1; i > 0; i--) { const j = rng.int(0, i); [training[i], training[j]] = [training[j], training[i]]; }
  let loss = 0;
  for (let start = 0; start < training.length; start += BATCH) {
    for (const g of grads) g.fill(0);
    const end = Math.min(start + BATCH, training.length);
    for (let b = start; b < end; b++) {
      const x = inputs[training[b]], y = labels[training[b]];
      forward(x);
      loss -= Math.log(out[y] + 1e-9);
      dHidden.fill(0);
      for (let c = 0; c < C; c++) {
        const d = out[c] - (c === y ? 1 : 0);
        grads[3][c] += d;
        const row = c * HIDDEN;
        for (let k = 0; k < HIDDEN; k++) { grads[2][row + k] += d * hidden[k]; dHidden[k] += d * w2[row + k]; }
      }
      for (let k = 0; k < HIDDEN; k++) {
        if (hidden[k] <= 0) continue;
        const d = dHidden[k];
        grads[1][k] += d;
        const row = k * IN;
        for (let i = 0; i < IN; i++) grads[0][row + i] += d * x[i];
      }
    }
    // Adam
    step++;
    const n = end - start, lr = LR * Math.min(1, 0.5 + 0.5 * Math.cos((Math.PI * epoch) / EPOCHS)) ;
    const c1 = 1 - 0.9 ** step, c2 = 1 - 0.999 ** step;
    for (let p = 0; p < params.length; p++) {
      const P = params[p], G = grads[p], M = m1[p], V = m2[p];
      for (let i = 0; i < P.length; i++) {
        const g = G[i] / n + DECAY * P[i];
        M[i] = 0.9 * M[i] + 0.1 * g;
        V[i] = 0.999 * V[i] + 0.001 * g * g;
        P[i] -= (lr * (M[i] / c1)) / (Math.sqrt(V[i] / c2) + 1e-8);
      }
    }
  }
  if (epoch % 5 === 4 || epoch === EPOCHS - 1) {
    console.log(`epoch ${epoch + 1}: loss ${(loss / training.length).toFixed(4)}, validation accuracy ${(100 * accuracy(validation)).toFixed(2)} %`);
  }
}
const valAccuracy = accuracy(validation);
const trainAccuracy = accuracy(training);

// ---- write the model as AssemblyScript data -------------------------------------------------

const f = (a: Float32Array) => Array.from(a, (v) => (Math.abs(v) < 1e-7 ? "0" : Number(v.toPrecision(6)).toString())).join(",");
const perClass = CHARS.split("").map((ch, c) => `${ch}:${labels.filter((l) => l === c).length}`).join(" ");
writeFileSync(values.out!, `// GENERATED by host/train-glyphs.ts (--frames ${FRAMES} --epochs ${EPOCHS} --hidden ${HIDDEN} --seed ${SEED} --jitter ${JITTER} --temperature ${TEMPERATURE}); do not edit.
// ${inputs.length} glyphs from ${framesUsed} tuning frames; accuracy per glyph: training ${(100 * trainAccuracy).toFixed(2)} %, validation ${(100 * valAccuracy).toFixed(2)} %.
// Samples per class: ${perClass}
// A ${IN} → ${HIDDEN} (ReLU) → ${C} perceptron over the reader's 16 × 16 glyph features.

export const MODEL_INPUT = ${IN};
export const MODEL_MEMBERS = 1;
export const MODEL_HIDDEN = ${HIDDEN};
export const MODEL_CLASSES = ${C};
// The reader divides the logits by this before the softmax (calibration).
export const MODEL_TEMPERATURE: f32 = ${TEMPERATURE};
// The character each output stands for.
export const MODEL_CHARS = memory.data<u8>([${[...CHARS].map((c) => c.charCodeAt(0)).join(",")}]);
export const MODEL_W1 = memory.data<f32>([${f(w1)}], 16);
export const MODEL_B1 = memory.data<f32>([${f(b1)}], 16);
export const MODEL_W2 = memory.data<f32>([${f(w2)}], 16);
export const MODEL_B2 = memory.data<f32>([${f(b2)}], 16);
`);
console.log(`wrote ${values.out} (validation accuracy ${(100 * valAccuracy).toFixed(2)} %); now run npm run build`);
