// `npm run bench:reader -- <other reader.wasm> [rounds]`: this build's reader against another
// build of it, side by side in one process. The machine's speed swings by more than most
// changes to the reader cost (0.95 to 1.11 ms for the same build minutes apart), so two
// builds are only compared in turn, round after round, on the same frames: the 560 sample
// frames squeezed to 320 × 240, as the main bench reads them. Every result slot must come out
// the same unless the change means to change results; the frames that differ are counted.
// Build the other one from an older checkout (git worktree add ../old <rev> && cd ../old &&
// npm ci && npm run build), then pass its build/reader.wasm.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { READER_WASM, ReaderCore } from "../host/reader.ts";

const [otherPath, roundsArg] = process.argv.slice(2).filter((a) => a !== "--");
if (!otherPath) {
  console.error("usage: npm run bench:reader -- <other reader.wasm> [rounds, default 8]");
  process.exit(2);
}
const rounds = Math.max(1, Number(roundsArg ?? 8) || 8);
const current = new ReaderCore(readFileSync(READER_WASM));
let other: ReaderCore;
try {
  other = new ReaderCore(readFileSync(otherPath));
  if (other.slots.length !== current.slots.length) throw new Error("its result area differs from this build's");
} catch (e) {
  console.error(`cannot load ${JSON.stringify(otherPath)} as a reader module: ${(e as Error).message}`);
  process.exit(2);
}

const framesDir = new URL("../samples/frames/", import.meta.url);
const index = JSON.parse(readFileSync(new URL("index.json", framesDir), "utf8")) as { file: string }[];
const frames: Uint8Array[] = [];
for (const e of index) {
  const { data } = await sharp(readFileSync(new URL(e.file, framesDir))).removeAlpha().grayscale().resize(320, 240, { fit: "fill" }).raw().toBuffer({ resolveWithObject: true });
  frames.push(new Uint8Array(data.buffer, data.byteOffset, data.length));
}

let differ = 0;
for (const f of frames) {
  current.read(f, 320, 240);
  other.read(f, 320, 240);
  if (current.slots.some((v, i) => !Object.is(v, other.slots[i]))) differ++;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function roundMedian(reader: ReaderCore): number {
  const times: number[] = [];
  for (const f of frames) {
    const t0 = performance.now();
    reader.read(f, 320, 240);
    times.push(performance.now() - t0);
  }
  return median(times);
}

console.log(`reader A/B — ${frames.length} sample frames at 320 × 240, ${rounds} rounds in turn (the order swapped each round)`);
console.log(`A: this build (${READER_WASM})\nB: ${otherPath}`);
console.log(`frames whose result slots differ: ${differ} of ${frames.length}`);
const a: number[] = [], b: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) { a.push(roundMedian(current)); b.push(roundMedian(other)); }
  else { b.push(roundMedian(other)); a.push(roundMedian(current)); }
  console.log(`round ${r + 1}: A ${a[r].toFixed(3)} ms, B ${b[r].toFixed(3)} ms`);
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const wins = a.filter((x, i) => x < b[i]).length;
console.log(`mean of the rounds' medians: A ${mean(a).toFixed(3)} ms, B ${mean(b).toFixed(3)} ms; A/B ${(mean(a) / mean(b)).toFixed(3)}; A faster in ${wins} of ${rounds} rounds`);
