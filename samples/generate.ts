// Writes the committed test set of camera frames: samples/frames/*.jpg|png and index.json.
//
//   npx tsx samples/generate.ts
//   npx tsx samples/generate.ts --dev 5000000 --out .scratch/dev   # a tuning set like it (below)
//   npx tsx samples/generate.ts --dev 5004000 --margin 3 --out .scratch/wide   # the same chips, wider field
//
// --dev <seed base> renders a development set with the same groups and attribute spread but its
// own seeds (never the committed ones) and only the training fonts: tune the reader on that,
// never on samples/frames.
//
// What each chip carries comes from the datasheet model in test/oracle.ts, never from host/.
// The set is reproducible: a fixed base seed, seeded decks for every attribute, and a renderer
// that is deterministic for a spec, so running this twice gives identical files.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { Rng } from "./rng.ts";
import { CROP, cropAroundBody } from "./crop.ts";
import { renderFrame, FONT_IDS, type FrameSpec, type FrameTruth, type SceneKind, type Surround, type UnderlineStyle } from "./render.ts";
import { COMMITTED_SEED_BASE, COMMITTED_SEED_SPAN, ORIENTATIONS, MAX_SKEW_DEG, TRAINING_FONTS, legible, randomEffects, round } from "./tuning.ts";
import { catalogue, expectedMarking, partNumber, ohms, E96, type Size, type Tol, type Value } from "../test/oracle.ts";

const OUT_DIR = new URL("./frames/", import.meta.url).pathname;
const BASE_SEED = "chipmark-frames-v1";
/** Frames rendered at once: sharp works on its own threads, so a few in flight keep them busy. */
const CONCURRENCY = 6;

export type Group = "eia96" | "3digit" | "4digit" | "rnotation" | "underlined" | "zero" | "wrong-reel" | "unmarked" | "falsepositives" | "crop0603";
export type ExpectedVerdict = "match" | "mismatch" | "unverifiable";

/** One line of samples/frames/index.json. */
export interface IndexEntry {
  file: string;
  group: Group;
  /** The reel's part number. */
  part: string;
  /** What is printed on the chip in the frame ("121_" = underlined; "" = nothing). */
  printed: string;
  expectedVerdict: ExpectedVerdict;
  /** What a reader should read: the printed text, "" when nothing should be read. */
  expectedRead: string;
  size: Size;
  charHeightPx: number;
  orientation: FrameSpec["orientation"];
  skewDeg: number;
  font: FrameSpec["font"];
  effects: FrameSpec["effects"];
  /** The rest of the FrameSpec, so that any frame can be rendered again on its own. */
  seed: number;
  scene: SceneKind;
  surround: Surround;
  underlineStyle: UnderlineStyle;
  margin?: number;
  /** Why a wrong-reel or unusual frame is in the set. */
  note?: string;
  truth: Omit<FrameTruth, "text" | "orientation" | "charHeightPx">;
}

/** What a frame shows before the camera attributes are dealt: the reel and the chip. */
interface Case {
  group: Group;
  part: string;
  printed: string;
  size: Size;
  scene: SceneKind;
  expectedVerdict: ExpectedVerdict;
  note?: string;
  surround?: Surround;
}

const MARKED_SIZES: readonly Size[] = ["06", "10", "12", "13", "20", "25"];
const FOUR_DIGIT_SIZES: readonly Size[] = ["10", "12", "13", "20", "25"];
const CONFUSABLE: readonly [string, string][] = [["8", "B"], ["0", "D"], ["1", "7"], ["5", "6"], ["3", "8"], ["6", "9"]];

/** Frames per group (about 500 in all). */
const COUNTS: Record<Group, number> = {
  eia96: 86, "3digit": 76, "4digit": 62, rnotation: 40, underlined: 50, zero: 26, "wrong-reel": 85, unmarked: 30, falsepositives: 45,
  crop0603: 60,
};


/** Character-height bins and their shares: real frames are 15–30 px, both extremes must be covered. */
const HEIGHT_BINS: readonly [number, number, number][] = [
  [12, 13, 0.16], [14, 17, 0.17], [18, 22, 0.2], [23, 28, 0.19], [29, 34, 0.14], [35, 40, 0.14],
];

// ---- reels ----------------------------------------------------------------------------------------

interface Reel { size: Size; tol: Tol; value: Value; part: string; marking: string }

const pack = (size: Size) => (size === "20" || size === "25" ? "E" : "T");
const zeroReel = (size: Size): { part: string; marking: string } => ({ part: `RMS${size}J${pack(size)}000`, marking: "0" });

/** Every catalogue reel of a size and tolerance with the marking its chips carry. */
function reels(size: Size, tol: Tol): Reel[] {
  return catalogue(size, tol).map((value) => ({ size, tol, value, part: partNumber(size, tol, value), marking: expectedMarking(size, tol, value) ?? "" }))
    .filter((r) => r.marking !== "" || size === "02" || size === "04");
}

const hasR = (m: string) => m.includes("R");

// ---- decks: an even spread of each attribute within a group ----------------------------------------

/** `n` items, each of `items` as often as its weight allows (largest remainder), in random order. */
function deck<T>(rng: Rng, n: number, items: readonly (readonly [T, number])[]): T[] {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const exact = items.map(([item, w]) => ({ item, want: (n * w) / total }));
  const out: T[] = [];
  for (const e of exact) for (let i = 0; i < Math.floor(e.want); i++) out.push(e.item);
  const rest = [...exact].sort((a, b) => (b.want % 1) - (a.want % 1));
  for (let i = 0; out.length < n; i++) out.push(rest[i % rest.length].item);
  return rng.shuffle(out);
}
const even = <T>(items: readonly T[]) => items.map((t) => [t, 1] as const);

/** `n` draws taken round-robin from the pools, each pool shuffled, without repeats while a pool lasts. */
function spread<T>(rng: Rng, n: number, pools: T[][]): T[] {
  const decks = pools.filter((p) => p.length > 0).map((p) => rng.shuffle([...p]));
  const out: T[] = [];
  for (let i = 0; out.length < n; i++) {
    const d = decks[i % decks.length];
    const k = Math.floor(i / decks.length) % d.length;
    out.push(d[k]);
  }
  return out;
}

// ---- the cases --------------------------------------------------------------------------------------

function buildCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const match = (group: Group, r: { part: string; marking: string; size: Size }, note?: string): Case =>
    ({ group, part: r.part, printed: r.marking, size: r.size, scene: "chip", expectedVerdict: "match", note });

  // EIA-96 on 0603 ±0.5/±1 %: spread over the multiplier letters. Within a letter, codes with 8
  // next to B and 0 next to D come first, since that is where a reader confuses them.
  const eia = [...reels("06", "F"), ...reels("06", "D")].filter((r) => /^\d\d[A-Z]$/.test(r.marking));
  const letters = [...new Set(eia.map((r) => r.marking[2]))];
  const byLetter = letters.map((l) => {
    const pool = rng.shuffle(uniqueByMarking(eia.filter((r) => r.marking[2] === l)));
    const tricky = (m: string) => (m[2] === "B" && m.includes("8")) || (m[2] === "D" && m.includes("0"));
    return [...pool.filter((r) => tricky(r.marking)), ...pool.filter((r) => !tricky(r.marking))];
  });
  // Z (×0.001) has no value inside the datasheet's 1 Ω floor; a few custom sub-ohm reels show it.
  const zReels: Reel[] = [1, 25, 48, 77].map((i) => {
    const value = { digits: E96[i - 1], exp: -3 };
    return { size: "06", tol: "F", value, part: partNumber("06", "F", value), marking: expectedMarking("06", "F", value)! };
  });
  const eiaCount = COUNTS.eia96 - zReels.length;
  const picks: Reel[] = [];
  for (let pass = 0; picks.length < eiaCount; pass++) {
    for (const pool of byLetter) if (picks.length < eiaCount && pass < pool.length) picks.push(pool[pass]);
  }
  for (const r of picks) cases.push(match("eia96", r));
  for (const r of zReels) cases.push(match("eia96", r, "Z multiplier: sub-ohm custom reel, outside the datasheet's range"));

  // 3 digits on ±2/±5 % reels, every marked size, no R.
  const three = MARKED_SIZES.map((size) => [...reels(size, "J"), ...reels(size, "G")].filter((r) => !hasR(r.marking)));
  for (const r of spread(rng, COUNTS["3digit"], three)) cases.push(match("3digit", r));

  // 4 digits on ±0.5/±1 % reels of 0805 and up, no R.
  const four = FOUR_DIGIT_SIZES.map((size) => [...reels(size, "F"), ...reels(size, "D")].filter((r) => !hasR(r.marking)));
  for (const r of spread(rng, COUNTS["4digit"], four)) cases.push(match("4digit", r));

  // R as the decimal point: 3 characters (4R7) on ±5 % reels, 4 characters (43R2, 10R0, 4R75) on ±1 %.
  // (R47-style codes need values below 1 Ω, which no RMS reel is made in.)
  const r3 = MARKED_SIZES.map((size) => [...reels(size, "J"), ...reels(size, "G")].filter((r) => hasR(r.marking)));
  const r4 = FOUR_DIGIT_SIZES.map((size) => [...reels(size, "F"), ...reels(size, "D")].filter((r) => hasR(r.marking)));
  const half = Math.ceil(COUNTS.rnotation / 2);
  for (const r of spread(rng, half, r3)) cases.push(match("rnotation", r));
  for (const r of spread(rng, COUNTS.rnotation - half, r4)) cases.push(match("rnotation", r));

  // Underlined 3 digits: 0603 ±0.5/±1 % values that are E-24 but not E-96.
  const under = [...reels("06", "F"), ...reels("06", "D")].filter((r) => r.marking.endsWith("_"));
  for (const r of spread(rng, COUNTS.underlined, [uniqueByMarking(under.filter((r) => !hasR(r.marking))), uniqueByMarking(under)]))
    cases.push(match("underlined", r));

  // Jumpers.
  for (const size of spread(rng, COUNTS.zero, MARKED_SIZES.map((s) => [s]))) cases.push(match("zero", { ...zeroReel(size), size }));

  cases.push(...wrongReels(rng));

  // Unmarked sizes: blank chips, nothing to read, so nothing can be verified.
  const unmarked = (["02", "04"] as const).flatMap((size) => (["D", "F", "G", "J"] as const).map((tol) => reels(size, tol)));
  for (const r of spread(rng, COUNTS.unmarked, unmarked)) {
    cases.push({ group: "unmarked", part: r.part, printed: "", size: r.size, scene: "blank-body", expectedVerdict: "unverifiable", note: "0201/0402 chips carry no marking" });
  }

  // False positives: nothing printed in view on a marked reel; must not read, must not match.
  const marked = MARKED_SIZES.map((size) => [...reels(size, "J"), ...reels(size, "F")]);
  const fp = spread(rng, COUNTS.falsepositives, marked);
  const scenes = deck<SceneKind>(rng, fp.length, even(["empty-pocket", "bare-board", "blank-body"]));
  fp.forEach((r, i) => {
    const scene = scenes[i];
    const note = scene === "empty-pocket" ? "empty tape pocket, no chip" : scene === "bare-board" ? "bare pads, no chip" : "a chip with no marking on a marked reel";
    cases.push({
      group: "falsepositives", part: r.part, printed: "", size: r.size, scene, expectedVerdict: "unverifiable", note,
      surround: scene === "empty-pocket" ? rng.pick(["paper-tape", "paper-tape", "embossed-tape"] as const) : scene === "bare-board" ? "board" : undefined,
    });
  });
  // Tight crops of 0603 chips (the held-out photos): half EIA-96, half underlined codes.
  // Drawn last, so that every frame before them stays as it was.
  const precise06 = [...reels("06", "F"), ...reels("06", "D")];
  const cropPools = [
    uniqueByMarking(precise06.filter((r) => /^\d\d[A-Z]$/.test(r.marking))),
    uniqueByMarking(precise06.filter((r) => r.marking.endsWith("_"))),
  ];
  for (const r of spread(rng, COUNTS.crop0603, cropPools)) cases.push(match("crop0603", r));
  return cases;
}

function uniqueByMarking(rs: Reel[]): Reel[] {
  const seen = new Map<string, Reel>();
  for (const r of rs) if (!seen.has(r.marking)) seen.set(r.marking, r);
  return [...seen.values()];
}

/**
 * The part number of one reel on the chips of another of the same size: single confusable-glyph
 * differences, neighbouring values, a missing or an extra underline, the other tolerance class.
 */
function wrongReels(rng: Rng): Case[] {
  const out: Case[] = [];
  const wrong = (reel: { part: string }, chips: { marking: string }, size: Size, note: string): Case =>
    ({ group: "wrong-reel", part: reel.part, printed: chips.marking, size, scene: "chip", expectedVerdict: "mismatch", note });

  const bySize = new Map<Size, Reel[]>();
  for (const size of MARKED_SIZES) {
    bySize.set(size, uniqueByMarking((["D", "F", "G", "J"] as const).flatMap((tol) => reels(size, tol))));
  }

  // Single confusable glyphs: every pair of real markings of one size that differ in one place.
  const PER_PAIR = 8;
  const pairs = new Map<string, [Reel, Reel][]>();
  for (const [, rs] of bySize) {
    for (const a of rs) for (const b of rs) {
      if (a.marking.length !== b.marking.length || a.marking === b.marking) continue;
      const diffs = [...a.marking].map((c, i) => (c === b.marking[i] ? -1 : i)).filter((i) => i >= 0);
      if (diffs.length !== 1) continue;
      const [x, y] = [a.marking[diffs[0]], b.marking[diffs[0]]];
      const pair = CONFUSABLE.find(([p, q]) => (p === x && q === y) || (p === y && q === x));
      if (pair) pairs.set(pair.join("/"), [...(pairs.get(pair.join("/")) ?? []), [a, b]]);
    }
  }
  for (const [p, q] of CONFUSABLE) {
    const key = `${p}/${q}`;
    const found = pairs.get(key) ?? [];
    // 8/B never separates two real markings: B is only an EIA-96 letter, where 8 would be ×10^8.
    if (found.length === 0) continue;
    const bySz = MARKED_SIZES.map((s) => found.filter(([a]) => a.size === s));
    for (const [reel, chips] of spread(rng, PER_PAIR, bySz)) {
      out.push(wrong(reel, chips, reel.size, `confusable ${key}: reel ${reel.marking}, chips ${chips.marking}`));
    }
  }

  // Underline missing (±5 % chips on a ±1 % reel) and extra (±1 % chips on a ±5 % reel).
  const UNDERLINE_EACH = 8;
  const underlined = uniqueByMarking([...reels("06", "F"), ...reels("06", "D")].filter((r) => r.marking.endsWith("_")));
  const plain06 = new Map(reels("06", "J").map((r) => [r.marking, r]));
  const withTwin = rng.shuffle(underlined.filter((r) => plain06.has(r.marking.slice(0, -1))));
  for (const r of withTwin.slice(0, UNDERLINE_EACH)) {
    out.push(wrong(r, { marking: r.marking.slice(0, -1) }, "06", `underline missing: reel ${r.marking}, chips ${r.marking.slice(0, -1)}`));
  }
  for (const r of withTwin.slice(UNDERLINE_EACH, 2 * UNDERLINE_EACH)) {
    const reel = plain06.get(r.marking.slice(0, -1))!;
    out.push(wrong(reel, r, "06", `extra underline: reel ${reel.marking}, chips ${r.marking}`));
  }

  // The same value in the other tolerance class's style: 01A vs 101, 1002 vs 102, 4R7 vs 4R70.
  const STYLE = 9;
  const styleCases: Case[] = [];
  for (const size of MARKED_SIZES) {
    const wide = new Map(reels(size, "J").map((r) => [ohms(r.value), r]));
    const withTwin = reels(size, "F").filter((r) => wide.has(ohms(r.value)) && !r.marking.endsWith("_"));
    for (const r of rng.shuffle(withTwin).slice(0, 2)) {
      const twin = wide.get(ohms(r.value))!;
      styleCases.push(rng.chance(0.5)
        ? wrong(r, twin, size, `other tolerance class: reel ${r.marking}, chips ${twin.marking}`)
        : wrong(twin, r, size, `other tolerance class: reel ${twin.marking}, chips ${r.marking}`));
    }
  }
  out.push(...rng.shuffle(styleCases).slice(0, STYLE));

  // Neighbouring values in the same tolerance, which differ by a digit or an index.
  const neighbours = COUNTS["wrong-reel"] - out.length;
  const pools = MARKED_SIZES.flatMap((size) => (["F", "J"] as const).map((tol) => ({ size, rs: reels(size, tol) })));
  for (let i = 0; i < neighbours; i++) {
    const { size, rs } = pools[i % pools.length];
    const k = rng.int(1, rs.length - 2);
    const chips = rs[k + rng.pick([-1, 1])];
    out.push(wrong(rs[k], chips, size, `neighbour value: reel ${rs[k].marking}, chips ${chips.marking}`));
  }
  return out;
}

// ---- rendering ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dev: { type: "string" }, out: { type: "string" }, margin: { type: "string" } } });
  const dev = values.dev === undefined ? null : Number(values.dev);
  // --margin k: k times the usual board or tape around each chip (a camera seeing more of the
  // pocket); the same chips and draws otherwise. Development sets only: the samples stay as they are.
  const margin = values.margin === undefined ? undefined : Number(values.margin);
  if (margin !== undefined && (dev === null || !(margin >= 1 && margin <= 5))) {
    throw new RangeError(`--margin ${values.margin}: a number from 1 to 5, with --dev`);
  }
  if (dev !== null && !(Number.isInteger(dev) && dev >= 0 && (dev + 1000 <= COMMITTED_SEED_BASE || dev >= COMMITTED_SEED_BASE + COMMITTED_SEED_SPAN))) {
    throw new RangeError(`--dev ${values.dev}: a whole seed base whose 1000 seeds miss the committed ${COMMITTED_SEED_BASE}–${COMMITTED_SEED_BASE + COMMITTED_SEED_SPAN - 1}`);
  }
  const outDir = values.out === undefined ? OUT_DIR : values.out.replace(/\/?$/, "/");
  const started = Date.now();
  const rng = new Rng(dev === null ? BASE_SEED : `${BASE_SEED}:dev:${dev}`);
  const seedBase = dev ?? COMMITTED_SEED_BASE;
  const fontIds = dev === null ? FONT_IDS : TRAINING_FONTS;
  const cases = buildCases(rng.fork("cases"));
  const attr = rng.fork("attributes");

  // Deal camera attributes per group so that each group spans them evenly.
  const specs: { c: Case; spec: FrameSpec; file: string }[] = [];
  const groups = [...new Set(cases.map((c) => c.group))];
  for (const group of groups) {
    const gc = cases.filter((c) => c.group === group);
    const n = gc.length;
    const crop = group === "crop0603";
    const orient = deck(attr, n, even(crop ? ORIENTATIONS.filter((o) => o === 90 || o === 270) : ORIENTATIONS));
    const fonts = deck(attr, n, even(fontIds));
    const bins = deck(attr, n, HEIGHT_BINS.map((b) => [b, b[2]] as const));
    const surrounds = deck<Surround>(attr, n, [["board", 13], ["paper-tape", 5], ["embossed-tape", 2]]);
    const ulines = deck<UnderlineStyle>(attr, n, [["full", 6], ["short", 2], ["dotted", 2]]);
    const dotted = deck(attr, n, [[true, 1], [false, 4]]);
    const broken = deck(attr, n, [[true, 7], [false, 13]]);
    const png = deck(attr, n, [[true, 1], [false, 7]]);
    const mono = deck(attr, n, [[true, 3], [false, 17]]);
    gc.forEach((c, k) => {
      const r = attr.fork(`${group}:${k}`);
      const [lo, hi] = crop ? CROP.charHeightPx : bins[k];
      const charHeightPx = r.int(lo, hi);
      const effects = legible({
        ...randomEffects(r, charHeightPx),
        dotted: dotted[k],
        brokenStrokes: broken[k] ? round(r.range(0.1, 0.7), 2) : 0,
        jpegQuality: png[k] ? null : r.int(55, 95),
        monochrome: mono[k],
      }, charHeightPx);
      const seed = seedBase + specs.length;
      const spec: FrameSpec = {
        seed,
        text: c.scene === "chip" ? c.printed : "",
        size: c.size as FrameSpec["size"],
        charHeightPx,
        orientation: orient[k],
        skewDeg: round(r.range(-MAX_SKEW_DEG, MAX_SKEW_DEG), 1),
        font: fonts[k],
        scene: c.scene,
        surround: c.surround ?? (crop ? "board" : surrounds[k]),
        underlineStyle: ulines[k],
        effects,
        ...(margin !== undefined ? { margin } : {}),
      };
      specs.push({ c, spec, file: `${group}-${String(k + 1).padStart(3, "0")}.${effects.jpegQuality === null || crop ? "png" : "jpg"}` });
    });
  }

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/\.(jpg|png)$/.test(f) || f === "index.json") rmSync(outDir + f);

  const entries: IndexEntry[] = new Array(specs.length);
  let bytes = 0, next = 0;
  async function worker(): Promise<void> {
    while (next < specs.length) {
      const i = next++;
      const { c, spec, file } = specs[i];
      const rendered = await renderFrame(spec);
      const frame = c.group === "crop0603" ? await cropAroundBody(rendered, spec.seed) : rendered;
      writeFileSync(outDir + file, frame.data);
      bytes += frame.data.length;
      entries[i] = {
        file, group: c.group, part: c.part, printed: spec.text, expectedVerdict: c.expectedVerdict, expectedRead: spec.text,
        size: c.size, charHeightPx: spec.charHeightPx, orientation: spec.orientation, skewDeg: spec.skewDeg, font: spec.font,
        effects: spec.effects, seed: spec.seed, scene: spec.scene, surround: spec.surround, underlineStyle: spec.underlineStyle,
        ...(spec.margin !== undefined ? { margin: spec.margin } : {}),
        ...(c.note ? { note: c.note } : {}),
        truth: { bodyCorners: frame.truth.bodyCorners, glyphBoxes: frame.truth.glyphBoxes, underline: frame.truth.underline },
      };
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  writeFileSync(outDir + "index.json", `[\n${entries.map((e) => JSON.stringify(e)).join(",\n")}\n]\n`);

  const perGroup = groups.map((g) => `${g} ${entries.filter((e) => e.group === g).length}`).join(", ");
  console.log(`${entries.length} frames (${perGroup}), ${(bytes / 1e6).toFixed(2)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
}

// Only when run as a script, so that the IndexEntry type can be imported without side effects.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
