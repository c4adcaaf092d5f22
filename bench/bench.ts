// `npm run bench`: what chipmark costs against the alternatives, side by side in one run.
// Prints tables with ratios and writes bench/results.json.
//   1. marking decode, ns per marking on one mix: WASM single call, WASM batch, the same .wasm
//      through wasm2c + gcc -O2 (native reference), and an idiomatic JS decoder;
//   2. frame reading on the sample frames: chipmark's reader versus tesseract.js;
//   3. zero allocation under load; 4. module sizes and cold start; 5. checkFrame end to end.
//   npm run bench -- --quick     under a minute (smaller mix, fewer frames and rounds)

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import { Status, Slot } from "../assembly/abi.ts";
import { checkFrame, decodeMarkings, markingCore, MarkingCore, RELEASE_WASM } from "../host/index.ts";
import { readGrayFrame } from "../host/frames.ts";
import { decodeImage, READER_WASM, ReaderCore, readerCore } from "../host/reader.ts";
import { decodeJs } from "./js-decoder.ts";
import { benchNative } from "./native.ts";
import { benchTesseract } from "./tesseract.ts";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 15;
const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, Node ${process.version}`;
const E24 = [10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
const fixed = (x: number, d = 2) => +x.toFixed(d);
function table(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
}
const verdictOf = (ok: boolean) => (ok ? "met" : "NOT met");

// ---- 1. marking decode ------------------------------------------------------------------------

/** The mix a line sees: mostly 3-digit and EIA-96, some 4-digit, R-notation, underlined, misreads. */
function mix(n: number): string[] {
  let seed = 12345;
  const rnd = (k: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % k; };
  const out: string[] = [];
  while (out.length < n) {
    const kind = rnd(100);
    const two = E24[rnd(24)];
    if (kind < 35) out.push(`${two}${rnd(7)}`);                                               // 103
    else if (kind < 60) out.push(`${String(1 + rnd(96)).padStart(2, "0")}${"ZYXABCDEF"[rnd(9)]}`); // 01A
    else if (kind < 75) out.push(`${two}${rnd(10)}${rnd(6)}`);                                // 1002
    else if (kind < 83) out.push(`${String(two)[0]}R${String(two)[1]}`);                      // 4R7
    else if (kind < 88) out.push(`${two}${rnd(10)}`.replace(/^(\d\d)(\d)$/, "$1R$2"));        // 43R2
    else if (kind < 95) out.push(`${two}${rnd(6)}_`);                                         // 121_
    else out.push(["97X", "01Q", "4RR7", "", "1O3", "0"][rnd(6)]);                            // misreads
  }
  return out;
}

/** ns per marking: the median over rounds of one pass over the whole mix; every round must agree. */
function measure(count: number, pass: () => number): { ns: number; check: number } {
  const check = pass();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const c = pass();
    times.push(performance.now() - t0);
    if (c !== check) throw new Error(`round ${r} decoded differently (${c} vs ${check})`);
  }
  return { ns: (median(times) * 1e6) / count, check };
}

const markings = mix(quick ? 100_000 : 200_000);
const core = markingCore();
const single = measure(markings.length, () => {
  let ok = 0;
  for (const m of markings) if (core.decode(m, 0) === Status.OK) ok++;
  return ok;
});
const batch = measure(markings.length, () => {
  const r = decodeMarkings(markings);
  let ok = 0;
  for (let i = 0; i < r.info.length; i++) if ((r.info[i] & 0xff) === Status.OK) ok++;
  return ok;
});
const js = measure(markings.length, () => {
  let ok = 0;
  for (const m of markings) if (!Number.isNaN(decodeJs(m))) ok++;
  return ok;
});
const native = benchNative(markings, ROUNDS);
if (single.check !== batch.check) throw new Error(`single and batch disagree: ${single.check} vs ${batch.check}`);
if ("nsPerMarking" in native && native.valid !== batch.check) throw new Error(`native and WASM disagree: ${native.valid} vs ${batch.check}`);
// Where the JS decoder disagrees with chipmark (value or validity): what "idiomatic" costs.
let jsDisagree = 0;
{
  const r = decodeMarkings(markings);
  markings.forEach((m, i) => {
    const ours = (r.info[i] & 0xff) === Status.OK && !((r.info[i] >> 13) & 1) ? r.ohms[i] : NaN;
    const theirs = decodeJs(m);
    if (!(Object.is(ours, theirs) || Math.abs(ours - theirs) <= 1e-9 * Math.abs(ours))) jsDisagree++;
  });
}
const nativeNs = "nsPerMarking" in native ? native.nsPerMarking : NaN;
const ratio = (ns: number) => (Number.isNaN(nativeNs) ? "-" : `${(ns / nativeNs).toFixed(2)}×`);
console.log(`chipmark bench${quick ? " (quick)" : ""} — ${machine}\n`);
console.log(`1. marking decode: ${markings.length} markings (${batch.check} valid), median of ${ROUNDS} rounds`);
table([
  ["path", "ns / marking", "vs native"],
  ["native: wasm2c + gcc -O2, batch", Number.isNaN(nativeNs) ? `skipped: ${(native as { skipped: string }).skipped}` : nativeNs.toFixed(1), Number.isNaN(nativeNs) ? "-" : "1.00×"],
  ["WASM batch (1024 / call)", batch.ns.toFixed(1), ratio(batch.ns)],
  ["WASM single call", single.ns.toFixed(1), ratio(single.ns)],
  ["idiomatic JS (regex, parseFloat)", js.ns.toFixed(1), ratio(js.ns)],
]);
console.log(`   the JS decoder answers differently from chipmark on ${jsDisagree} of ${markings.length} markings (${((100 * jsDisagree) / markings.length).toFixed(1)} %)`);
console.log(`   goal: WASM batch within 3× of native: ${Number.isNaN(nativeNs) ? "not measured" : verdictOf(batch.ns <= 3 * nativeNs)}; at least 3× faster than JS: ${verdictOf(js.ns >= 3 * batch.ns)} (${(js.ns / batch.ns).toFixed(2)}×)\n`);

// ---- 2. frame reading -------------------------------------------------------------------------

interface Entry { file: string; expectedRead: string }
const framesDir = new URL("../samples/frames/", import.meta.url);
const index = JSON.parse(readFileSync(new URL("index.json", framesDir), "utf8")) as Entry[];
const sample = quick ? index.slice(0, 60) : index;
const reader = readerCore();
const frames = [];
for (const e of sample) frames.push({ entry: e, bytes: readFileSync(new URL(e.file, framesDir)) });
const decoded = await Promise.all(frames.map((f) => decodeImage(f.bytes, reader.maxWidth, reader.maxHeight)));
const scaled: Uint8Array[] = [];
for (const f of frames) {
  const { data } = await sharp(f.bytes).removeAlpha().grayscale().resize(320, 240, { fit: "fill" }).raw().toBuffer({ resolveWithObject: true });
  scaled.push(new Uint8Array(data.buffer, data.byteOffset, data.length));
}
function frameTimes(run: (i: number) => void, count: number): number[] {
  for (let i = 0; i < count; i++) run(i);            // warm-up
  const times: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    for (let i = 0; i < count; i++) { const t0 = performance.now(); run(i); times.push(performance.now() - t0); }
  }
  return times;
}
const atSize = frameTimes((i) => reader.read(decoded[i].gray, decoded[i].width, decoded[i].height), decoded.length);
const at320 = frameTimes((i) => reader.read(scaled[i], 320, 240), scaled.length);
// The same read with every glyph model member (what each read of the second look costs).
reader.exports.setModelMembers(0);
const at320All = frameTimes((i) => reader.read(scaled[i], 320, 240), scaled.length);
reader.exports.setModelMembers(1);
// What readFrame does after decoding: the read, the hypotheses through the marking core, the
// choice, and for an unsure reading the second look (three more reads, every model member),
// and for one still unsure the sharpened read, then for small print the enlarged one.
const grey320 = scaled.map((gray) => ({ gray, width: 320, height: 240, scale: 1, sourceWidth: 320, sourceHeight: 240 }));
const looked = new Set<number>(), sharpened = new Set<number>(), enlarged = new Set<number>(), cut = new Set<number>();   // counted on the timed runs
const at320Full = frameTimes((i) => {
  const r = readGrayFrame(grey320[i]);
  if (!r.ok) return;
  const whole = r.timing.reads - r.timing.cutReads;   // reads of the whole frame
  if (whole > 1) looked.add(i);
  if (whole > 4) sharpened.add(i);
  if (whole > 5) enlarged.add(i);
  if (r.timing.cutReads > 0) cut.add(i);
}, scaled.length);
const at320One = frameTimes((i) => readGrayFrame(grey320[i], { secondLook: false }), scaled.length);
// Accuracy and end-to-end latency through checkFrame (part number from index.json).
const parts = JSON.parse(readFileSync(new URL("index.json", framesDir), "utf8")) as { file: string; part: string }[];
const partOf = new Map(parts.map((p) => [p.file, p.part]));
let exact = 0;
const e2e: number[] = [], decodeMs: number[] = [], readerMs: number[] = [], coreMs: number[] = [];
for (const f of frames) {
  const t0 = performance.now();
  const c = await checkFrame(partOf.get(f.entry.file)!, f.bytes);
  e2e.push(performance.now() - t0);
  if (!c.ok) continue;
  if ((c.text ?? "") === f.entry.expectedRead) exact++;
  decodeMs.push(c.frame.timing.decodeMs); readerMs.push(c.frame.timing.readerMs); coreMs.push(c.frame.timing.coreMs);
}
const readerAccuracy = exact / frames.length;
const meanPixels = decoded.reduce((a, f) => a + f.width * f.height, 0) / decoded.length;
console.log(`2. frame reading: ${frames.length} sample frames (mean ${Math.round(meanPixels)} px); exact = the text read equals the printed marking`);
// tesseract.js gets the ground truth it has no detector for: the chip body's box (as specified),
// and as its best case the printed text's box; both upright. chipmark finds all that itself.
const tess = await benchTesseract(sample as never, new URL(".", framesDir).pathname, { quick, crop: "body" });
const tessText = await benchTesseract(sample as never, new URL(".", framesDir).pathname, { quick, crop: "text" });
table([
  ["reader", "median ms", "p99 ms", "exact", "vs chipmark"],
  ["chipmark reader.wasm, frames as they are", median(atSize).toFixed(3), p99(atSize).toFixed(3), `${(100 * readerAccuracy).toFixed(1)} %`, "1.00×"],
  ["chipmark reader.wasm, scaled to 320 × 240", median(at320).toFixed(3), p99(at320).toFixed(3), "", `${(median(at320) / median(atSize)).toFixed(2)}×`],
  ["chipmark reader.wasm, every model member, 320 × 240", median(at320All).toFixed(3), p99(at320All).toFixed(3), "", `${(median(at320All) / median(atSize)).toFixed(2)}×`],
  ["chipmark read + choice + second look, 320 × 240", median(at320Full).toFixed(3), p99(at320Full).toFixed(3), "", `${(median(at320Full) / median(atSize)).toFixed(2)}×`],
  ["chipmark read + choice, secondLook: false", median(at320One).toFixed(3), p99(at320One).toFixed(3), "", `${(median(at320One) / median(atSize)).toFixed(2)}×`],
  ["tesseract.js, body crop given", tess.msPerFrameMedian.toFixed(3), tess.msPerFrameP99.toFixed(3), `${(100 * tess.accuracy).toFixed(1)} %`, `${(tess.msPerFrameMedian / median(atSize)).toFixed(1)}×`],
  ["tesseract.js, text crop given (best case)", tessText.msPerFrameMedian.toFixed(3), tessText.msPerFrameP99.toFixed(3), `${(100 * tessText.accuracy).toFixed(1)} %`, `${(tessText.msPerFrameMedian / median(atSize)).toFixed(1)}×`],
]);
console.log(`   tesseract.js: ${tess.note}; setup ${tess.setupMs.toFixed(0)} ms`);
const looks = looked.size;
console.log(`   read + choice + second look: ${looks} of ${scaled.length} frames at 320 × 240 (${((100 * looks) / scaled.length).toFixed(0)} %) get the second look (no reading or confidence under 0.9), ${sharpened.size} of them also the sharpened read, ${enlarged.size} the enlarged one; ${cut.size} read nothing and are read again cut to the chip; mean ${(at320Full.reduce((a, b) => a + b, 0) / at320Full.length).toFixed(3)} ms`);
console.log(`   goal: reader ≤ 1 ms per 320 × 240 frame: ${verdictOf(median(at320) <= 1)}; ≥ 20× faster than tesseract.js: ${verdictOf(tess.msPerFrameMedian >= 20 * median(atSize))} (${(tess.msPerFrameMedian / median(atSize)).toFixed(1)}×); more accurate: ${verdictOf(readerAccuracy > tess.accuracy)} (and than its best case: ${verdictOf(readerAccuracy > tessText.accuracy)})\n`);

// ---- 3. zero allocation under load ------------------------------------------------------------

/** Bytes of linear memory, and bytes changed outside the module's I/O areas, after `work`. */
function allocation(memory: WebAssembly.Memory, areas: [number, number][], work: () => void): { grownBytes: number; changedBytes: number } {
  const size = memory.buffer.byteLength;
  const outside = new Uint8Array(size);
  for (const [at, len] of areas) outside.fill(1, at, at + len);
  const before = new Uint8Array(memory.buffer).slice();
  work();
  const after = new Uint8Array(memory.buffer);
  let changed = 0;
  for (let i = 0; i < size; i++) if (!outside[i] && after[i] !== before[i]) changed++;
  return { grownBytes: memory.buffer.byteLength - size, changedBytes: changed };
}
const DECODES = quick ? 1_000_000 : 10_000_000;
const FRAMES = quick ? 1_000 : 10_000;
const fresh = new MarkingCore(readFileSync(RELEASE_WASM));
const x = fresh.exports;
const markingAreas: [number, number][] = [
  [x.markingInput(), fresh.inputCapacity], [x.partInput(), fresh.inputCapacity], [x.results(), Slot.COUNT * 8],
  [x.expectedText(), 8], [x.batchInput(), fresh.batchInputCapacity], [x.batchOhms(), fresh.batchCapacity * 8],
  [x.batchAltOhms(), fresh.batchCapacity * 8], [x.batchInfo(), fresh.batchCapacity * 4],
  [x.candidates(), 256], [x.readingText(), 24],
];
const afterDecodes = allocation(x.memory, markingAreas, () => {
  for (let i = 0; i < DECODES; i++) fresh.decode(markings[i % markings.length], 0);
});
const freshReader = new ReaderCore(readFileSync(READER_WASM));
const afterFrames = allocation(freshReader.exports.memory, [], () => {
  for (let i = 0; i < FRAMES; i++) freshReader.read(decoded[i % decoded.length].gray, decoded[i % decoded.length].width, decoded[i % decoded.length].height);
});
console.log(`3. zero allocation: memory grown after ${DECODES} decodes: ${afterDecodes.grownBytes} B, bytes changed outside the I/O areas: ${afterDecodes.changedBytes}; memory grown after ${FRAMES} frames: ${afterFrames.grownBytes} B`);
console.log(`   (neither module contains an allocator or memory.grow; the reader's work areas are static, so only its size is compared)\n`);

// ---- 4. sizes and cold start ------------------------------------------------------------------

function coldStart(path: string): number {
  const bytes = readFileSync(path);
  const times: number[] = [];
  for (let i = 0; i < (quick ? 5 : 20); i++) {
    const t0 = performance.now();
    new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    times.push(performance.now() - t0);
  }
  return median(times);
}
const sizes = [["marking.wasm", RELEASE_WASM], ["reader.wasm", READER_WASM]].map(([name, path]) => {
  const bytes = readFileSync(path);
  return { name, bytes: statSync(path).size, gzip: gzipSync(bytes, { level: 9 }).length, coldMs: coldStart(path) };
});
console.log("4. modules");
table([["module", "bytes", "gzip bytes", "compile + instantiate ms"], ...sizes.map((s) => [s.name, String(s.bytes), String(s.gzip), s.coldMs.toFixed(3)])]);
console.log("");

// ---- 5. checkFrame end to end -----------------------------------------------------------------

console.log(`5. checkFrame, encoded image → verdict, ${frames.length} frames (median ms)`);
table([
  ["stage", "median ms", "p99 ms"],
  ["image decode (sharp)", median(decodeMs).toFixed(3), p99(decodeMs).toFixed(3)],
  ["reader.wasm", median(readerMs).toFixed(3), p99(readerMs).toFixed(3)],
  ["marking core (best reading per hypothesis, choice)", median(coreMs).toFixed(3), p99(coreMs).toFixed(3)],
  ["end to end (checkFrame)", median(e2e).toFixed(3), p99(e2e).toFixed(3)],
]);

const results = {
  machine, quick,
  decode: {
    markings: markings.length,
    wasmSingleNsPerMarking: fixed(single.ns), wasmBatchNsPerMarking: fixed(batch.ns),
    nativeNsPerMarking: Number.isNaN(nativeNs) ? null : fixed(nativeNs), jsNsPerMarking: fixed(js.ns),
    jsDisagreements: jsDisagree,
    batchVsNative: Number.isNaN(nativeNs) ? null : fixed(batch.ns / nativeNs, 3),
    jsVsBatch: fixed(js.ns / batch.ns, 3),
  },
  reader: {
    frames: frames.length, msPerFrameMedian: fixed(median(atSize), 4), msPerFrameP99: fixed(p99(atSize), 4),
    msPerFrame320x240Median: fixed(median(at320), 4), msPerFrame320x240P99: fixed(p99(at320), 4),
    msPerFrame320x240WithChoiceMedian: fixed(median(at320Full), 4), msPerFrame320x240OneLookMedian: fixed(median(at320One), 4), msPerFrame320x240WithChoiceMean: fixed(at320Full.reduce((a, b) => a + b, 0) / at320Full.length, 4),
    accuracy: fixed(readerAccuracy, 4),
  },
  tesseract: {
    frames: tess.frames, msPerFrameMedian: fixed(tess.msPerFrameMedian, 3), msPerFrameP99: fixed(tess.msPerFrameP99, 3),
    accuracy: fixed(tess.accuracy, 4), setupMs: fixed(tess.setupMs, 1), note: tess.note,
    textCrop: { msPerFrameMedian: fixed(tessText.msPerFrameMedian, 3), accuracy: fixed(tessText.accuracy, 4), note: tessText.note },
  },
  alloc: { decodes: DECODES, bytesAfterDecodes: afterDecodes.grownBytes, changedBytesAfterDecodes: afterDecodes.changedBytes, frames: FRAMES, bytesAfterFrames: afterFrames.grownBytes },
  size: {
    markingWasmBytes: sizes[0].bytes, markingWasmGzipBytes: sizes[0].gzip, readerWasmBytes: sizes[1].bytes, readerWasmGzipBytes: sizes[1].gzip,
    markingColdStartMs: fixed(sizes[0].coldMs, 3), readerColdStartMs: fixed(sizes[1].coldMs, 3),
  },
  checkFrame: { decodeMs: fixed(median(decodeMs), 3), readerMs: fixed(median(readerMs), 3), coreMs: fixed(median(coreMs), 3), endToEndMs: fixed(median(e2e), 3), endToEndP99Ms: fixed(p99(e2e), 3) },
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwrote bench/results.json");
