// The alternative a user would reach for: tesseract.js, measured on the same sample frames as the
// chipmark reader. Every choice below is made in tesseract's favour, so the comparison is a
// ceiling for tesseract rather than a strawman:
//   - the frame is cropped using the ground truth (tesseract has no detector for a chip on a
//     board): to the chip body's bounding box by default, or with crop "text" to the printed
//     characters' boxes, a perfect text locator; either way it is turned upright using the
//     known orientation;
//   - the crop is made dark-on-light and scaled so the text is at least 30 px high;
//   - an underline is not something tesseract can report, so it is dropped from the expected text.
// Everything runs offline: the engine, its WASM and the English model come from node_modules.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { createWorker, OEM, PSM, type Worker, type WorkerOptions } from "tesseract.js";
import type { IndexEntry } from "../samples/generate.ts";

export interface TesseractResult {
  frames: number;
  /** Preprocessing (sharp) + recognize, per frame. */
  msPerFrameMedian: number;
  msPerFrameP99: number;
  accuracy: number;
  exact: number;
  /** createWorker (core WASM + eng model + init) and setParameters. */
  setupMs: number;
  note: string;
}

export interface TesseractOptions {
  /** Only the first QUICK_FRAMES frames. */
  quick?: boolean;
  /**
   * What tesseract is shown of a frame with a chip: "body" (default) the bounding box of the true
   * chip body, end caps included; "text" the bounding box of the true glyph boxes plus a margin,
   * i.e. a perfect text locator, the most tesseract could be helped.
   */
  crop?: "body" | "text";
  onProgress?: (done: number, total: number) => void;
}

const QUICK_FRAMES = 60;
const WARMUP_CALLS = 3;
/** Every character that can appear in a TA-I RMS marking (3-/4-digit, R-notation, EIA-96). */
const MARKING_ALPHABET = "0123456789ABCDEFGHRSXYZ";
/**
 * tesseract's accuracy falls off below an x-height of about 20 px (its ImproveQuality notes);
 * capitals and digits of 30 px clear that with room.
 */
const MIN_TEXT_HEIGHT_PX = 30;
/**
 * Margin around the true glyph boxes in "text" crop mode, in character heights. Kept small: at
 * 0.3-0.4 the crop catches the edges of the end caps, which tesseract reads as "1" (291/500
 * exact at 0.4 against 327 at 0.1); the white MARGIN_PX gives it its quiet zone instead.
 */
const TEXT_PAD = 0.1;
/** tesseract wants quiet space around the line; without it, text touching the edge is dropped. */
const MARGIN_PX = 10;

/**
 * The eng model shipped in @tesseract.js-data/eng. "4.0.0_best_int" is the LSTM-only model that
 * tesseract.js itself would fetch from jsDelivr for OEM.LSTM_ONLY when no langPath is given, so
 * pointing langPath at it keeps the model identical to a default install, minus the download.
 * (The package's main export points at "4.0.0", the larger legacy+LSTM file.)
 */
function engModel(): { langPath: string; gzip: boolean } {
  const require = createRequire(import.meta.url);
  const pkgDir = join(require.resolve("@tesseract.js-data/eng/package.json"), "..");
  const langPath = join(pkgDir, "4.0.0_best_int");
  // The package ships the model gzipped only; tesseract.js appends ".gz" when gzip is true.
  if (existsSync(join(langPath, "eng.traineddata.gz"))) return { langPath, gzip: true };
  if (existsSync(join(langPath, "eng.traineddata"))) return { langPath, gzip: false };
  // Checked here for a message that says what to do, rather than an ENOENT from inside the worker.
  throw new Error(`no eng.traineddata(.gz) in ${langPath}; run npm install -D @tesseract.js-data/eng`);
}

/**
 * Worker options that keep tesseract.js off the network:
 * - langPath is a plain file path, so the Node worker reads it with fs instead of fetch();
 *   left unset, it would download from cdn.jsdelivr.net.
 * - cacheMethod "none": no lookup of, and no write of, ./eng.traineddata in the working directory.
 * - corePath / workerPath stay unset: in Node the worker script is a local file and the core is
 *   require()d from tesseract.js-core, which reads its .wasm next to itself with fs.
 */
function workerOptions(onError: (err: unknown) => void): Partial<WorkerOptions> {
  return { ...engModel(), cacheMethod: "none", errorHandler: onError };
}

type Crop = NonNullable<TesseractOptions["crop"]>;

/** Axis-aligned bounding box of points, clamped to the image. */
function bounds(xs: number[], ys: number[], pad: number, width: number, height: number) {
  const left = Math.max(0, Math.floor(Math.min(...xs) - pad));
  const top = Math.max(0, Math.floor(Math.min(...ys) - pad));
  const right = Math.min(width, Math.ceil(Math.max(...xs) + pad));
  const bottom = Math.min(height, Math.ceil(Math.max(...ys) + pad));
  return { left, top, width: right - left, height: bottom - top };
}

/** Crop, make dark-on-light, turn upright, scale: the PNG tesseract gets for one frame. */
async function preprocess(bytes: Buffer, entry: IndexEntry, crop: Crop): Promise<Buffer> {
  const frame = sharp(bytes);
  const { width: frameW = 0, height: frameH = 0 } = await frame.metadata();
  const corners = entry.truth.bodyCorners;
  const body = corners
    ? bounds(corners.map((c) => c[0]), corners.map((c) => c[1]), 0, frameW, frameH)
    : { left: 0, top: 0, width: frameW, height: frameH };
  const { data, info } = await frame.extract(body).grayscale().raw().toBuffer({ resolveWithObject: true });

  // Chip resistors are printed light on a dark body; tesseract is trained on dark ink on paper.
  // Polarity is judged on the body, before any text crop (in a tight text crop the ink is too
  // large a share for the test), and without the truth, as a user would have to.
  if (lightInk(centre(data, info.width, info.height))) {
    for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
  }

  let img = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } });
  const glyphs = entry.truth.glyphBoxes;
  // A blank body has no glyphs, so it is shown whole in both modes.
  if (corners && crop === "text" && glyphs.length > 0) {
    const xs = glyphs.flatMap((g) => [g.x - body.left, g.x + g.w - body.left]);
    const ys = glyphs.flatMap((g) => [g.y - body.top, g.y + g.h - body.top]);
    img = img.extract(bounds(xs, ys, TEXT_PAD * entry.charHeightPx, info.width, info.height));
  }
  // The frame is the upright scene turned clockwise by `orientation`; sharp turns clockwise too.
  // Skew (a few degrees) is left in: tesseract's line finder copes with it.
  img = img.rotate((360 - entry.orientation) % 360);
  const scale = Math.max(1, MIN_TEXT_HEIGHT_PX / entry.charHeightPx);
  if (scale > 1) {
    // With a resize in the same pipeline sharp rotates before it extracts, whatever the call
    // order (the text crop then fails with "bad extract area"), so the turned crop is
    // materialised first. Raw output of a one-channel input comes back as sRGB unless asked for
    // b-w, hence toColourspace here and below.
    const turned = await img.toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
    img = sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 1 } })
      .resize(Math.round(turned.info.width * scale), Math.round(turned.info.height * scale), { kernel: "cubic" });
  }
  // compressionLevel 0: the PNG is only a container for tesseract, so encoding time is wasted.
  return img
    .extend({ top: MARGIN_PX, bottom: MARGIN_PX, left: MARGIN_PX, right: MARGIN_PX, background: { r: 255, g: 255, b: 255 } })
    .toColourspace("b-w")
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** The pixels of the middle half (both ways) of a grey image. */
function centre(grey: Buffer, width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = height >> 2; y < height - (height >> 2); y++) {
    for (let x = width >> 2; x < width - (width >> 2); x++) out.push(grey[y * width + x]);
  }
  return out;
}

/**
 * Whether the ink is lighter than the background: the ink is the minority, so its tail of the
 * histogram reaches further from the median. Independent of exposure, unlike a fixed threshold
 * (a lit dark body can sit above mid-grey).
 */
function lightInk(pixels: number[]): boolean {
  if (pixels.length === 0) return false;
  const s = [...pixels].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(s.length * f))];
  const med = q(0.5);
  return q(0.95) - med > med - q(0.05);
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

export async function benchTesseract(entries: IndexEntry[], framesDir: string, options: TesseractOptions = {}): Promise<TesseractResult> {
  const frames = options.quick ? entries.slice(0, QUICK_FRAMES) : entries;
  const crop: Crop = options.crop ?? "body";
  let failSetup: (err: unknown) => void = () => {};
  const setupFailed = new Promise<never>((_, reject) => { failSetup = reject; });
  // Without an errorHandler tesseract.js rethrows worker errors from a message listener, which
  // takes the whole process down; with one, createWorker's own promise never settles when the
  // model fails to load, so the error is raced against it. After setup a failed job rejects its
  // own recognize() promise as well, so a late call here is harmless.
  const onError = (err: unknown) => failSetup(new Error(`tesseract worker: ${String(err)}`));
  const t0 = performance.now();
  const worker: Worker = await Promise.race([createWorker("eng", OEM.LSTM_ONLY, workerOptions(onError)), setupFailed]);
  try {
    await worker.setParameters({
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      tessedit_char_whitelist: MARKING_ALPHABET,
      // sharp writes no density, so the PNG says 25 dpi; tesseract would warn on every frame and
      // fall back to 70. Saying 70 here changes nothing but the noise (checked: same reads).
      user_defined_dpi: "70",
    });
    const setupMs = performance.now() - t0;

    // The first recognize calls are slow (about 110, 50, 20 ms against a steady 10) while the
    // engine sets up and the WASM tiers up; untimed calls on the first frame keep that out of p99.
    if (frames.length > 0) {
      const png = await preprocess(readFileSync(join(framesDir, frames[0].file)), frames[0], crop);
      for (let i = 0; i < WARMUP_CALLS; i++) await worker.recognize(png);
    }

    const times: number[] = [];
    let exact = 0;
    for (let i = 0; i < frames.length; i++) {
      const entry = frames[i];
      // Disk reads are outside the timing: the reader's numbers exclude them as well.
      const bytes = readFileSync(join(framesDir, entry.file));
      const start = performance.now();
      const png = await preprocess(bytes, entry, crop);
      const { data } = await worker.recognize(png);
      times.push(performance.now() - start);
      const read = data.text.replace(/\s+/g, "");
      if (read === entry.expectedRead.replace(/_/g, "")) exact++;
      options.onProgress?.(i + 1, frames.length);
    }

    times.sort((a, b) => a - b);
    return {
      frames: frames.length,
      msPerFrameMedian: percentile(times, 0.5),
      msPerFrameP99: percentile(times, 0.99),
      accuracy: frames.length ? exact / frames.length : 0,
      exact,
      setupMs,
      note:
        "tesseract.js best case: cropped to " +
        (crop === "body" ? "the bounding box of the true chip body" : `the true glyph boxes (+${TEXT_PAD} char height)`) +
        ", turned upright with the true orientation, " +
        `grey, inverted when the print is lighter than the body, upscaled to text >= ${MIN_TEXT_HEIGHT_PX} px, single-line mode, whitelist ${MARKING_ALPHABET}; ` +
        "underlines not required (expected text compared without '_'); no-chip frames recognized whole and exact when empty; " +
        `ms/frame = sharp preprocessing + recognize (disk read excluded, ${WARMUP_CALLS} untimed warm-up calls).`,
    };
  } finally {
    await worker.terminate();
  }
}
