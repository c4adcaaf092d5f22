// The release module is what a feeder controller runs: no imports, no start function, a fixed
// memory that never grows, WASM 1.0 only, at most 8 KiB, and no allocation at run time.

import { readFileSync } from "node:fs";
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { DEBUG_WASM, MarkingCore, RELEASE_WASM } from "../host/index.ts";
import { READER_WASM, ReaderCore } from "../host/reader.ts";
import { ReaderSlot, Slot, Status } from "../assembly/abi.ts";

const release = readFileSync(RELEASE_WASM);

/** Section ids of a WASM binary, read straight from its bytes (spec 5.5.2). */
function sections(bytes: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let p = 8;                                   // magic + version
  const leb = () => { let v = 0, shift = 0, b; do { b = bytes[p++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v >>> 0; };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    out.set(id, bytes.subarray(p, p + size));
    p += size;
  }
  return out;
}
const SECTION = { IMPORT: 2, MEMORY: 5, START: 8 } as const;

/** What a feeder's embedded runtime needs of any module: no imports, no start function. */
function expectSelfContained(bytes: Uint8Array<ArrayBuffer>): void {
  expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([]);
  const s = sections(bytes);
  expect(s.has(SECTION.IMPORT)).toBe(false);
  expect(s.has(SECTION.START)).toBe(false);
}

describe("release module", () => {
  const mod = new WebAssembly.Module(release);

  it("imports nothing and has no start function", () => {
    expectSelfContained(release);
  });

  it("declares one fixed memory of one page", () => {
    // memory section: count 1, limits flag 1 (min and max), min 1, max 1
    expect([...sections(release).get(SECTION.MEMORY)!]).toEqual([1, 1, 1, 1]);
  });

  it("contains no memory.grow and exports no allocator", () => {
    const m = binaryen.readBinary(release);
    expect(m.emitText()).not.toContain("memory.grow");
    m.dispose();
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    expect(names.filter((n) => n.startsWith("__"))).toEqual([]);
  });

  it("validates with WASM 1.0 (MVP) features only", () => {
    const m = binaryen.readBinary(release);
    m.setFeatures(binaryen.Features.MVP);
    expect(m.validate()).toBe(1);
    m.dispose();
    // The check is live: a module with a post-MVP instruction (i32.extend8_s) fails it.
    const bad = new binaryen.Module();
    bad.addFunction("f", binaryen.i32, binaryen.i32, [], bad.i32.extend8_s(bad.local.get(0, binaryen.i32)));
    bad.setFeatures(binaryen.Features.MVP);
    expect(bad.validate()).toBe(0);
    bad.dispose();
  });

  it("is at most 8 KiB", () => {
    expect(release.byteLength).toBeLessThanOrEqual(8192);
  });

  it("compiles no runtime: every function is chipmark's own (debug build, with names)", () => {
    const m = binaryen.readBinary(readFileSync(DEBUG_WASM));
    const names = Array.from({ length: m.getNumFunctions() }, (_, i) => binaryen.getFunctionInfo(m.getFunctionByIndex(i)).name);
    m.dispose();
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !n.startsWith("assembly/"))).toEqual([]);
  });
});

describe("zero allocation", () => {
  it("a million decodes change no byte outside the input and result areas, and no memory size", () => {
    const core = new MarkingCore(release);
    const x = core.exports;
    const memory = x.memory;
    // The areas the module may write; everything else (tables, data, globals' home) must not move.
    const writable: [number, number][] = [
      [x.markingInput(), core.inputCapacity], [x.partInput(), core.inputCapacity],
      [x.results(), Slot.COUNT * 8], [x.expectedText(), 8],
      [x.batchInput(), core.batchInputCapacity], [x.batchOhms(), core.batchCapacity * 8],
      [x.batchAltOhms(), core.batchCapacity * 8], [x.batchInfo(), core.batchCapacity * 4],
    ];
    const mask = new Uint8Array(memory.buffer.byteLength);
    for (const [at, len] of writable) mask.fill(1, at, at + len);
    const before = new Uint8Array(memory.buffer).slice();
    const pages = memory.buffer.byteLength;

    const markings = ["103", "4R7", "01A", "121_", "43R2", "1000", "R47", "0", "97X", "4RR7", "47R"];
    let ok = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (core.decode(markings[i % markings.length], i & 1) === Status.OK) ok++;
    }
    for (let i = 0; i < 10_000; i++) core.verify("RMS06FT1000", markings[i % markings.length], 0, 0);
    core.putBatch(markings, 0, markings.length);

    expect(ok).toBeGreaterThan(700_000);
    expect(memory.buffer.byteLength).toBe(pages);
    const after = new Uint8Array(memory.buffer);
    const moved: number[] = [];
    for (let i = 0; i < after.length; i++) if (!mask[i] && after[i] !== before[i]) moved.push(i);
    expect(moved).toEqual([]);
  });
});

describe("release reader module", () => {
  const bytes = readFileSync(READER_WASM);

  it("imports nothing, has no start function and one fixed memory", () => {
    expectSelfContained(bytes);
    const s = sections(bytes);
    // memory section: count 1, limits flag 1 (min and max), then min = max (LEB128)
    const memory = [...s.get(SECTION.MEMORY)!];
    expect(memory.slice(0, 2)).toEqual([1, 1]);
    const half = (memory.length - 2) / 2;
    expect(memory.slice(2, 2 + half)).toEqual(memory.slice(2 + half));
  });

  it("contains no memory.grow and validates with WASM 1.0 features only", () => {
    const m = binaryen.readBinary(bytes);
    expect(m.emitText()).not.toContain("memory.grow");
    m.setFeatures(binaryen.Features.MVP);
    expect(m.validate()).toBe(1);
    m.dispose();
  });

  it("reads frames of every size it takes without growing its memory", () => {
    const reader = new ReaderCore(bytes);
    const size = reader.exports.memory.buffer.byteLength;
    let seed = 7;
    for (const [w, h] of [[8, 8], [640, 480], [320, 240], [64, 127], [1, 1], [641, 480]]) {
      const gray = new Uint8Array(Math.max(1, w * h)).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      reader.read(gray.subarray(0, Math.min(gray.length, reader.maxWidth * reader.maxHeight)), Math.min(w, reader.maxWidth), Math.min(h, reader.maxHeight));
      expect(reader.exports.readFrame(w, h)).toBe(w < 8 || h < 8 ? 1 : w > 640 || h > 480 ? 2 : 0);
    }
    expect(reader.exports.memory.buffer.byteLength).toBe(size);
  });

  // sharpenFrame: frame + (frame - blur), the blur [1 4 6 4 1] / 16 each way, edges repeated.
  it("sharpens a frame in place with an unsharp mask of the binomial blur", () => {
    const reader = new ReaderCore(bytes);
    const w = 20, h = 6;
    // A vertical step 40 | 200 between columns 9 and 10: the blur leaves each column's rows
    // alike, so each pixel is 2 · p − (row blur): column 8 blurs to (40 + 4·40 + 6·40 + 4·40 +
    // 200 + 8) >> 4 = 50, column 9 to 90, column 10 to 150, column 11 to 190.
    const step = new Uint8Array(w * h).map((_, i) => (i % w < 10 ? 40 : 200));
    reader.frame.set(step);
    reader.exports.sharpenFrame(w, h);
    const row = (y: number) => Array.from(reader.frame.subarray(y * w, y * w + w));
    const expected = [40, 40, 40, 40, 40, 40, 40, 40, 30, 0, 250, 210, 200, 200, 200, 200, 200, 200, 200, 200];
    for (let y = 0; y < h; y++) expect(row(y)).toEqual(expected);
    // A flat frame stays as it is; a frame larger than the buffer is left alone.
    reader.frame.fill(117, 0, w * h);
    reader.exports.sharpenFrame(w, h);
    expect(Array.from(reader.frame.subarray(0, w * h)).every((v) => v === 117)).toBe(true);
    reader.exports.sharpenFrame(641, 480);
    expect(reader.frame[0]).toBe(117);
  });

  // printBlur: a stroke blurred by a Gaussian of σ, sampled at pixel centres, is measured back as
  // σ. Expected values are the Gaussian's own: a stroke from a to b, blurred, has grey
  // 40 + 160 · (Φ((x − a) / σ) − Φ((x − b) / σ)) at pixel centre x.
  it("measures the blur of print strokes in pixels, low for thin strokes, never high", () => {
    const reader = new ReaderCore(bytes);
    // Φ by Abramowitz and Stegun 7.1.26 (error under 1.5e-7).
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return x >= 0 ? y : -y;
    };
    const phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
    const w = 48, h = 30;
    /** Two vertical strokes `width` px wide from x 8 and 28, rows 5 to 25, blurred σ. */
    const strokes = (width: number, sigma: number) => {
      const grey = (x: number) => 40 + 160 * (phi((x + 0.5 - 8) / sigma) - phi((x + 0.5 - 8 - width) / sigma)
        + phi((x + 0.5 - 28) / sigma) - phi((x + 0.5 - 28 - width) / sigma));
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) reader.frame[y * w + x] = y >= 5 && y < 25 ? Math.round(grey(x)) : 40;
      reader.exports.printBlurBegin(w, h);
      reader.exports.printBlurBox(6, 8, 8 + width + 2, 22);
      reader.exports.printBlurBox(26, 8, 28 + width + 2, 22);
      return reader.exports.printBlur();
    };
    for (const sigma of [0.8, 1.2]) expect(Math.abs(strokes(12, sigma) / sigma - 1)).toBeLessThan(0.05);
    // Blurred further, the pixels round the strokes rise above the body and lower the contrast.
    expect(strokes(12, 2)).toBeLessThan(2);
    expect(strokes(12, 2)).toBeGreaterThan(1.6);
    // A stroke about as thin as the blur is wide loses contrast as well as edge: read low.
    expect(strokes(4, 2)).toBeLessThan(2);
    expect(strokes(4, 2)).toBeGreaterThan(1.2);
    // Sharp strokes read about 0.4 px.
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) reader.frame[y * w + x] = y >= 5 && y < 25 && x >= 8 && x < 20 ? 200 : 40;
    reader.exports.printBlurBegin(w, h);
    reader.exports.printBlurBox(6, 8, 22, 22);
    expect(reader.exports.printBlur()).toBeLessThan(0.5);
    // No print, or no box, cannot be told (0); boxes off the frame or not numbers trap nowhere.
    reader.frame.fill(90, 0, w * h);
    reader.exports.printBlurBegin(w, h);
    reader.exports.printBlurBox(-1e9, -1e9, 1e9, 1e9);
    reader.exports.printBlurBox(1e12, 1e12, 2e12, 2e12);
    reader.exports.printBlurBox(-2e12, -2e12, -1e12, -1e12);
    reader.exports.printBlurBox(Infinity, 0, 5, 5);
    reader.exports.printBlurBox(NaN, 0, 5, 5);
    reader.exports.printBlurBox(100, 100, 120, 120);
    expect(reader.exports.printBlur()).toBe(0);
    reader.exports.printBlurBegin(w, h);
    expect(reader.exports.printBlur()).toBe(0);
  });

  /** The body the reader's slots hold (corners x, y in turn), or null. */
  const bodySlots = (reader: ReaderCore) => (reader.slots[ReaderSlot.BODY_FOUND] === 1 ? Array.from(reader.slots.subarray(ReaderSlot.BODY_QUAD, ReaderSlot.BODY_QUAD + 8)) : null);
  /** Corners spanning x0..x1 and y0..y1, to half a pixel. */
  const expectBox = (q: number[], x0: number, x1: number, y0: number, y1: number) => {
    const xs = q.filter((_, i) => i % 2 === 0), ys = q.filter((_, i) => i % 2 === 1);
    expect(Math.min(...xs)).toBeCloseTo(x0, 0);
    expect(Math.max(...xs)).toBeCloseTo(x1, 0);
    expect(Math.min(...ys)).toBeCloseTo(y0, 0);
    expect(Math.max(...ys)).toBeCloseTo(y1, 0);
  };
  /** Corners spanning x0..x1 and y0..y1, to a pixel. */
  const expectBoxNear = (q: number[], x0: number, x1: number, y0: number, y1: number) => {
    const xs = q.filter((_, i) => i % 2 === 0), ys = q.filter((_, i) => i % 2 === 1);
    [[Math.min(...xs), x0], [Math.max(...xs), x1], [Math.min(...ys), y0], [Math.max(...ys), y1]].forEach(([got, want]) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1));
  };

  // keepBody(scale): the next read takes the body the last read that looked found, scaled.
  it("keeps the body found for the next read of the same chip, scaled", () => {
    const reader = new ReaderCore(bytes);
    const w = 120, h = 60;
    // Board at 90; caps at 220 over x 10..23 and 96..109, y 10..49; the body at 30 between them.
    const chip = (x: number, y: number) => (y < 10 || y >= 50 || x < 10 || x >= 110 ? 90 : x < 24 || x >= 96 ? 220 : 30);
    const frame = (scale: number) => {
      const sw = w * scale, sh = h * scale;
      return new Uint8Array(sw * sh).map((_, i) => chip(Math.floor((i % sw) / scale), Math.floor(Math.floor(i / sw) / scale)));
    };
    const body = () => bodySlots(reader);
    reader.read(frame(1), w, h);
    const found = body()!;
    // Between the caps' inner edges (x 24 to 96), as wide as the caps (y 10 to 50).
    expectBox(found, 23.5, 95.5, 9.5, 49.5);
    // A flat frame has no body; kept, it has the one found.
    const flat = new Uint8Array(w * h).fill(90);
    reader.read(flat, w, h);
    expect(body()).toBeNull();
    reader.read(frame(1), w, h);
    reader.frame.set(flat);
    reader.exports.keepBody(1);
    reader.exports.readFrame(w, h);
    expect(body()).toEqual(found);
    // Twice enlarged: pixel centres at (x + 0.5) · 2 − 0.5. A read that kept the body does not
    // replace the one kept.
    reader.frame.set(new Uint8Array(4 * w * h).fill(90));
    reader.exports.keepBody(2);
    reader.exports.readFrame(2 * w, 2 * h);
    body()!.forEach((v, i) => expect(v).toBeCloseTo((found[i] + 0.5) * 2 - 0.5, 9));
    reader.frame.set(flat);
    reader.exports.keepBody(1);
    reader.exports.readFrame(w, h);
    expect(body()).toEqual(found);
    // Kept once only, and a scale not above 0 or not finite looks for the body.
    reader.exports.readFrame(w, h);
    expect(body()).toBeNull();
    for (const bad of [0, -1, NaN, Infinity]) {
      reader.read(frame(1), w, h);
      reader.frame.set(flat);
      reader.exports.keepBody(bad);
      reader.exports.readFrame(w, h);
      expect(body()).toBeNull();
    }
  });

  // The body between the caps (findCapsBody, readFrame's first step): caps that are solid,
  // whose areas may differ down to 0.3 of each other.
  it("finds the body between solid caps of unlike area, and none between hollow ones", () => {
    const reader = new ReaderCore(bytes);
    const w = 120, h = 60;
    // Board at 90; caps at 220 over x 10..23 (14 wide) and 100..104 (5 wide: 0.36 of the
    // other's area), y 10..49; the body at 30 between them. Hollow: each cap a 2 px outline.
    const chip = (hollow: boolean) => new Uint8Array(w * h).map((_, i) => {
      const x = i % w, y = Math.floor(i / w);
      if (y < 10 || y >= 50 || x < 10 || x >= 105) return 90;
      const cap = x < 24 ? [10, 23] : x >= 100 ? [100, 104] : null;
      if (!cap) return 30;
      const rim = x - cap[0] < 2 || cap[1] - x < 2 || y < 12 || y >= 48;
      return hollow && !rim ? 30 : 220;
    });
    const body = () => bodySlots(reader);
    reader.frame.set(chip(false));
    expect(reader.exports.findCapsBody(w, h)).toBe(1);
    // Between the caps' inner edges (x 24 to 100), as wide as the caps (y 10 to 50).
    expectBox(body()!, 23.5, 99.5, 9.5, 49.5);
    reader.frame.set(chip(true));
    expect(reader.exports.findCapsBody(w, h)).toBe(0);
    expect(body()).toBeNull();
    // Sizes readFrame refuses: none.
    reader.frame.set(chip(false));
    expect(reader.exports.findCapsBody(7, 7)).toBe(0);
    expect(reader.exports.findCapsBody(641, 480)).toBe(0);
    expect(body()).toBeNull();
  });

  // A bright blob as wide as a cap between two "caps" makes them no pair: they are the pads or
  // the outer bands of caps cut in two by a seam (capBetween).
  it("finds the body between the caps, not between the larger pads beyond them", () => {
    const reader = new ReaderCore(bytes);
    const w = 160, h = 90;
    // Board at 90; the chip from (20, 15): pads at 220 over x 0..11 and 108..119, y 2..57
    // (672 px each); between each pad and its cap a seam at 60; caps at 220 over x 15..24 and
    // 95..104, y 10..49 (400 px each); the body at 30 between them.
    const frame = new Uint8Array(w * h).map((_, i) => {
      const x = (i % w) - 20, y = Math.floor(i / w) - 15;
      if (x < 0 || x >= 120 || y < 0 || y >= 60) return 90;
      if ((x <= 11 || x >= 108) && y >= 2 && y <= 57) return 220;
      if (y < 10 || y > 49) return 90;
      if (x <= 14 || x >= 105) return 60;
      if (x <= 24 || x >= 95) return 220;
      return 30;
    });
    reader.frame.set(frame);
    expect(reader.exports.findCapsBody(w, h)).toBe(1);
    // Between the caps' inner edges (x 44.5 and 114.5 in the frame), as wide as the caps (y 24.5
    // to 64.5), to a pixel; between the pads it would span x 31.5 to 127.5, y 16.5 to 72.5.
    expectBoxNear(bodySlots(reader)!, 44.5, 114.5, 24.5, 64.5);
  });

  // Both caps span the chip's width and the body between them is about as long as the chip is
  // wide: a cap and a character beside it are no pair.
  it("pairs no cap with a character beside it", () => {
    const reader = new ReaderCore(bytes);
    const w = 120, h = 60;
    // Board at 90; the body at 30 over x 10..109, y 10..49; one cap at 220 over x 10..17 (40
    // px wide across); a bold character at 220 over x 40..49, y 22..35 (14 across).
    const frame = (x0: number, x1: number, y0: number, y1: number) => new Uint8Array(w * h).map((_, i) => {
      const x = i % w, y = Math.floor(i / w);
      if (x < 10 || x >= 110 || y < 10 || y >= 50) return 90;
      if (x < 18) return 220;
      return x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 220 : 30;
    });
    reader.frame.set(frame(40, 49, 22, 35));
    expect(reader.exports.findCapsBody(w, h)).toBe(0);
    // As wide as the cap (y 10..49) but only 16 px on from it: a body much shorter than wide.
    reader.frame.set(frame(34, 37, 10, 49));
    expect(reader.exports.findCapsBody(w, h)).toBe(0);
    // As wide as the cap and as far on as the body is wide, it is the other cap.
    reader.frame.set(frame(60, 67, 10, 49));
    expect(reader.exports.findCapsBody(w, h)).toBe(1);
  });

  // Where the light falls off across the chip only the caps' lit middle stands out; the body
  // runs to the dark coat's own edges, which the caps' dimmer sides reach too.
  it("finds the body as wide as its dark coat where only the caps' middle is lit", () => {
    const reader = new ReaderCore(bytes);
    const w = 120, h = 60;
    // Board at 150; the chip over x 10..109, y 10..49: caps over x 10..23 and 96..109, lit (230)
    // over y 20..39 and dim (140, below the board) beyond; the coat at 30 between them.
    const chip = (darkRun: boolean) => new Uint8Array(w * h).map((_, i) => {
      const x = i % w, y = Math.floor(i / w);
      if (x >= 24 && x < 96 && y >= 10 && y < (darkRun ? 56 : 50)) return 30;
      if (x < 10 || x >= 110 || y < 10 || y >= 50) return darkRun && y >= 50 && y < 56 ? 60 : 150;
      if (x >= 24 && x < 96) return 150;
      return y >= 20 && y < 40 ? 230 : 140;
    });
    reader.frame.set(chip(false));
    expect(reader.exports.findCapsBody(w, h)).toBe(1);
    // Between the caps' inner edges (x 24 to 96) and across the coat (y 10 to 50), to a pixel;
    // the lit middle alone spans y 20 to 40.
    expectBoxNear(bodySlots(reader)!, 23.5, 95.5, 9.5, 49.5);
    // Dark running on past where the caps end (to y 56, a dark pocket at 60 beside the caps from
    // y 50; as where the step passed a pale line along the body's edge) is not the coat: that
    // side stays where the caps' lit middle put it.
    reader.frame.set(chip(true));
    expect(reader.exports.findCapsBody(w, h)).toBe(1);
    expectBoxNear(bodySlots(reader)!, 23.5, 95.5, 9.5, 39.5);
  });
});
