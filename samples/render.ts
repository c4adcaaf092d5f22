// Seeded renderer of synthetic camera frames of marked chip resistors.
//
// A frame is built as an SVG scene (board or tape, pads and solder, shadow, body, tinned end caps,
// screen-printed ink), rasterised by sharp (librsvg), then degraded like a camera would: uneven
// light, optical blur, sensor noise and JPEG compression. Everything random comes from the spec's
// seed, so a spec always gives the same bytes.
//
// Coordinates: the scene is drawn in "chip" coordinates, in pixels, with the body centred at the
// origin, x along the long axis and the marking reading left to right at orientation 0. The
// frame is that scene turned clockwise by orientation + skew. Frame pixel coordinates have (0,0)
// at the top-left corner of the top-left pixel (pixel centres at +0.5), as in SVG.

import sharp from "sharp";
import { Rng } from "./rng.ts";
import { STROKE_FONTS, CHARSET, glyphBounds, type Glyph, type Pt, type Stroke, type StrokeFontId } from "./strokefont.ts";

// ---- public types -------------------------------------------------------------------------------

export type SizeCode = "02" | "04" | "06" | "10" | "12" | "13" | "20" | "25";
/** Clockwise turn of the frame; 0 = long axis horizontal, marking reads left to right. */
export type Orientation = 0 | 90 | 180 | 270;
export const TEXT_FONTS = ["DejaVu Sans Mono", "DejaVu Sans Bold"] as const;
export type TextFontId = (typeof TEXT_FONTS)[number];
export type FontId = StrokeFontId | TextFontId;
export type SceneKind = "chip" | "blank-body" | "empty-pocket" | "bare-board";
/** What is around the chip: a soldered board, paper carrier tape, or black embossed tape. */
export type Surround = "board" | "paper-tape" | "embossed-tape";
export type UnderlineStyle = "full" | "short" | "dotted";

export interface FrameEffects {
  /** Optical blur after rasterisation, Gaussian σ in px (below 0.3 = none). */
  blurSigma: number;
  /** Sensor noise, σ in grey levels (0–255). */
  noiseSigma: number;
  /** JPEG quality 1–100, or null for a PNG. */
  jpegQuality: number | null;
  /** Uneven illumination: 0 = flat, 1 = about ±45 % brightness across the frame plus a hot spot. */
  lightGradient: number;
  /** Characters printed as rows of dots (screen mesh), not solid strokes. */
  dotted: boolean;
  /** 0–1: how much of each character is lost to gaps in the print. */
  brokenStrokes: number;
  /** Stroke width as a fraction of the character height (about 0.09–0.22); capped at ~40 % of a narrow glyph's width. */
  inkThickness: number;
  /** Grey level of the ink (about 170–250). */
  inkBrightness: number;
  /** A monochrome machine-vision camera instead of a colour one. */
  monochrome: boolean;
}

export interface FrameSpec {
  seed: number;
  /** The printed marking; a trailing "_" means underlined; "" = blank body (or no chip). */
  text: string;
  size: SizeCode;
  /** Height of the printed characters in frame pixels (12–40); also fixes the scale of blank scenes. */
  charHeightPx: number;
  orientation: Orientation;
  /** Extra clockwise rotation, degrees (±5). */
  skewDeg: number;
  font: FontId;
  scene: SceneKind;
  surround: Surround;
  /** Used when the text is underlined. */
  underlineStyle: UnderlineStyle;
  effects: FrameEffects;
  /** Board or tape around the chip, as a multiple of the usual margin (1 when absent): a camera that sees more of the pocket. */
  margin?: number;
}

export interface Box { x: number; y: number; w: number; h: number }

export interface FrameTruth {
  /** The marking as printed ("" when nothing is printed or there is no chip). */
  text: string;
  /**
   * The body's corners in frame pixels, in reading order of the marking: top-left, top-right,
   * bottom-right, bottom-left as seen with the text upright. null when there is no chip.
   */
  bodyCorners: [number, number][] | null;
  /** Axis-aligned frame-pixel boxes of the printed characters, in reading order (no "_"). */
  glyphBoxes: Box[];
  underline: Box | null;
  orientation: Orientation;
  charHeightPx: number;
}

export interface RenderedFrame {
  /** The encoded image file. */
  data: Buffer;
  ext: "png" | "jpg";
  width: number;
  height: number;
  truth: FrameTruth;
}

// ---- physical facts -----------------------------------------------------------------------------

/** Body length L, width W and end-cap length C in mm (datasheet section 4, nominal). */
export const BODY_MM: Record<SizeCode, { L: number; W: number; C: number }> = {
  "02": { L: 0.6, W: 0.3, C: 0.1 },
  "04": { L: 1.0, W: 0.5, C: 0.2 },
  "06": { L: 1.6, W: 0.8, C: 0.3 },
  "10": { L: 2.0, W: 1.25, C: 0.4 },
  "12": { L: 3.1, W: 1.55, C: 0.5 },
  "13": { L: 3.1, W: 2.55, C: 0.5 },
  "20": { L: 5.0, W: 2.5, C: 0.6 },
  "25": { L: 6.3, W: 3.2, C: 0.6 },
};

/** Largest frame (long side × short side): small chips are shot with a small window. */
const MAX_FRAME_SMALL: [number, number] = [320, 240];
const MAX_FRAME_LARGE: [number, number] = [640, 480];
const SMALL_SIZES: readonly SizeCode[] = ["02", "04", "06", "10"];

/** Character height as a fraction of the body width, as printed on real chips. */
const TEXT_HEIGHT_OF_W: [number, number] = [0.35, 0.45];
/** The code must stay clear of the end caps: at most this share of the space between them. */
const TEXT_FILL_BETWEEN_CAPS = 0.92;
/** Narrowest horizontal squeeze a printer applies to fit a long code before shrinking it. */
const MIN_SQUEEZE = 0.78;
/** An already narrow font is not squeezed below this glyph width (em); the code is made smaller instead. */
const MIN_GLYPH_WIDTH_EM = 0.45;
const MAX_STROKE_OF_GLYPH_WIDTH = 0.4;
const UNDERLINE_THICKNESS_OF_CH: [number, number] = [0.08, 0.12];
const UNDERLINE_GAP_OF_CH: [number, number] = [0.16, 0.3];

export const FONT_IDS: readonly FontId[] = [...(Object.keys(STROKE_FONTS) as StrokeFontId[]), ...TEXT_FONTS];
export const isHeldOutFont = (font: FontId): boolean =>
  font in STROKE_FONTS ? STROKE_FONTS[font as StrokeFontId].heldOut : false;

// ---- small helpers ------------------------------------------------------------------------------

const DEG = Math.PI / 180;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const n2 = (x: number) => (Math.round(x * 100) / 100).toString();
type RGB = [number, number, number];
const rgb = ([r, g, b]: RGB) => `rgb(${clamp(Math.round(r), 0, 255)},${clamp(Math.round(g), 0, 255)},${clamp(Math.round(b), 0, 255)})`;
const scale = ([r, g, b]: RGB, k: number): RGB => [r * k, g * k, b * k];
const jitter = (rng: Rng, [r, g, b]: RGB, d: number): RGB => [r + rng.range(-d, d), g + rng.range(-d, d), b + rng.range(-d, d)];

/** Rotation by `deg` clockwise (image coordinates, y down) then translation. */
interface Affine { cos: number; sin: number; tx: number; ty: number }
const affine = (deg: number, tx = 0, ty = 0): Affine => ({ cos: Math.cos(deg * DEG), sin: Math.sin(deg * DEG), tx, ty });
const apply = (a: Affine, [x, y]: Pt): Pt => [a.cos * x - a.sin * y + a.tx, a.sin * x + a.cos * y + a.ty];

/** The axis-aligned frame box of a chip-space rectangle carried through the given transforms. */
function boxThrough(x0: number, y0: number, x1: number, y1: number, ...ts: Affine[]): Box {
  const pts = ([[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as Pt[]).map((p) => ts.reduce((q, t) => apply(t, q), p));
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x: round2(x), y: round2(y), w: round2(Math.max(...xs) - x), h: round2(Math.max(...ys) - y) };
}
const round2 = (x: number) => Math.round(x * 100) / 100;

// ---- font metrics -------------------------------------------------------------------------------

/**
 * One glyph of any font, in em (cap height = 1): its ink box relative to the cell's design origin
 * (x from the left of a full-width glyph, y from the cap line), before stroke thickness.
 */
interface GlyphMetrics { x0: number; y0: number; x1: number; y1: number }
interface FontMetrics {
  /** Width of a full-width glyph and the cell pitch, in em. */
  width: number;
  advance: number;
  glyphs: Record<string, GlyphMetrics>;
  /** For SVG text fonts: font-size per em of cap height, and each glyph's ink origin. */
  text?: { family: string; weight: string; fontSizePerEm: number; inkLeftEm: Record<string, number>; strokeEm: number };
}

const MEASURE_PX = 200;
const metricsCache = new Map<FontId, Promise<FontMetrics>>();

function fontMetrics(font: FontId): Promise<FontMetrics> {
  let m = metricsCache.get(font);
  if (!m) {
    m = font in STROKE_FONTS ? Promise.resolve(strokeMetrics(font as StrokeFontId)) : measureTextFont(font as TextFontId);
    metricsCache.set(font, m);
  }
  return m;
}

function strokeMetrics(id: StrokeFontId): FontMetrics {
  const f = STROKE_FONTS[id];
  const glyphs: Record<string, GlyphMetrics> = {};
  for (const c of CHARSET) glyphs[c] = glyphBounds(f.glyphs[c]);
  return { width: f.width, advance: f.advance, glyphs };
}

/** Desktop fonts drawn with <text>: their ink boxes are measured once by rasterising each glyph. */
async function measureTextFont(font: TextFontId): Promise<FontMetrics> {
  const family = font === "DejaVu Sans Bold" ? "DejaVu Sans" : font;
  const weight = font === "DejaVu Sans Bold" ? "bold" : "normal";
  const size = MEASURE_PX, ox = 40, base = 240, canvas = 320;
  const raw: Record<string, GlyphMetrics> = {};
  for (const c of CHARSET) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${canvas}"><rect width="${canvas}" height="${canvas}" fill="#000"/>` +
      `<text x="${ox}" y="${base}" font-family="${family}" font-weight="${weight}" font-size="${size}" fill="#fff">${c}</text></svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
    let x0 = canvas, y0 = canvas, x1 = -1, y1 = -1;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (data[(y * info.width + x) * info.channels] >= 128) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x + 1); y0 = Math.min(y0, y); y1 = Math.max(y1, y + 1);
        }
      }
    }
    raw[c] = { x0: x0 - ox, x1: x1 - ox, y0: y0 - base, y1: y1 - base };
  }
  const capPx = -raw["H"].y0;            // cap height in px at MEASURE_PX
  const em = (px: number) => px / capPx;
  const width = Math.max(...CHARSET.split("").map((c) => em(raw[c].x1 - raw[c].x0)));
  const glyphs: Record<string, GlyphMetrics> = {};
  const inkLeftEm: Record<string, number> = {};
  for (const c of CHARSET) {
    const r = raw[c], w = em(r.x1 - r.x0);
    const left = (width - w) / 2;        // centre each glyph in the cell, as monospaced print
    glyphs[c] = { x0: left, x1: left + w, y0: em(r.y0) + 1, y1: em(r.y1) + 1 };
    inkLeftEm[c] = em(r.x0);
  }
  // Stem thickness of the face, so that ink thickness can be added on top of it.
  const strokeEm = font === "DejaVu Sans Bold" ? 0.19 : 0.11;
  return { width, advance: width + 0.22, glyphs, text: { family, weight, fontSizePerEm: size / capPx, inkLeftEm, strokeEm } };
}

// ---- the renderer -------------------------------------------------------------------------------

/** Renders one frame; the same spec always gives the same bytes. */
export async function renderFrame(spec: FrameSpec): Promise<RenderedFrame> {
  checkSpec(spec);
  const rng = new Rng(`chipmark-frame:${spec.seed}`);
  const body = BODY_MM[spec.size];
  const underlined = spec.text.endsWith("_");
  const chars = underlined ? spec.text.slice(0, -1) : spec.text;
  const hasChip = spec.scene === "chip" || spec.scene === "blank-body";
  const printed = spec.scene === "chip" ? chars : "";
  const metrics = await fontMetrics(spec.font);

  // Scale: the character height is given, the body width follows from the print proportions.
  const lay = rng.fork("layout");
  let textOfW = lay.range(...TEXT_HEIGHT_OF_W);
  let squeeze = 1;
  const ch = spec.charHeightPx;
  if (printed.length > 0) {
    const codeEm = (printed.length - 1) * metrics.advance + metrics.width;
    const room = (body.L - 2 * body.C) * TEXT_FILL_BETWEEN_CAPS;
    const fit = room / (codeEm * textOfW * body.W);
    if (fit < 1) {
      squeeze = Math.min(1, Math.max(MIN_SQUEEZE, fit, MIN_GLYPH_WIDTH_EM / metrics.width));
      textOfW *= Math.min(1, fit / squeeze);   // shrink only what squeezing cannot fit
    }
  }
  const pxPerMm = ch / (textOfW * body.W);
  const Lp = body.L * pxPerMm, Wp = body.W * pxPerMm, Cp = body.C * pxPerMm;

  // Frame: the (skewed) chip plus a margin of board, within the camera window for the size.
  const theta = spec.orientation + spec.skewDeg;
  const [limLong, limShort] = SMALL_SIZES.includes(spec.size) ? MAX_FRAME_SMALL : MAX_FRAME_LARGE;
  const c = Math.abs(Math.cos(theta * DEG)), s = Math.abs(Math.sin(theta * DEG));
  const hx = (c * Lp + s * Wp) / 2, hy = (s * Lp + c * Wp) / 2;
  const vertical = spec.orientation === 90 || spec.orientation === 270;
  const wide = spec.margin ?? 1;
  const mLong = lay.range(0.3, 0.6) * Wp * wide, mShort = lay.range(0.2, 0.45) * Wp * wide;
  const [limX, limY] = vertical ? [limShort, limLong] : [limLong, limShort];
  let [mX, mY] = vertical ? [mShort, mLong] : [mLong, mShort];
  mX = clamp(mX, 0.1 * Wp, Math.max(2, (limX - 2 * hx) / 2));
  mY = clamp(mY, 0.1 * Wp, Math.max(2, (limY - 2 * hy) / 2));
  const width = Math.min(limX, Math.ceil(2 * (hx + mX)));
  const height = Math.min(limY, Math.ceil(2 * (hy + mY)));
  const cx = width / 2 + lay.range(-0.3, 0.3) * Math.min(mX, width / 2 - hx);
  const cy = height / 2 + lay.range(-0.3, 0.3) * Math.min(mY, height / 2 - hy);
  const frameT = affine(theta, cx, cy);

  // The marking. Glyph geometry is scaled so that the ink, stroke included, is exactly ch tall:
  // a stroke font's centre lines get a round stroke (pad = its width); a desktop font's outlines
  // get an extra stroke (pad) only where the face is thinner than the requested ink. A printer
  // does not close a narrow glyph's counters, so the stroke stays under ~40 % of the glyph width.
  const k = MAX_STROKE_OF_GLYPH_WIDTH * metrics.width * squeeze;
  const ink = Math.min(spec.effects.inkThickness, k / (1 + k));
  const strokePx = Math.max(ink, metrics.text?.strokeEm ?? 0) * ch;
  const pad = metrics.text ? Math.max(0, ink - metrics.text.strokeEm) * ch : strokePx;
  const emY = ch - pad;
  const emX = emY * squeeze;
  const padX = (metrics.text ? pad * squeeze : pad) / 2;   // <text> is squeezed whole, strokes are not
  const uThick = lay.range(...UNDERLINE_THICKNESS_OF_CH) * ch;
  const uGap = lay.range(...UNDERLINE_GAP_OF_CH) * ch;
  const blockH = ch + (underlined ? uGap + uThick : 0);
  const codeW = printed.length > 0 ? ((printed.length - 1) * metrics.advance + metrics.width) * emX + 2 * padX : 0;
  const roomX = Math.max(0, (Lp - 2 * Cp - codeW) / 2);
  // Centred, with the little misregistration and rotation that screen printing has.
  const printT = affine(lay.range(-1.5, 1.5), lay.range(-0.25, 0.25) * roomX, lay.range(-0.05, 0.05) * Wp);
  const left = -codeW / 2 + padX;            // design x = 0 of the first cell
  const top = -blockH / 2 + pad / 2;         // design y = 0 (cap line)
  const cellX = (i: number) => left + i * metrics.advance * emX;

  const glyphBoxes: Box[] = [];
  for (let i = 0; i < printed.length; i++) {
    const g = metrics.glyphs[printed[i]];
    glyphBoxes.push(boxThrough(cellX(i) + g.x0 * emX - padX, top + g.y0 * emY - pad / 2,
      cellX(i) + g.x1 * emX + padX, top + g.y1 * emY + pad / 2, printT, frameT));
  }
  let underline: Box | null = null;
  let uSeg: [number, number, number] | null = null;  // x0, x1, y centre in print space
  if (underlined && spec.scene === "chip") {
    const full = codeW, short = spec.underlineStyle === "short";
    const len = short ? full * lay.range(0.45, 0.8) : full * lay.range(0.95, 1.08);
    const x0 = short ? -codeW / 2 + lay.range(0, full - len) : -len / 2;
    const yc = -blockH / 2 + ch + uGap + uThick / 2;
    uSeg = [x0, x0 + len, yc];
    underline = boxThrough(x0, yc - uThick / 2, x0 + len, yc + uThick / 2, printT, frameT);
  }

  const art = new Art(rng.fork("art"), spec, { Lp, Wp, Cp, pxPerMm, width, height });
  const inkSvg = printed.length > 0 || uSeg
    ? art.ink(printed, metrics, { cellX, top, emX, emY, pad, strokePx }, uSeg, uThick)
    : "";
  const svg = art.scene(hasChip, theta, cx, cy, printT, inkSvg);

  const data = await develop(svg, width, height, spec.effects, rng.fork("camera"));
  const bodyCorners = hasChip
    ? ([[-Lp / 2, -Wp / 2], [Lp / 2, -Wp / 2], [Lp / 2, Wp / 2], [-Lp / 2, Wp / 2]] as Pt[])
        .map((p) => apply(frameT, p).map(round2) as [number, number])
    : null;
  return {
    data,
    ext: spec.effects.jpegQuality === null ? "png" : "jpg",
    width,
    height,
    truth: {
      text: spec.scene === "chip" ? spec.text : "",
      bodyCorners,
      glyphBoxes,
      underline,
      orientation: spec.orientation,
      charHeightPx: ch,
    },
  };
}

function checkSpec(spec: FrameSpec): void {
  const chars = spec.text.endsWith("_") ? spec.text.slice(0, -1) : spec.text;
  for (const c of chars) if (!CHARSET.includes(c)) throw new RangeError(`text "${spec.text}" has "${c}"; fonts draw ${CHARSET}`);
  if (!(spec.size in BODY_MM)) throw new RangeError(`size "${spec.size}"; expected one of ${Object.keys(BODY_MM).join(", ")}`);
  if (![0, 90, 180, 270].includes(spec.orientation)) throw new RangeError(`orientation ${spec.orientation}; expected 0, 90, 180 or 270`);
  if (!(spec.charHeightPx >= 8 && spec.charHeightPx <= 60)) throw new RangeError(`charHeightPx ${spec.charHeightPx}; expected 8–60 (the test set uses 12–40)`);
  if (!FONT_IDS.includes(spec.font)) throw new RangeError(`font "${spec.font}"; expected one of ${FONT_IDS.join(", ")}`);
  if (spec.effects.jpegQuality !== null && !(spec.effects.jpegQuality >= 1 && spec.effects.jpegQuality <= 100)) {
    throw new RangeError(`jpegQuality ${spec.effects.jpegQuality}; expected 1–100 or null`);
  }
}

// ---- the SVG scene ------------------------------------------------------------------------------

interface Dims { Lp: number; Wp: number; Cp: number; pxPerMm: number; width: number; height: number }
/** Where the ink goes, in print coordinates: see renderFrame. */
interface InkLayout { cellX: (i: number) => number; top: number; emX: number; emY: number; pad: number; strokePx: number }

/** Builds the SVG markup of a scene; one instance per frame, drawing from the frame's random stream. */
class Art {
  private defs: string[] = [];
  private ids = 0;

  constructor(private rng: Rng, private spec: FrameSpec, private d: Dims) {}

  private id(prefix: string): string {
    return `${prefix}${this.ids++}`;
  }
  private mm(x: number): number {
    return x * this.d.pxPerMm;
  }
  private seed(): number {
    return this.rng.int(1, 100000);
  }

  /**
   * A fractal-noise texture laid over what is under it (overlay blending: multiplies into dark
   * areas, screens into bright ones). freqPerMm sets the grain in mm, so texture scales with the
   * chip, not with the pixel grid; contrast 0–1 sets its strength.
   */
  private texture(x0: number, y0: number, x1: number, y1: number, freqPerMm: number | [number, number], octaves: number,
    contrast: number, rx = 0): string {
    const id = this.id("n");
    const [fx, fy] = typeof freqPerMm === "number" ? [freqPerMm, freqPerMm] : freqPerMm;
    const bx = clamp(fx / this.d.pxPerMm, 0.002, 0.9), by = clamp(fy / this.d.pxPerMm, 0.002, 0.9);
    const k = contrast * 4;   // fractal noise spreads about ±0.12 around 0.5
    this.defs.push(`<filter id="${id}" x="0" y="0" width="1" height="1" color-interpolation-filters="sRGB">` +
      `<feTurbulence type="fractalNoise" baseFrequency="${bx.toFixed(4)} ${by.toFixed(4)}" numOctaves="${octaves}" seed="${this.seed()}"/>` +
      `<feColorMatrix type="matrix" values="${n2(k)} 0 0 0 ${n2(0.5 - k / 2)} ${n2(k)} 0 0 0 ${n2(0.5 - k / 2)} ${n2(k)} 0 0 0 ${n2(0.5 - k / 2)} 0 0 0 0 1"/>` +
      `<feComposite in2="SourceAlpha" operator="in"/></filter>`);
    return this.rect(x0, y0, x1, y1, "#808080", `${rx ? `rx="${n2(rx)}" ` : ""}filter="url(#${id})" style="mix-blend-mode:overlay"`);
  }

  private blurFilter(sigmaPx: number): string {
    const id = this.id("b");
    this.defs.push(`<filter id="${id}" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${n2(sigmaPx)}"/></filter>`);
    return id;
  }

  private linear(stops: [number, RGB, number?][], x1: number, y1: number, x2: number, y2: number): string {
    const id = this.id("g");
    this.defs.push(`<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${n2(x1)}" y1="${n2(y1)}" x2="${n2(x2)}" y2="${n2(y2)}">` +
      stops.map(([o, c, a]) => `<stop offset="${n2(o)}" stop-color="${rgb(c)}"${a === undefined ? "" : ` stop-opacity="${n2(a)}"`}/>`).join("") +
      `</linearGradient>`);
    return id;
  }

  private rect(x0: number, y0: number, x1: number, y1: number, fill: string, extra = ""): string {
    return `<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(x1 - x0)}" height="${n2(y1 - y0)}" fill="${fill}" ${extra}/>`;
  }

  scene(hasChip: boolean, theta: number, cx: number, cy: number, printT: Affine, inkSvg: string): string {
    const { width, height } = this.d;
    // The background is drawn turned with the chip, so it must reach the farthest frame corner.
    const reach = Math.max(...[[0, 0], [width, 0], [0, height], [width, height]].map(([x, y]) => Math.hypot(x - cx, y - cy))) + 2;
    const parts: string[] = [];
    const surround = this.spec.scene === "empty-pocket" ? (this.spec.surround === "board" ? "paper-tape" : this.spec.surround)
      : this.spec.scene === "bare-board" ? "board" : this.spec.surround;
    if (surround === "board") parts.push(this.board(reach, hasChip));
    else parts.push(this.tape(reach, surround === "embossed-tape"));
    if (hasChip) {
      parts.push(this.shadow());
      parts.push(this.body());
      if (inkSvg) {
        parts.push(`<g transform="translate(${n2(printT.tx)} ${n2(printT.ty)}) rotate(${n2(Math.atan2(printT.sin, printT.cos) / DEG)})">${inkSvg}</g>`);
      }
      parts.push(this.glare());
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `<defs>${this.defs.join("")}</defs>` +
      `<rect width="${width}" height="${height}" fill="#202020"/>` +
      `<g transform="translate(${n2(cx)} ${n2(cy)}) rotate(${n2(theta)})">${parts.join("")}</g></svg>`;
  }

  // A green solder-masked board with pads, solder fillets, a faint trace and maybe silkscreen.
  private board(reach: number, hasChip: boolean): string {
    const r = this.rng, { Lp, Wp, Cp } = this.d;
    const mask = jitter(r, r.pick<RGB>([[34, 92, 52], [26, 78, 46], [44, 108, 62], [30, 84, 70], [22, 66, 40]]), 8);
    const out: string[] = [];
    out.push(this.rect(-reach, -reach, reach, reach, rgb(mask)));
    // Copper under the mask shows as lighter green: a trace leaving one pad, a plane edge.
    const traceW = this.mm(r.range(0.12, 0.3));
    const lighter = rgb(scale(mask, r.range(1.12, 1.3)));
    if (r.chance(0.7)) {
      const side = r.pick([-1, 1]);
      const ty = r.range(-0.2, 0.2) * Wp;
      out.push(this.rect(side > 0 ? 0 : -reach, ty - traceW / 2, side > 0 ? reach : 0, ty + traceW / 2, lighter));
    }
    if (r.chance(0.4)) {
      const edge = r.pick([-1, 1]) * (Wp / 2 + this.mm(r.range(0.25, 0.6)));
      out.push(this.rect(-reach, edge > 0 ? edge : -reach, reach, edge > 0 ? reach : edge, lighter, `opacity="${n2(r.range(0.4, 0.8))}"`));
    }
    // Mask texture: fine grain and slow blotches.
    out.push(this.texture(-reach, -reach, reach, reach, r.range(18, 40), 2, r.range(0.05, 0.12)));
    out.push(this.texture(-reach, -reach, reach, reach, r.range(1.5, 4), 2, r.range(0.05, 0.12)));
    // Silkscreen outline around the part: a real distractor that is not marking ink.
    if (r.chance(0.35)) {
      const sx = Lp / 2 + this.mm(r.range(0.35, 0.6)), sy = Wp / 2 + this.mm(r.range(0.15, 0.3));
      const silk = rgb(jitter(r, [225, 228, 220], 10)), sw = this.mm(r.range(0.1, 0.15));
      out.push(`<path d="M${n2(-sx * 0.6)} ${n2(-sy)}H${n2(-sx)}V${n2(sy)}H${n2(-sx * 0.6)}M${n2(sx * 0.6)} ${n2(-sy)}H${n2(sx)}V${n2(sy)}H${n2(sx * 0.6)}" ` +
        `fill="none" stroke="${silk}" stroke-width="${n2(sw)}" opacity="${n2(r.range(0.7, 0.95))}"/>`);
    }
    // Land pattern: pad width a little over W, reaching past the body ends.
    const finish = r.weighted<RGB>([[[196, 196, 190], 5], [[212, 176, 98], 3], [[192, 128, 88], 1]]);
    const padW = Wp * r.range(1.08, 1.3);
    const outer = Lp / 2 + Wp * r.range(0.28, 0.45);
    const inner = (Lp / 2 - Cp) * r.range(0.45, 0.65);
    for (const side of [-1, 1]) {
      const [x0, x1] = side < 0 ? [-outer, -inner] : [inner, outer];
      const pad = this.linear([[0, scale(finish, 0.8)], [0.5, finish], [1, scale(finish, 0.85)]], 0, -padW / 2, 0, padW / 2);
      out.push(this.rect(x0, -padW / 2, x1, padW / 2, `url(#${pad})`, `rx="${n2(Wp * 0.04)}"`));
      out.push(this.texture(x0, -padW / 2, x1, padW / 2, r.range(10, 25), 2, r.range(0.04, 0.09), Wp * 0.04));
      if (hasChip || r.chance(0.6)) out.push(this.solder(side, hasChip, outer, padW));
    }
    return out.join("");
  }

  /** Reflowed solder: a fillet climbing the end cap (with a chip) or a dome on the pad (without). */
  private solder(side: number, hasChip: boolean, outer: number, padW: number): string {
    const r = this.rng, { Lp, Wp, Cp } = this.d;
    const tin = r.range(150, 205);
    const grey: RGB = [tin, tin, tin * 0.98];
    const x0 = hasChip ? Lp / 2 - Cp * 0.15 : (Lp / 2 - Cp) * 0.7;
    const x1 = hasChip ? Lp / 2 + (outer - Lp / 2) * r.range(0.6, 0.95) : outer - Wp * 0.05;
    const yh = hasChip ? Wp / 2 * r.range(1.0, 1.08) : padW / 2 * 0.85;
    const [a, b] = side > 0 ? [x0, x1] : [-x1, -x0];
    // The concave meniscus throws light away from the camera near the cap and back at its toe.
    const stops: [number, RGB][] = hasChip
      ? [[0, scale(grey, 0.55)], [0.35, scale(grey, 0.8)], [0.7, scale(grey, 1.15)], [1, scale(grey, 0.7)]]
      : [[0, scale(grey, 0.7)], [0.3, scale(grey, 1.2)], [0.55, scale(grey, 0.9)], [1, scale(grey, 0.65)]];
    const g = this.linear(side > 0 ? stops : stops.map(([o, c]) => [1 - o, c] as [number, RGB]).reverse(), a, 0, b, 0);
    const rx = Math.min(Wp * 0.2, (b - a) / 2);
    return this.rect(a, -yh, b, yh, `url(#${g})`, `rx="${n2(rx)}"`) +
      this.texture(a, -yh, b, yh, r.range(6, 14), 2, r.range(0.08, 0.18), rx);
  }

  // Carrier tape: beige paper with a punched pocket, or black embossed plastic.
  private tape(reach: number, embossed: boolean): string {
    const r = this.rng, { Lp, Wp } = this.d;
    const out: string[] = [];
    const carrier: RGB = embossed ? jitter(r, [38, 38, 40], 6) : jitter(r, r.pick<RGB>([[206, 190, 156], [196, 184, 160], [214, 204, 180]]), 8);
    const floor: RGB = embossed ? scale(carrier, r.range(1.2, 1.6)) : jitter(r, [150, 146, 136], 20);
    out.push(this.rect(-reach, -reach, reach, reach, rgb(carrier)));
    out.push(this.texture(-reach, -reach, reach, reach, embossed ? 30 : [r.range(2, 5), r.range(15, 30)], 3, embossed ? 0.1 : r.range(0.25, 0.4)));
    const px = Lp / 2 + this.mm(r.range(0.1, 0.2)), py = Wp / 2 + this.mm(r.range(0.1, 0.2));
    const ox = r.range(-0.4, 0.4) * this.mm(0.1), oy = r.range(-0.4, 0.4) * this.mm(0.1);
    const [x0, y0, x1, y1] = [ox - px, oy - py, ox + px, oy + py];
    out.push(this.rect(x0, y0, x1, y1, rgb(floor), `rx="${n2(this.mm(0.05))}"`));
    out.push(this.texture(x0, y0, x1, y1, 12, 2, 0.15));
    // The pocket wall: dark on the shadow side, a thin bright rim where the light catches it.
    const wall = this.mm(r.range(0.03, 0.07));
    const dark = embossed ? "#0c0c0c" : rgb(scale(carrier, 0.45));
    out.push(`<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(x1 - x0)}" height="${n2(y1 - y0)}" fill="none" stroke="${dark}" stroke-width="${n2(wall * 2)}" filter="url(#${this.blurFilter(wall * 0.8)})"/>`);
    if (embossed) {
      out.push(`<rect x="${n2(x0 - wall)}" y="${n2(y0 - wall)}" width="${n2(x1 - x0 + 2 * wall)}" height="${n2(y1 - y0 + 2 * wall)}" fill="none" stroke="#9a9a9a" stroke-width="${n2(wall * 0.6)}" opacity="0.6"/>`);
    }
    return out.join("");
  }

  private shadow(): string {
    const r = this.rng, { Lp, Wp } = this.d;
    const dx = this.mm(r.range(-0.06, 0.06)), dy = this.mm(r.range(-0.06, 0.06));
    const grow = this.mm(0.04);
    return this.rect(-Lp / 2 - grow + dx, -Wp / 2 - grow + dy, Lp / 2 + grow + dx, Wp / 2 + grow + dy, "#000",
      `opacity="${n2(r.range(0.35, 0.7))}" filter="url(#${this.blurFilter(this.mm(r.range(0.04, 0.1)))})"`);
  }

  // Dark body with its overcoat, bright tinned end caps of true length C at both ends.
  private body(): string {
    const r = this.rng, { Lp, Wp, Cp } = this.d;
    const out: string[] = [];
    const k = r.range(25, 70);
    const tint = r.weighted<RGB>([[[0, 0, 0], 4], [[-2, 1, 6], 3], [[-2, 5, 2], 2], [[4, 2, -2], 1]]);
    const base: RGB = [k + tint[0], k + tint[1], k + tint[2]];
    const corner = Wp * 0.04;
    out.push(this.rect(-Lp / 2, -Wp / 2, Lp / 2, Wp / 2, rgb(scale(base, 0.85)), `rx="${n2(corner)}"`));
    // The alumina substrate shows as a pale line along the long edges on many chips.
    if (r.chance(0.45)) {
      const e = this.mm(r.range(0.015, 0.035));
      const pale = rgb(jitter(r, [150, 148, 140], 25));
      for (const y of [-Wp / 2, Wp / 2 - e]) out.push(this.rect(-Lp / 2 + Cp, y, Lp / 2 - Cp, y + e, pale, `opacity="${n2(r.range(0.4, 0.85))}"`));
    }
    // Overcoat: a slightly raised, slightly different shade, with a soft sheen across it.
    const inset = this.mm(r.range(0.02, 0.06));
    const ox0 = -Lp / 2 + Cp - this.mm(r.range(0, 0.04)), ox1 = Lp / 2 - Cp + this.mm(r.range(0, 0.04));
    const sheenAt = r.range(0.2, 0.8);
    const coat = this.linear([[0, scale(base, 0.9)], [sheenAt, scale(base, r.range(1.05, 1.3))], [1, scale(base, 0.95)]],
      0, -Wp / 2, r.range(-0.3, 0.3) * Wp, Wp / 2);
    out.push(this.rect(ox0, -Wp / 2 + inset, ox1, Wp / 2 - inset, `url(#${coat})`, `rx="${n2(Wp * 0.08)}"`));
    out.push(this.texture(ox0, -Wp / 2 + inset, ox1, Wp / 2 - inset, r.range(20, 45), 2, r.range(0.08, 0.18), Wp * 0.08));
    // End caps: tin, brightest where the flat top faces the ring light, dark where it rolls over.
    const tin = r.range(185, 240);
    const metal: RGB = [tin, tin, tin * r.range(0.96, 1.0)];
    for (const side of [-1, 1]) {
      const xi = side * (Lp / 2 - Cp), xo = side * Lp / 2;
      const bulge = Wp * 0.015;
      const g = this.linear([[0, scale(metal, 0.72)], [0.25, scale(metal, 1.05)], [0.6, scale(metal, 0.92)], [0.88, scale(metal, 0.8)], [1, scale(metal, 0.45)]],
        xi, 0, xo, 0);
      const [a, b] = side < 0 ? [xo, xi] : [xi, xo];
      out.push(this.rect(a, -Wp / 2 - bulge, b, Wp / 2 + bulge, `url(#${g})`, `rx="${n2(Wp * 0.05)}"`));
      const across = this.linear([[0, [0, 0, 0], 0.35], [0.3, [255, 255, 255], 0.12], [0.5, [0, 0, 0], 0], [0.8, [255, 255, 255], 0.1], [1, [0, 0, 0], 0.4]],
        0, -Wp / 2, 0, Wp / 2);
      out.push(this.rect(a, -Wp / 2 - bulge, b, Wp / 2 + bulge, `url(#${across})`, `rx="${n2(Wp * 0.05)}"`));
      out.push(this.texture(a, -Wp / 2 - bulge, b, Wp / 2 + bulge, r.range(8, 20), 3, r.range(0.06, 0.14), Wp * 0.05));
    }
    return out.join("");
  }

  /** The ring light's reflection on the glossy overcoat: lowers the ink's contrast where it falls. */
  private glare(): string {
    const r = this.rng, { Lp, Wp } = this.d;
    if (!r.chance(0.45)) return "";
    const gx = r.range(-0.35, 0.35) * Lp, gy = r.range(-0.3, 0.3) * Wp;
    const id = this.id("r");
    this.defs.push(`<radialGradient id="${id}"><stop offset="0" stop-color="#fff" stop-opacity="${n2(r.range(0.06, 0.22))}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>`);
    return `<ellipse cx="${n2(gx)}" cy="${n2(gy)}" rx="${n2(Wp * r.range(0.4, 0.9))}" ry="${n2(Wp * r.range(0.25, 0.5))}" fill="url(#${id})"/>`;
  }

  /** Screen-printed ink: the code (and underline) in print coordinates, mottled and slightly soft. */
  ink(printed: string, metrics: FontMetrics, lay: InkLayout, uSeg: [number, number, number] | null, uThick: number): string {
    const r = this.rng, fx = this.spec.effects;
    const { cellX, top, emX, emY, pad, strokePx: sw } = lay;
    const brightness = fx.inkBrightness;
    const colour = rgb([brightness * r.range(0.97, 1.0), brightness * r.range(0.98, 1.0), brightness * r.range(0.96, 1.0)]);
    const parts: string[] = [];
    const dash = fx.dotted ? ` stroke-dasharray="0.01 ${n2(sw * r.range(0.8, 1.25))}"` : "";

    if (metrics.text) {
      // Desktop font: one <text> per cell, its outline's cap height emY, thickened by `pad`.
      const t = metrics.text;
      const squeeze = emX / emY;
      const fs = emY * t.fontSizePerEm;
      for (let i = 0; i < printed.length; i++) {
        const c = printed[i], g = metrics.glyphs[c];
        const x = cellX(i) + g.x0 * emX - t.inkLeftEm[c] * emX;
        const y = top + emY;   // baseline
        parts.push(`<text x="0" y="0" transform="translate(${n2(x)} ${n2(y)}) scale(${n2(squeeze)} 1)" font-family="${t.family}" font-weight="${t.weight}" font-size="${n2(fs)}" fill="${colour}"` +
          (pad > 0 ? ` stroke="${colour}" stroke-width="${n2(pad)}" stroke-linejoin="round"` : "") + `>${c}</text>`);
      }
    } else {
      const font = STROKE_FONTS[this.spec.font as StrokeFontId];
      const path: string[] = [];
      for (let i = 0; i < printed.length; i++) {
        const glyph: Glyph = font.glyphs[printed[i]];
        const strokes = fx.brokenStrokes > 0 ? breakStrokes(glyph, fx.brokenStrokes, sw / emY, r) : glyph;
        for (const s of strokes) {
          path.push(s.map(([x, y], j) => `${j ? "L" : "M"}${n2(cellX(i) + x * emX)} ${n2(top + y * emY)}`).join(""));
        }
      }
      parts.push(`<path d="${path.join("")}" fill="none" stroke="${colour}" stroke-width="${n2(sw)}" stroke-linecap="round" stroke-linejoin="round"${dash}/>`);
    }
    if (uSeg) {
      const [x0, x1, y] = uSeg;
      const dotted = this.spec.underlineStyle === "dotted";
      const ud = dotted ? ` stroke-dasharray="0.01 ${n2(uThick * r.range(1.2, 1.8))}"` : "";
      parts.push(`<path d="M${n2(x0 + uThick / 2)} ${n2(y)}H${n2(x1 - uThick / 2)}" stroke="${colour}" stroke-width="${n2(uThick)}" stroke-linecap="${dotted ? "round" : "square"}"${ud}/>`);
    }

    // Masks for what the stroke path cannot do itself: dots and gaps in desktop-font glyphs.
    let mask = "";
    if (metrics.text && (fx.dotted || fx.brokenStrokes > 0)) {
      const id = this.id("m");
      const span = printed.length * metrics.advance * emX + 2 * sw, h = emY + 4 * sw;
      const x0 = cellX(0) - 2 * sw, y0 = top - 2 * sw;
      let holes = "";
      if (fx.dotted) {
        const pid = this.id("p"), p = sw * r.range(0.75, 1.1);
        this.defs.push(`<pattern id="${pid}" patternUnits="userSpaceOnUse" width="${n2(p)}" height="${n2(p)}" patternTransform="rotate(${n2(r.range(20, 70))})">` +
          `<rect width="${n2(p)}" height="${n2(p)}" fill="#000"/><circle cx="${n2(p / 2)}" cy="${n2(p / 2)}" r="${n2(p * 0.5)}" fill="#fff"/></pattern>`);
        holes += `<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(span + 2 * sw)}" height="${n2(h + 2 * uThick + emY)}" fill="url(#${pid})"/>`;
      } else {
        holes += `<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(span + 2 * sw)}" height="${n2(h + 2 * uThick + emY)}" fill="#fff"/>`;
      }
      const gaps = Math.round(fx.brokenStrokes * printed.length * 5);
      for (let k = 0; k < gaps; k++) {
        const gx = cellX(0) + r.next() * (span - 2 * sw), gy = top + r.next() * emY, a = r.range(0, 180) * DEG;
        const len = sw * r.range(1.5, 2.5);
        holes += `<path d="M${n2(gx - Math.cos(a) * len / 2)} ${n2(gy - Math.sin(a) * len / 2)}L${n2(gx + Math.cos(a) * len / 2)} ${n2(gy + Math.sin(a) * len / 2)}" stroke="#000" stroke-width="${n2(sw * r.range(0.3, 0.6))}"/>`;
      }
      this.defs.push(`<mask id="${id}" maskUnits="userSpaceOnUse" x="${n2(x0 - sw)}" y="${n2(y0 - sw)}" width="${n2(span + 6 * sw)}" height="${n2(h * 2 + 4 * sw)}">${holes}</mask>`);
      mask = ` mask="url(#${id})"`;
    }

    // Ink is never uniform: fractal noise in its alpha, then a slight spread into the coat. The
    // noise thins the ink, never to nothing (INK_FLOOR): a patch wider than a stroke with no ink
    // at all erased whole strokes, and a 1R80 showed 1R30, a 180 showed 130 — frames whose
    // label was not what they show. Where the screen leaves no ink is breakStrokes' and dotted's.
    const fid = this.id("i");
    const freq = clamp(r.range(0.25, 0.6) / sw, 0.02, 0.9);
    const patchy = r.range(1.5, 4);
    this.defs.push(`<filter id="${fid}" x="-20%" y="-20%" width="140%" height="140%" color-interpolation-filters="sRGB">` +
      `<feTurbulence type="fractalNoise" baseFrequency="${n2(freq)}" numOctaves="2" seed="${this.seed()}" result="n"/>` +
      `<feColorMatrix in="n" type="matrix" values="0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 ${n2(patchy)} 0 0 0 ${n2(1.05 - patchy * 0.45)}" result="m"/>` +
      `<feComponentTransfer in="m" result="a"><feFuncA type="linear" slope="${n2(1 - INK_FLOOR)}" intercept="${n2(INK_FLOOR)}"/></feComponentTransfer>` +
      `<feComposite in="SourceGraphic" in2="a" operator="in" result="t"/>` +
      `<feGaussianBlur in="t" stdDeviation="${n2(Math.max(0.2, sw * r.range(0.06, 0.18)))}"/></filter>`);
    return `<g filter="url(#${fid})"><g${mask}>${parts.join("")}</g></g>`;
  }
}

/** The least share of its strength the ink keeps under the mottle. */
const INK_FLOOR = 0.2;

/**
 * Cuts random gaps into a glyph's strokes, as where the screen did not pass ink. `amount` 0–1
 * sets the number of gaps; each is about one stroke width long (`swEm`, in em). A gap drawn
 * within a stroke width of another on the same stroke is dropped: merged, they erased a whole
 * stroke (three on the lower left of a flat-left 6 left a 5, and the frame's label was not what
 * it showed).
 */
function breakStrokes(glyph: Glyph, amount: number, swEm: number, rng: Rng): Glyph {
  const lengths = glyph.map(strokeLength);
  const total = lengths.reduce((a, b) => a + b, 0);
  const count = Math.round(amount * 3 + rng.range(0, amount * 2));
  const cuts: [number, number][][] = glyph.map(() => []);
  for (let k = 0; k < count; k++) {
    let at = rng.next() * total, i = 0;
    while (i < lengths.length - 1 && at > lengths[i]) { at -= lengths[i]; i++; }
    const len = swEm * rng.range(0.5, 1.3);
    const [a, b] = [at - len / 2, at + len / 2];
    if (cuts[i].some(([c, d]) => a < d + swEm && b > c - swEm)) continue;
    cuts[i].push([a, b]);
  }
  const out: Glyph = [];
  glyph.forEach((s, i) => out.push(...cutStroke(s, cuts[i])));
  return out;
}

function strokeLength(s: Stroke): number {
  let len = 0;
  for (let i = 1; i < s.length; i++) len += Math.hypot(s[i][0] - s[i - 1][0], s[i][1] - s[i - 1][1]);
  return len;
}

/** Removes the arc-length intervals `gaps` from a polyline, returning the pieces left. */
function cutStroke(s: Stroke, gaps: [number, number][]): Stroke[] {
  if (gaps.length === 0) return [s];
  const inGap = (d: number) => gaps.some(([a, b]) => d > a && d < b);
  const STEP = 0.01;   // em: fine enough that a cut ends where it should
  const pieces: Stroke[] = [];
  let cur: Stroke = [];
  let d = 0;
  for (let i = 1; i < s.length; i++) {
    const [x0, y0] = s[i - 1], [x1, y1] = s[i];
    const seg = Math.hypot(x1 - x0, y1 - y0);
    const n = Math.max(1, Math.ceil(seg / STEP));
    for (let k = i === 1 ? 0 : 1; k <= n; k++) {
      const t = k / n, p: Pt = [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t];
      if (inGap(d + seg * t)) {
        if (cur.length > 1) pieces.push(cur);
        cur = [];
      } else {
        cur.push(p);
      }
    }
    d += seg;
  }
  if (cur.length > 1) pieces.push(cur);
  return pieces.map(simplify);
}

/** Drops collinear points left by resampling, so the SVG stays small. */
function simplify(s: Stroke): Stroke {
  if (s.length < 3) return s;
  const out: Stroke = [s[0]];
  for (let i = 1; i < s.length - 1; i++) {
    const [ax, ay] = out[out.length - 1], [bx, by] = s[i], [cx, cy] = s[i + 1];
    if (Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) > 1e-7) out.push(s[i]);
  }
  out.push(s[s.length - 1]);
  return out;
}

// ---- the camera ---------------------------------------------------------------------------------

/** Rasterises the scene and degrades it like a camera: light falloff, blur, noise, compression. */
async function develop(svg: string, width: number, height: number, fx: FrameEffects, rng: Rng): Promise<Buffer> {
  const { data } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });

  // Uneven light: a tilted plane of gain plus a soft hot spot of the ring light.
  const g = fx.lightGradient;
  const dir = rng.range(0, 2 * Math.PI), slope = g * 0.9;
  const hx = rng.range(0.2, 0.8) * width, hy = rng.range(0.2, 0.8) * height, hr = Math.max(width, height) * rng.range(0.4, 0.8);
  const hot = g * rng.range(0.1, 0.35), exposure = rng.range(0.92, 1.08);
  const diag = Math.hypot(width, height);
  const wb: RGB = fx.monochrome ? [1, 1, 1] : [rng.range(0.94, 1.06), 1, rng.range(0.92, 1.06)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = ((x - width / 2) * Math.cos(dir) + (y - height / 2) * Math.sin(dir)) / diag;
      const gain = exposure * (1 + slope * u + hot * Math.exp(-((x - hx) ** 2 + (y - hy) ** 2) / (hr * hr)));
      const i = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) data[i + ch] = clamp(Math.round(data[i + ch] * gain * wb[ch]), 0, 255);
    }
  }

  let img = sharp(data, { raw: { width, height, channels: 3 } });
  if (fx.blurSigma >= 0.3) img = img.blur(fx.blurSigma);
  const blurred = await img.raw().toBuffer();

  // Sensor noise: mostly in luminance, a little in colour, stronger in the bright parts.
  for (let p = 0; p < width * height; p++) {
    const i = p * 3;
    const luma = fx.monochrome ? 0.299 * blurred[i] + 0.587 * blurred[i + 1] + 0.114 * blurred[i + 2] : -1;
    const n = rng.normal() * fx.noiseSigma;
    for (let ch = 0; ch < 3; ch++) {
      const v = luma >= 0 ? luma : blurred[i + ch];
      const shot = 0.7 + 0.6 * (v / 255);
      const chroma = fx.monochrome ? 0 : rng.normal() * fx.noiseSigma * 0.35;
      blurred[i + ch] = clamp(Math.round(v + (n + chroma) * shot), 0, 255);
    }
  }
  const out = sharp(blurred, { raw: { width, height, channels: 3 } });
  return fx.jpegQuality === null
    ? out.png({ compressionLevel: 9 }).toBuffer()
    : out.jpeg({ quality: Math.round(fx.jpegQuality), chromaSubsampling: "4:2:0" }).toBuffer();
}
