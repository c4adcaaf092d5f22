// An independent model of the datasheet for the tests: written from TRMS-XX0S001J and
// marking-rules.md, sharing no code or table with assembly/. If the two disagree, one is wrong.

/** E-96 by its definition: 10^(i/96) rounded to three significant figures (no exceptions). */
export const E96 = Array.from({ length: 96 }, (_, i) => Math.round(100 * 10 ** (i / 96)));
/** E-24 (IEC 60063), which has exceptions to the formula, so it is listed. */
export const E24 = [10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91];

export const SIZES = ["02", "04", "06", "10", "12", "13", "20", "25"] as const;
export const TOLERANCES = ["D", "F", "G", "J"] as const;
export type Size = (typeof SIZES)[number];
export type Tol = (typeof TOLERANCES)[number];

/** A value as significant digits and a power of ten: exact, unlike a float. */
export interface Value { digits: number; exp: number }
export const ohms = (v: Value): number => Number(`${v.digits}e${v.exp}`);

/** Section 5's resistance ranges, as the union per size and tolerance (Ω). 9.1..10 Ω is a gap. */
export function inRatings(size: Size, tol: Tol, r: number): boolean {
  const low = r >= 1 && r <= 9.1;
  if (size === "02") {
    if (tol === "D") return r >= 100 && r <= 1e4;
    return low || (r >= 10 && r <= (tol === "J" ? 1e7 : 3e6));
  }
  if (tol === "D") return size === "04" ? r >= 10 && r <= 1e6 : r >= 10 && r <= 1e6;
  return low || (r >= 10 && r <= (tol === "J" ? 2e7 : 1e7));
}

/** Every value a size and tolerance is made in: E-24 for G/J, E-24 and E-96 for D/F. */
export function catalogue(size: Size, tol: Tol): Value[] {
  const out = new Map<number, Value>();
  const precise = tol === "D" || tol === "F";
  for (let exp = -2; exp <= 6; exp++) {
    for (const s of E24) add({ digits: s * 10, exp: exp - 1 });
    if (precise) for (const s of E96) add({ digits: s, exp: exp - 1 });
  }
  function add(v: Value) {
    const r = ohms(v);
    if (inRatings(size, tol, r)) out.set(r, v);
  }
  return [...out.values()].sort((a, b) => ohms(a) - ohms(b));
}

/** Three significant digits and the exponent that go with them (digits 100..999). */
function three(v: Value): { s: number; e: number } {
  let s = v.digits, e = v.exp;
  while (s < 100) { s *= 10; e--; }
  while (s >= 1000) { if (s % 10) throw new Error("more than 3 digits"); s /= 10; e++; }
  return { s, e };
}

/** The 3-character code (two significant digits), or null if the value needs three. */
export function code3(v: Value): string | null {
  const { s, e } = three(v);
  if (s % 10) return null;
  const two = String(s / 10);
  const e2 = e + 1;                                   // value = two × 10^e2
  if (e2 >= 0 && e2 <= 9) return two + e2;
  if (e2 === -1) return `${two[0]}R${two[1]}`;
  if (e2 === -2) return `R${two}`;
  return null;
}

/** The 4-character code (three significant digits). */
export function code4(v: Value): string {
  const { s, e } = three(v);
  const d = String(s);
  if (e >= 0) return d + e;
  if (e === -1) return `${d.slice(0, 2)}R${d[2]}`;
  if (e === -2) return `${d[0]}R${d.slice(1)}`;
  if (e === -3) return `R${d}`;
  throw new Error(`no 4-character code for ${ohms(v)}`);
}

const TAI_LETTERS: Record<number, string> = { [-3]: "Z", [-2]: "Y", [-1]: "X", 0: "A", 1: "B", 2: "C", 3: "D", 4: "E", 5: "F", 6: "G", 7: "H" };

/** The EIA-96 code under the TA-I letters, or null if not an E-96 value. */
export function codeEia96(v: Value): string | null {
  const { s, e } = three(v);
  const index = E96.indexOf(s) + 1;
  if (index === 0 || TAI_LETTERS[e] === undefined) return null;
  return String(index).padStart(2, "0") + TAI_LETTERS[e];
}

/** Section 7: what the chips of a reel carry; "" for unmarked sizes. */
export function expectedMarking(size: Size, tol: Tol, v: Value): string | null {
  if (size === "02" || size === "04") return "";
  if (v.digits === 0) return "0";
  if (tol === "G" || tol === "J") return code3(v);
  if (size !== "06") return code4(v);
  return codeEia96(v) ?? (code3(v) === null ? null : `${code3(v)}_`);
}

/** The part number for a value: 3-digit code for G/J, 4-digit for D/F (section 3). */
export function partNumber(size: Size, tol: Tol, v: Value): string {
  const pack = size === "20" || size === "25" ? "E" : "T";
  return `RMS${size}${tol}${pack}${tol === "G" || tol === "J" ? code3(v) : code4(v)}`;
}
