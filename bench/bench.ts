// `npm run bench`: what chipmark costs, measured side by side in one run. Writes bench/results.json.
//   1. marking decode throughput of the WASM core, single call versus batch, on one realistic mix;
//   2. the reader: ms per frame on the sample frames at their size and scaled to 320 × 240, and
//      the share of frames read exactly.
//   npm run bench -- --quick     fewer rounds (a smoke run)

import { statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { readFileSync, readdirSync } from "node:fs";
import sharp from "sharp";
import { decodeMarkings, markingCore, readFrame, RELEASE_WASM } from "../host/index.ts";
import { readerCore, decodeImage, READER_WASM } from "../host/reader.ts";
import { Status } from "../assembly/abi.ts";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 15;
const E24 = [10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91];

/** The mix a line sees: mostly 3-digit and EIA-96, some 4-digit, R-notation, underlined, misreads. */
function mix(n: number): string[] {
  let seed = 12345;
  const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % k; };
  const out: string[] = [];
  while (out.length < n) {
    const kind = rnd(100);
    const two = E24[rnd(24)];
    if (kind < 35) out.push(`${two}${rnd(7)}`);                                  // 103
    else if (kind < 60) out.push(`${String(1 + rnd(96)).padStart(2, "0")}${"ZYXABCDEF"[rnd(9)]}`); // 01A
    else if (kind < 75) out.push(`${two}${rnd(10)}${rnd(6)}`);                   // 1002
    else if (kind < 83) out.push(`${String(two)[0]}R${String(two)[1]}`);         // 4R7
    else if (kind < 88) out.push(`${two}${rnd(10)}`.replace(/^(\d\d)(\d)$/, "$1R$2")); // 43R2
    else if (kind < 95) out.push(`${two}${rnd(6)}_`);                            // 121_
    else out.push(["97X", "01Q", "4RR7", "", "1O3", "0"][rnd(6)]);               // misreads
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** ns per marking: the median over rounds of one pass over the whole mix. */
function measure(markings: string[], pass: () => number): { ns: number; check: number } {
  let check = pass();                     // warm-up, and the checksum every round must repeat
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const c = pass();
    times.push(performance.now() - t0);
    if (c !== check) throw new Error(`round ${r} decoded differently (${c} vs ${check})`);
  }
  return { ns: (median(times) * 1e6) / markings.length, check };
}

const markings = mix(100_000);
const core = markingCore();

// Single: one decode() call per marking, including writing the text into the input area.
const single = measure(markings, () => {
  let ok = 0;
  for (const m of markings) if (core.decode(m, 0) === Status.OK) ok++;
  return ok;
});
// Batch: decodeMarkings, 1024 markings per WASM call, results in typed arrays.
const batch = measure(markings, () => {
  const r = decodeMarkings(markings);
  let ok = 0;
  for (let i = 0; i < r.info.length; i++) if ((r.info[i] & 0xff) === Status.OK) ok++;
  return ok;
});
// Core only: the time inside decodeBatch, with each chunk's text already in linear memory.
const coreOnly = (() => {
  const chunks: number[][] = [];
  for (let from = 0; from < markings.length; from += core.batchCapacity) chunks.push([from, Math.min(core.batchCapacity, markings.length - from)]);
  const times: number[] = [];
  let check = -1;
  for (let r = 0; r <= ROUNDS; r++) {
    let t = 0, ok = 0;
    for (const [from, count] of chunks) {
      const len = core.putBatch(markings, from, count);
      const t0 = performance.now();
      const n = core.exports.decodeBatch(len, 0);
      t += performance.now() - t0;
      for (let i = 0; i < n; i++) if ((core.batchInfo[i] & 0xff) === Status.OK) ok++;
    }
    if (r > 0) times.push(t);                // round 0 warms up
    if (check >= 0 && ok !== check) throw new Error("core-only rounds disagree");
    check = ok;
  }
  return { ns: (median(times) * 1e6) / markings.length, check };
})();
if (single.check !== batch.check || coreOnly.check !== batch.check) throw new Error(`single and batch disagree: ${single.check} vs ${batch.check}`);

// ---- the reader -------------------------------------------------------------------------------

const framesDir = new URL("../samples/frames/", import.meta.url);
const index = JSON.parse(readFileSync(new URL("index.json", framesDir), "utf8")) as { file: string; expectedRead: string }[];
const sampleFrames = quick ? index.slice(0, 100) : index;
const reader = readerCore();
const native: { gray: Uint8Array; width: number; height: number }[] = [];
const scaled: Uint8Array[] = [];
for (const entry of sampleFrames) {
  const bytes = readFileSync(new URL(entry.file, framesDir));
  native.push(await decodeImage(bytes, reader.maxWidth, reader.maxHeight));
  const { data } = await sharp(bytes).removeAlpha().grayscale().resize(320, 240, { fit: "fill" }).raw().toBuffer({ resolveWithObject: true });
  scaled.push(new Uint8Array(data.buffer, data.byteOffset, data.length));
}
function frameTimes(run: (i: number) => void, count: number): { median: number; p99: number } {
  for (let i = 0; i < count; i++) run(i);          // warm-up
  const times: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    for (let i = 0; i < count; i++) { const t0 = performance.now(); run(i); times.push(performance.now() - t0); }
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], p99: times[Math.floor(times.length * 0.99)] };
}
const atNative = frameTimes((i) => reader.read(native[i].gray, native[i].width, native[i].height), native.length);
const at320 = frameTimes((i) => reader.read(scaled[i], 320, 240), scaled.length);
let exact = 0;
for (const entry of sampleFrames) {
  const r = await readFrame(readFileSync(new URL(entry.file, framesDir)));
  if (r.ok && (r.text ?? "") === entry.expectedRead) exact++;
}
const meanPixels = native.reduce((a, f) => a + f.width * f.height, 0) / native.length;
console.log(`\nreader, ${sampleFrames.length} sample frames (mean ${Math.round(meanPixels)} px), reader.wasm only (no image decode)`);
console.log(`${"frame size".padEnd(26)} ${"median ms".padStart(10)} ${"p99 ms".padStart(8)}`);
console.log(`${"as committed".padEnd(26)} ${atNative.median.toFixed(3).padStart(10)} ${atNative.p99.toFixed(3).padStart(8)}`);
console.log(`${"scaled to 320 × 240".padEnd(26)} ${at320.median.toFixed(3).padStart(10)} ${at320.p99.toFixed(3).padStart(8)}   (goal ≤ 1 ms)`);
console.log(`exact reads: ${exact}/${sampleFrames.length} (${((100 * exact) / sampleFrames.length).toFixed(1)} %)`);

const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Node ${process.version}`;
const rows = [
  ["path", "ns / marking", "× batch"],
  ["WASM single call", single.ns.toFixed(1), (single.ns / batch.ns).toFixed(2)],
  ["WASM batch (1024 / call)", batch.ns.toFixed(1), "1.00"],
  ["  of which inside WASM", coreOnly.ns.toFixed(1), (coreOnly.ns / batch.ns).toFixed(2)],
];
console.log(`marking decode, ${markings.length} markings (${single.check} valid), median of ${ROUNDS} rounds`);
console.log(machine);
for (const r of rows) console.log(`${r[0].padEnd(26)} ${r[1].padStart(13)} ${r[2].padStart(9)}`);

const results = {
  machine,
  markings: markings.length,
  rounds: ROUNDS,
  decode: {
    wasmSingleNsPerMarking: +single.ns.toFixed(2),
    wasmBatchNsPerMarking: +batch.ns.toFixed(2),
    wasmBatchCoreOnlyNsPerMarking: +coreOnly.ns.toFixed(2),
  },
  reader: {
    frames: sampleFrames.length,
    msPerFrameMedian: +atNative.median.toFixed(4),
    msPerFrameP99: +atNative.p99.toFixed(4),
    msPerFrame320x240Median: +at320.median.toFixed(4),
    msPerFrame320x240P99: +at320.p99.toFixed(4),
    accuracy: +(exact / sampleFrames.length).toFixed(4),
  },
  size: { markingWasmBytes: statSync(RELEASE_WASM).size, readerWasmBytes: statSync(READER_WASM).size },
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("wrote bench/results.json");
