// Bad input gets a clear error code, never a trap, and the next call still answers right.

import { describe, expect, it } from "vitest";
import { decodeMarking, decodeMarkings, batchStatus, parsePart, verify, markingCore } from "../host/index.ts";

const GOOD = { marking: "01A", ohms: 100, part: "RMS06FT1000" };

function expectNextCallRight() {
  const m = decodeMarking(GOOD.marking);
  expect(m.ok && !m.ambiguous && m.ohms).toBe(GOOD.ohms);
  const p = parsePart(GOOD.part);
  expect(p.ok && p.expectedMarking?.text).toBe("01A");
  const v = verify(GOOD.part, GOOD.marking);
  expect(v.ok && v.verdict).toBe("match");
}

const BAD_MARKINGS: [string, string][] = [
  ["", "empty"],
  ["x".repeat(64), "unexpected-letter"],
  ["1".repeat(65), "too-long"],
  ["1".repeat(100_000), "too-long"],
  ["\u00e9\u00e9\u00e9", "bad-character"],
  ["\u{1F600}", "bad-character"],
  ["\u0000", "bad-character"],
  ["10\u0000", "bad-character"],
  ["9999999", "length"],
  ["97X", "eia96-index"],
  ["01Q", "multiplier-letter"],
  ["4RR7", "multiple-r"],
  ["R", "no-digits"],
  ["_", "underline-not-allowed"],
  ["__", "underline-position"],
  ["1\n2", "bad-character"],
];

describe("malformed markings", () => {
  it.each(BAD_MARKINGS)("%j → %s, then the next call is right", (input, code) => {
    const m = decodeMarking(input);
    expect(m.ok).toBe(false);
    if (m.ok) return;
    expect(m.error.code).toBe(code);
    expect(m.error.message).toMatch(/^marking "/);
    expectNextCallRight();
  });

  it("names the offending character and its position", () => {
    const m = decodeMarking("1\u00e92");
    expect(!m.ok && m.error.message).toBe(
      'marking "1é2" has non-ASCII "é" (U+00E9) at position 1; only digits, letters and a trailing \'_\' are allowed',
    );
  });

  it("an unknown profile is misuse and throws", () => {
    expect(() => decodeMarking("01A", { profile: "x" as never })).toThrow(/unknown profile "x"/);
  });
});

const BAD_PARTS: [string, string][] = [
  ["", "empty"],
  ["RMS06FT1000" + "0".repeat(60), "too-long"],
  ["hello world", "part-series"],
  ["R", "part-length"],
  ["RMS", "part-length"],
  ["RMSXXFT1000", "part-size"],
  ["RMS06\u00e9T1000", "bad-character"],
  ["RMS06FT 1000", "bad-character"],
  ["RMS06FT97X", "unexpected-letter"],
  ["RMS06FT01A", "unexpected-letter"],
  ["RMS06FT121_", "bad-character"],
  ["RMS06FT", "part-length"],
];

describe("malformed part numbers", () => {
  it.each(BAD_PARTS)("%j → %s, then the next call is right", (input, code) => {
    const p = parsePart(input);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.error.code).toBe(code);
    expect(p.error.message).toMatch(/^part number "/);
    const v = verify(input, GOOD.marking);
    expect(v.ok).toBe(false);
    expectNextCallRight();
  });
});

describe("seeded garbage never traps and never matches", () => {
  // xorshift32: the same garbage on every run.
  let state = 0x9e3779b9;
  const next = () => { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return state >>> 0; };
  const ALPHABET = "0123456789RrABCDEFGHXYZSQ_ \u0000\u00ff-.";

  it("20 000 random strings through decode, verify and the batch", () => {
    const inputs: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const len = next() % 9;
      let s = "";
      for (let k = 0; k < len; k++) s += ALPHABET[next() % ALPHABET.length];
      inputs.push(s);
    }
    let matches = 0, decoded = 0;
    for (const s of inputs) {
      const m = decodeMarking(s);
      if (m.ok) decoded++;
      const v = verify("RMS06FT1000", s);
      expect(v.ok).toBe(true);
      if (v.ok && v.verdict === "match") {
        matches++;
        // Only a reading of exactly 100 Ω in a ±0.5/±1 % style may match this reel.
        expect(m.ok && !m.ambiguous && m.ohms === 100 && m.toleranceClass === "precise").toBe(true);
      }
    }
    expect(decoded).toBeGreaterThan(100);
    expect(matches).toBeLessThan(decoded);
    // The batch path agrees with the single path on every one of them.
    const batch = decodeMarkings(inputs);
    inputs.forEach((s, i) => {
      const m = decodeMarking(s);
      const { code } = batchStatus(batch.info[i]);
      expect(code).toBe(m.ok ? "ok" : m.error.code);
      if (m.ok && !m.ambiguous) expect(batch.ohms[i]).toBe(m.ohms);
    });
    expectNextCallRight();
  });

  it("a batch with bad entries decodes the good ones around them", () => {
    const r = decodeMarkings(["103", "", "97X", "1".repeat(9000), "4R7", "01A"]);
    expect([...r.info].map((w) => batchStatus(w).code)).toEqual(["ok", "empty", "eia96-index", "too-long", "ok", "ok"]);
    expect([r.ohms[0], r.ohms[4], r.ohms[5]]).toEqual([10_000, 4.7, 100]);
    expect(Number.isNaN(r.ohms[1])).toBe(true);
  });

  it("a raw call with lengths past the areas returns a status, not a trap", () => {
    const core = markingCore();
    expect(core.exports.decode(1 << 30, 0)).toBe(2);     // Status.TOO_LONG
    expect(core.exports.decode(-5, 0)).toBe(1);          // Status.EMPTY
    expect(core.exports.decodePart(1 << 30, 0, 0)).toBe(2);
    expect(core.exports.verify(5, 1 << 30, 0, 0)).toBeGreaterThanOrEqual(0);
    expect(core.exports.decodeBatch(1 << 30, 0)).toBeLessThan(0);
    expect(core.exports.decode(3, 7)).toBe(30);          // Status.BAD_PROFILE
    expectNextCallRight();
  });
});
