// The whole catalogue: every size × tolerance × E-series value in the ratings range × decade.
// part number → expected marking → decode → the same ohms, verify = match; the marking of the
// neighbouring value in the series = mismatch. Expectations come from test/oracle.ts.

import { describe, expect, it } from "vitest";
import { decodeMarking, parsePart, verify } from "../host/index.ts";
import {
  SIZES, TOLERANCES, catalogue, code3, expectedMarking, ohms, partNumber, type Value,
} from "./oracle.ts";

function check(size: (typeof SIZES)[number], tol: (typeof TOLERANCES)[number]) {
  const values = catalogue(size, tol);
  const failures: string[] = [];
  const fail = (pn: string, what: string) => { if (failures.length < 20) failures.push(`${pn}: ${what}`); };
  let checked = 0;
  values.forEach((v: Value, i) => {
    const pn = partNumber(size, tol, v);
    const part = parsePart(pn);
    if (!part.ok) return fail(pn, part.error.message);
    if (part.ohms !== ohms(v)) fail(pn, `part ohms ${part.ohms}, want ${ohms(v)}`);
    if (part.warnings.length) fail(pn, `warnings ${part.warnings.map((w) => w.code)}`);
    // Only 0603 parts are marked with underlined codes (0402 is unmarked by default).
    if (part.underlinedCodes !== (size === "06")) fail(pn, `underlinedCodes ${part.underlinedCodes}`);
    const want = expectedMarking(size, tol, v);
    const got = part.expectedMarking?.kind === "none" ? "" : part.expectedMarking?.text ?? null;
    if (got !== want) return fail(pn, `expected marking ${got}, want ${want}`);
    checked++;
    if (want === "" || want === null) {
      const r = verify(pn, code3(v) ?? "1000");
      if (!r.ok || r.verdict === "match") fail(pn, "an unmarked part matched a marking");
      return;
    }
    const m = decodeMarking(want);
    if (!m.ok || m.ambiguous) return fail(pn, `${want} did not decode`);
    if (m.ohms !== ohms(v)) fail(pn, `${want} decodes to ${m.ohms}, want ${ohms(v)}`);
    const same = verify(pn, want);
    if (!same.ok || same.verdict !== "match") fail(pn, `${want}: ${same.ok ? same.message : same.error.message}`);
    // The neighbour: the next value of the series, marked the way this reel would mark it.
    const next = values[i + 1] ?? values[i - 1];
    const neighbour = expectedMarking(size, tol, next);
    if (neighbour) {
      const other = verify(pn, neighbour);
      if (!other.ok || other.verdict !== "mismatch" || other.reason !== "value") {
        fail(pn, `neighbour ${neighbour}: ${other.ok ? `${other.verdict} ${other.reason}` : other.error.message}`);
      }
    }
  });
  return { failures, checked, total: values.length };
}

describe("round trip over the catalogue", () => {
  for (const size of SIZES) {
    for (const tol of TOLERANCES) {
      it(`RMS${size} ${tol}`, () => {
        const { failures, checked, total } = check(size, tol);
        expect(failures).toEqual([]);
        expect(checked).toBe(total);
        // E-24 over 1 Ω..10 MΩ is at least 7 decades of 24; D/F add E-96.
        expect(total).toBeGreaterThanOrEqual(tol === "D" ? 100 : 150);
      });
    }
  }
});
