// The decoder a user would write instead of chipmark: regular expressions, parseFloat and a
// lookup table, no grammar beyond what the regexes say. The bench's "what you would pick
// instead"; its answers are compared with chipmark's, not trusted.

// E-96 by its definition (10^(i/96) to three figures): the lookup table, built once.
const E96 = Array.from({ length: 96 }, (_, i) => Math.round(100 * 10 ** (i / 96)));
const LETTERS: Record<string, number> = {
  Z: 0.001, Y: 0.01, X: 0.1, A: 1, B: 10, C: 100, D: 1000, E: 1e4, F: 1e5, G: 1e6, H: 1e7,
};

/** Ohms of a marking ("103", "4R7", "01A", "121_"), or NaN if it does not look like one. */
export function decodeJs(marking: string): number {
  const m = marking.toUpperCase().replace(/_$/, "");
  let r: RegExpExecArray | null;
  if ((r = /^(\d\d)([A-HXYZ])$/.exec(m))) {
    const index = parseInt(r[1], 10);
    return index >= 1 && index <= 96 ? E96[index - 1] * LETTERS[r[2]] : NaN;
  }
  if (/^0+$/.test(m) || m === "0R0") return 0;
  if (/^\d*R\d*$/.test(m) && m.length >= 3 && m.length <= 4) return parseFloat(m.replace("R", "."));
  if ((r = /^(\d{2,3})(\d)$/.exec(m))) return parseFloat(r[1]) * 10 ** parseInt(r[2], 10);
  return NaN;
}
