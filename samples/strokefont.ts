// Hand-designed stroke fonts that imitate screen-printed chip markings (not desktop fonts).
//
// A glyph is a list of strokes; a stroke is a polyline in em units: x from 0 (left) to the
// font's `width`, y from 0 (cap top) to 1 (baseline). The renderer draws each stroke with round
// caps and joins at a chosen ink thickness, so the fonts carry shape only, not weight.
//
// The fonts differ the way real chip print differs (marking-rules.md section 3): a plain oval
// font; a "flat-left" print font where 8 looks like B, 0 like D and 9 like g; a condensed font
// with straight-sided stadium shapes; and a chamfered font, held out of all training data so the
// reader is tested on a print style it has never seen.

export type Pt = [number, number];
export type Stroke = Pt[];
export type Glyph = Stroke[];

/** The characters every font draws: what RMS markings use, plus letters of the EIA-96 tables. */
export const CHARSET = "0123456789ABCDEFGHRSXYZ";

export type StrokeFontId = "plain" | "flatleft" | "condensed" | "chamfer";

export interface StrokeFont {
  id: StrokeFontId;
  /** Never use for training data: the committed test set keeps it to measure generalisation. */
  heldOut: boolean;
  /** Ink width of a full-width glyph, in em (cap height = 1). */
  width: number;
  /** Distance between character cells, in em: chip print is monospaced. */
  advance: number;
  glyphs: Record<string, Glyph>;
}

// ---- geometry helpers -----------------------------------------------------------------------

const DEG = Math.PI / 180;
/** Points per 90° of arc: smooth at 40 px character height, cheap at 12 px. */
const ARC_STEPS_PER_QUARTER = 6;
const CORNER_STEPS = 6;

/** Elliptic arc from angle a0 to a1 (degrees; 0 = +x, 90 = down, as in image coordinates). */
function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number): Stroke {
  const steps = Math.max(2, Math.ceil((Math.abs(a1 - a0) / 90) * ARC_STEPS_PER_QUARTER));
  const pts: Stroke = [];
  for (let i = 0; i <= steps; i++) {
    const a = (a0 + ((a1 - a0) * i) / steps) * DEG;
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return pts;
}

const oval = (cx: number, cy: number, rx: number, ry: number): Stroke => arc(cx, cy, rx, ry, -90, 270);

/** A polyline from a flat coordinate list: line(x0, y0, x1, y1, ...). */
function line(...xy: number[]): Stroke {
  const pts: Stroke = [];
  for (let i = 0; i + 1 < xy.length; i += 2) pts.push([xy[i], xy[i + 1]]);
  return pts;
}

/** Joins stroke parts into one stroke, dropping the repeated point where two parts meet. */
function join(...parts: Stroke[]): Stroke {
  const out: Stroke = [];
  for (const part of parts) {
    for (const p of part) {
      const last = out[out.length - 1];
      if (!last || Math.hypot(last[0] - p[0], last[1] - p[1]) > 1e-6) out.push(p);
    }
  }
  return out;
}

/** Point symmetry: 9 is a 6 turned upside down in the plain font. */
const turn = (g: Glyph, w: number): Glyph => g.map((s) => s.map(([x, y]) => [w - x, 1 - y] as Pt));

type CornerStyle = "round" | "chamfer";
/** A vertex with the radius of its corner (0 = sharp). */
type V = [number, number, number];

/**
 * A polyline whose corners are rounded (quadratic fillet) or cut (chamfer) with a radius per
 * vertex. One tool draws the box-style print fonts: a D-shaped 0 is a rectangle with small
 * radii on the left and large ones on the right.
 */
function corners(style: CornerStyle, closed: boolean, vs: V[]): Stroke {
  const n = vs.length;
  const out: Stroke = [];
  const at = (i: number) => vs[(i + n) % n];
  for (let i = 0; i < n; i++) {
    const [x, y, r] = vs[i];
    const isEnd = !closed && (i === 0 || i === n - 1);
    if (isEnd || r <= 0) {
      out.push([x, y]);
      continue;
    }
    const [px, py, pr] = at(i - 1);
    const [nx, ny, nr] = at(i + 1);
    const lin = Math.hypot(x - px, y - py);
    const lout = Math.hypot(nx - x, ny - y);
    const d1: Pt = [(x - px) / lin, (y - py) / lin];
    const d2: Pt = [(nx - x) / lout, (ny - y) / lout];
    const cosTurn = Math.min(1, Math.max(-1, d1[0] * d2[0] + d1[1] * d2[1]));
    const interior = Math.PI - Math.acos(cosTurn);
    const t = r / Math.tan(interior / 2);
    // A segment is shared with the neighbouring corner, so each may use half of it; a sharp
    // neighbour (or a stroke end) leaves nearly all of it to this corner.
    const prevSharp = pr <= 0 || (!closed && i - 1 === 0);
    const nextSharp = nr <= 0 || (!closed && i + 1 === n - 1);
    const tin = Math.min(t, lin * (prevSharp ? 0.98 : 0.5));
    const tout = Math.min(t, lout * (nextSharp ? 0.98 : 0.5));
    const a: Pt = [x - d1[0] * tin, y - d1[1] * tin];
    const b: Pt = [x + d2[0] * tout, y + d2[1] * tout];
    if (style === "chamfer") {
      out.push(a, b);
    } else {
      for (let k = 0; k <= CORNER_STEPS; k++) {
        const u = k / CORNER_STEPS;
        const m0 = (1 - u) * (1 - u), m1 = 2 * u * (1 - u), m2 = u * u;
        out.push([m0 * a[0] + m1 * x + m2 * b[0], m0 * a[1] + m1 * y + m2 * b[1]]);
      }
    }
  }
  if (closed) out.push(out[0]);
  return out;
}

// ---- the plain oval font ----------------------------------------------------------------------

function plainFont(): StrokeFont {
  const w = 0.58;
  const h = w / 2;
  const six: Glyph = [join(arc(h, 0.5, h, 0.5, 300, 180), line(0, 0.66)), oval(h, 0.67, h, 0.33)];
  const g: Record<string, Glyph> = {
    "0": [oval(h, 0.5, h, 0.5)],
    "1": [line(w * 0.22, 0.2, w * 0.58, 0, w * 0.58, 1)],
    "2": [join(arc(h, 0.27, h, 0.27, 195, 385), line(0, 1, w, 1))],
    "3": [join(arc(h, 0.255, h * 0.92, 0.255, 200, 450), arc(h, 0.745, h, 0.255, 270, 520))],
    "4": [line(w * 0.72, 1, w * 0.72, 0, 0, 0.68, w, 0.68)],
    "5": [join(line(w * 0.92, 0, w * 0.12, 0, w * 0.07, 0.46), arc(h, 0.67, h, 0.33, 222, 510))],
    "6": six,
    "7": [line(0, 0, w, 0, w * 0.32, 1)],
    "8": [oval(h, 0.25, h * 0.86, 0.25), oval(h, 0.75 - 0.0, h, 0.25)],
    "9": turn(six, w),
    A: [line(0, 1, h, 0, w, 1), line(w * 0.18, 0.64, w * 0.82, 0.64)],
    B: [join(line(0, 0.49, 0, 0, w * 0.6, 0), arc(w * 0.6, 0.245, w * 0.35, 0.245, 270, 450), line(0, 0.49)),
        join(line(0, 0.49, w * 0.6, 0.49), arc(w * 0.6, 0.745, w * 0.4, 0.255, 270, 450), line(0, 1, 0, 0.49))],
    C: [arc(w * 0.54, 0.5, w * 0.54, 0.5, 318, 42)],
    D: [join(line(w * 0.42, 1, 0, 1, 0, 0, w * 0.42, 0), arc(w * 0.42, 0.5, w * 0.58, 0.5, 270, 450))],
    E: [line(w, 0, 0, 0, 0, 1, w, 1), line(0, 0.5, w * 0.8, 0.5)],
    F: [line(w, 0, 0, 0, 0, 1), line(0, 0.5, w * 0.8, 0.5)],
    G: [join(arc(w * 0.52, 0.5, w * 0.52, 0.5, 320, 25), line(w, 0.56, w * 0.55, 0.56))],
    H: [line(0, 0, 0, 1), line(w, 0, w, 1), line(0, 0.5, w, 0.5)],
    R: [join(line(0, 1, 0, 0, w * 0.6, 0), arc(w * 0.6, 0.26, w * 0.4, 0.26, 270, 450), line(0, 0.52)),
        line(w * 0.42, 0.52, w, 1)],
    S: [join(arc(h, 0.255, h, 0.255, 340, 90), arc(h, 0.745, h, 0.255, 270, 520))],
    X: [line(0, 0, w, 1), line(w, 0, 0, 1)],
    Y: [line(0, 0, h, 0.5, w, 0), line(h, 0.5, h, 1)],
    Z: [line(0, 0, w, 0, 0, 1, w, 1)],
  };
  return { id: "plain", heldOut: false, width: w, advance: w + 0.24, glyphs: g };
}

// ---- the box-style print fonts --------------------------------------------------------------

interface BoxStyle {
  id: StrokeFontId;
  heldOut: boolean;
  width: number;
  gap: number;
  corner: CornerStyle;
  /** Corner radius of ordinary corners, in em. */
  r: number;
  /** Left-hand corners of 0, 6, 8 (small = the flat left side seen on real chips). */
  rLeft: number;
  zero: "stadium" | "D";
  eight: "stacked" | "B";
  nine: "turned-6" | "g";
  one: "flag" | "flag-base";
  three: "bowls" | "flat-top";
  four: "closed" | "open";
  a: "box" | "pointed";
}

function boxFont(s: BoxStyle): StrokeFont {
  const w = s.width, R = s.r, Rl = s.rLeft;
  // The round side of a D; a chamfered font cuts it short instead of turning it into a point.
  const big = s.corner === "round" ? w * 0.9 : R * 1.6;
  const stadium = s.corner === "round" ? w : R * 1.3;
  const mid = 0.48;    // waist of 8, B, 3: the upper bowl is a little smaller, as printed
  const P = (closed: boolean, ...vs: V[]) => corners(s.corner, closed, vs);

  const six: Glyph = [P(false, [w * 0.95, 0, 0], [0, 0, Rl], [0, 1, Rl], [w, 1, R], [w, 0.45, R], [0, 0.45, 0])];
  const zero: Glyph = s.zero === "stadium"
    ? [P(true, [0, 0, stadium], [w, 0, stadium], [w, 1, stadium], [0, 1, stadium])]
    : [P(true, [0, 0, Rl], [w, 0, big], [w, 1, big], [0, 1, Rl])];
  const bowls = (rl: number, top: number): Glyph => [
    P(false, [0, mid, 0], [0, 0, rl], [top, 0, R], [top, mid, R], [0, mid, 0]),
    P(false, [0, mid, 0], [w, mid, R], [w, 1, R], [0, 1, rl], [0, mid, 0]),
  ];
  const eight: Glyph = s.eight === "B"
    ? bowls(Rl, w * 0.9)
    : [P(true, [w * 0.07, 0, R], [w * 0.93, 0, R], [w * 0.93, mid, R], [w * 0.07, mid, R]),
       P(true, [0, mid, R], [w, mid, R], [w, 1, R], [0, 1, R])];
  const nine: Glyph = s.nine === "g"
    ? [P(true, [0, 0, R * 1.3], [w, 0, R * 1.3], [w, 0.55, R * 1.3], [0, 0.55, R * 1.3]),
       P(false, [w, 0.3, 0], [w, 1, R * 1.2], [w * 0.05, 1, R * 0.8], [w * 0.05, 0.76, 0])]
    : turn(six, w);
  const one: Glyph = s.one === "flag"
    ? [line(w * 0.2, 0.22, w * 0.58, 0, w * 0.58, 1)]
    : [line(w * 0.15, 0.22, w * 0.55, 0, w * 0.55, 1), line(w * 0.15, 1, w * 0.95, 1)];
  const three: Glyph = s.three === "bowls"
    ? [P(false, [0, 0, 0], [w * 0.9, 0, R], [w * 0.9, mid, R], [w * 0.3, mid, 0]),
       P(false, [w * 0.3, mid, 0], [w, mid, R], [w, 1, R], [0, 1, 0])]
    : [P(false, [0, 0, 0], [w, 0, 0], [w * 0.3, 0.42, 0], [w, 0.42, R], [w, 1, R], [0, 1, 0])];
  const four: Glyph = s.four === "closed"
    ? [line(w * 0.75, 1, w * 0.75, 0, 0, 0.68, w, 0.68)]
    : [line(w * 0.12, 0, 0, 0.68, w, 0.68), line(w * 0.72, 0.3, w * 0.72, 1)];
  const a: Glyph = s.a === "box"
    ? [P(false, [0, 1, 0], [0, 0, R], [w, 0, R], [w, 1, 0]), line(0, 0.55, w, 0.55)]
    : [line(0, 1, w / 2, 0, w, 1), line(w * 0.18, 0.64, w * 0.82, 0.64)];

  const g: Record<string, Glyph> = {
    "0": zero,
    "1": one,
    "2": [P(false, [0, 0.24, 0], [0, 0, R], [w, 0, R], [w, 0.42, R], [0, 1, 0], [w, 1, 0])],
    "3": three,
    "4": four,
    "5": [P(false, [w, 0, 0], [0, 0, 0], [0, 0.45, 0], [w, 0.45, R], [w, 1, R], [0, 1, 0])],
    "6": six,
    "7": [line(0, 0, w, 0, w * 0.35, 1)],
    "8": eight,
    "9": nine,
    A: a,
    B: bowls(0, w * 0.88),
    C: [P(false, [w, 0.2, 0], [w, 0, R], [0, 0, R], [0, 1, R], [w, 1, R], [w, 0.8, 0])],
    // Square-left with a straighter right side than a D-like 0, so D and 0 stay apart when sharp.
    D: [P(true, [0, 0, 0], [w, 0, s.zero === "D" ? w * 0.6 : big], [w, 1, s.zero === "D" ? w * 0.6 : big], [0, 1, 0])],
    E: [line(w, 0, 0, 0, 0, 1, w, 1), line(0, 0.5, w * 0.8, 0.5)],
    F: [line(w, 0, 0, 0, 0, 1), line(0, 0.5, w * 0.8, 0.5)],
    G: [P(false, [w, 0.2, 0], [w, 0, R], [0, 0, R], [0, 1, R], [w, 1, R], [w, 0.55, 0], [w * 0.5, 0.55, 0])],
    H: [line(0, 0, 0, 1), line(w, 0, w, 1), line(0, 0.5, w, 0.5)],
    R: [P(false, [0, 1, 0], [0, 0, 0], [w, 0, R], [w, 0.5, R], [0, 0.5, 0]), line(w * 0.4, 0.5, w, 1)],
    S: [P(false, [w, 0.18, 0], [w, 0, R], [0, 0, R], [0, 0.5, R], [w, 0.5, R], [w, 1, R], [0, 1, R], [0, 0.82, 0])],
    X: [line(0, 0, w, 1), line(w, 0, 0, 1)],
    Y: [line(0, 0, w / 2, 0.5, w, 0), line(w / 2, 0.5, w / 2, 1)],
    Z: [line(0, 0, w, 0, 0, 1, w, 1)],
  };
  return { id: s.id, heldOut: s.heldOut, width: w, advance: w + s.gap, glyphs: g };
}

// ---- the fonts ------------------------------------------------------------------------------

export const STROKE_FONTS: Record<StrokeFontId, StrokeFont> = {
  plain: plainFont(),
  // The print font of many 0603 chips: flat-left 8 (like B), D-like 0, g-like 9.
  flatleft: boxFont({
    id: "flatleft", heldOut: false, width: 0.6, gap: 0.22, corner: "round", r: 0.2, rLeft: 0.1,
    zero: "D", eight: "B", nine: "g", one: "flag", three: "flat-top", four: "closed", a: "box",
  }),
  // Narrow, tall, straight-sided: the proportions of 4-character codes squeezed onto a body.
  condensed: boxFont({
    id: "condensed", heldOut: false, width: 0.42, gap: 0.2, corner: "round", r: 0.21, rLeft: 0.21,
    zero: "stadium", eight: "stacked", nine: "turned-6", one: "flag-base", three: "bowls", four: "open", a: "pointed",
  }),
  // Octagonal strokes, as laser- or pad-printed codes: kept out of training data.
  chamfer: boxFont({
    id: "chamfer", heldOut: true, width: 0.55, gap: 0.25, corner: "chamfer", r: 0.16, rLeft: 0.16,
    zero: "stadium", eight: "stacked", nine: "turned-6", one: "flag", three: "bowls", four: "closed", a: "box",
  }),
};

/** Ink bounding box of a glyph in em units, before the stroke thickness is added. */
export function glyphBounds(glyph: Glyph): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const stroke of glyph) {
    for (const [x, y] of stroke) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return { x0, y0, x1, y1 };
}
