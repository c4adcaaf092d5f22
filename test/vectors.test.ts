// The shared vectors (test/vectors.json, written from the datasheet) through the public API.
// The C and spec-interpreter harnesses read the same file.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeMarking, parsePart, verify, type ProfileName, type VerifyOptions } from "../host/index.ts";
import { partCanCarry } from "./hostile-lib.ts";

interface DecodeVector {
  marking: string; profile?: ProfileName; error?: string; position?: number;
  ohms?: number; format?: string; class?: string; underlined?: boolean; rNotation?: boolean;
  eia96Index?: number; ambiguous?: boolean; readings?: number[]; why?: string;
}
interface PartVector {
  part: string; error?: string; position?: number; ohms?: number; size?: string; inch?: string;
  metric?: string; tolerancePct?: number; powerW?: number; ratedV?: number; maxWorkingV?: number;
  maxOverloadV?: number; tcr?: [number, number]; expected?: string; kind?: string | null;
  jumper?: boolean; jumperA?: number; tempMax?: number; warnings?: string[]; why?: string;
}
interface VerifyVector {
  part: string; marking: string; options?: VerifyOptions; verdict?: string; reason?: string;
  error?: string; why?: string;
}

const vectors = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8")) as {
  decode: DecodeVector[]; part: PartVector[]; verify: VerifyVector[];
};
const title = (input: string, v: { profile?: string; options?: object; why?: string }) =>
  `${JSON.stringify(input)}${v.profile ? ` (${v.profile})` : ""}${v.options ? ` ${JSON.stringify(v.options)}` : ""}${v.why ? ` — ${v.why}` : ""}`;

describe("decode vectors", () => {
  it.each(vectors.decode.map((v) => [title(v.marking, v), v] as const))("%s", (_, v) => {
    const m = decodeMarking(v.marking, { profile: v.profile });
    if (v.error) {
      expect(m.ok).toBe(false);
      if (m.ok) return;
      expect(m.error.code).toBe(v.error);
      expect(m.error.message).toContain(JSON.stringify(v.marking.slice(0, 40)).slice(0, -1));
      if (v.position !== undefined) expect(m.error.position).toBe(v.position);
      return;
    }
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    if (v.ambiguous) {
      expect(m.ambiguous).toBe(true);
      expect(m.ohms).toBeNull();
      expect(m.readings.map((r) => r.ohms)).toEqual(v.readings);
      return;
    }
    expect(m.ambiguous).toBe(false);
    if (m.ambiguous) return;
    expect(m.ohms).toBe(v.ohms);
    expect(m.format).toBe(v.format);
    expect(m.toleranceClass).toBe(v.class);
    expect(m.underlined).toBe(v.underlined ?? false);
    expect(m.rNotation).toBe(v.rNotation ?? false);
    if (v.eia96Index !== undefined) expect(m.eia96Index).toBe(v.eia96Index);
  });
});

describe("part-number vectors", () => {
  it.each(vectors.part.map((v) => [title(v.part, v), v] as const))("%s", (_, v) => {
    const p = parsePart(v.part);
    if (v.error) {
      expect(p.ok).toBe(false);
      if (p.ok) return;
      expect(p.error.code).toBe(v.error);
      if (v.position !== undefined) expect(p.error.position).toBe(v.position);
      return;
    }
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.ohms).toBe(v.ohms);
    if (v.size) expect(p.size).toEqual({ code: v.size, inch: v.inch, metric: v.metric });
    if (v.tolerancePct !== undefined) expect(p.tolerancePct).toBe(v.tolerancePct);
    if (v.powerW !== undefined) expect(p.powerW).toBe(v.powerW);
    if (v.ratedV !== undefined) expect(p.ratedV).toBeCloseTo(v.ratedV, 12);
    if (v.maxWorkingV !== undefined) expect(p.maxWorkingV).toBe(v.maxWorkingV);
    if (v.maxOverloadV !== undefined) expect(p.maxOverloadV).toBe(v.maxOverloadV);
    if (v.tcr) expect(p.tcrPpm).toEqual({ plus: v.tcr[0], minus: v.tcr[1] });
    if (v.tempMax !== undefined) expect(p.operatingTempC.max).toBe(v.tempMax);
    if (v.jumper !== undefined) expect(p.jumper).toBe(v.jumper);
    if (v.jumperA !== undefined) expect(p.jumperRating?.ratedCurrentA).toBe(v.jumperA);
    if (v.warnings) expect(p.warnings.map((w) => w.code)).toEqual(v.warnings);
    if (v.kind === null) expect(p.expectedMarking).toBeNull();
    else if (v.kind !== undefined) expect(p.expectedMarking?.kind).toBe(v.kind);
    if (v.expected !== undefined) expect(p.expectedMarking?.text).toBe(v.expected);
  });
});

describe("verify vectors", () => {
  it.each(vectors.verify.map((v) => [`${v.part} ${title(v.marking, v)}`, v] as const))("%s", (_, v) => {
    const r = verify(v.part, v.marking, v.options);
    if (v.error) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(v.error);
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.verdict, r.reason]).toEqual([v.verdict, v.reason]);
  });
});

// Whether a part can carry a marking's value decides which look-alike readings compete on a
// frame (host/frames.ts): checked against the tests' own E-series and range, over every
// 3- and 4-digit code, every EIA-96 code and the R-notation ones.
describe("plausible: a part can carry the value", () => {
  it("agrees with the oracle's series and range on every code", () => {
    const texts: string[] = [];
    for (let i = 0; i < 10_000; i++) texts.push(String(i).padStart(4, "0"));
    for (let i = 0; i < 1_000; i++) texts.push(String(i).padStart(3, "0"));
    for (let i = 1; i <= 96; i++) for (const l of "ZYXABCDEFGH") texts.push(String(i).padStart(2, "0") + l);
    for (const d of ["1", "4", "9", "10", "47", "49", "100"]) texts.push(`R${d}`, `${d}R`, `${d[0]}R${d.slice(1)}`);
    let plausible = 0, not = 0;
    for (const t of texts) {
      const m = decodeMarking(t);
      if (!m.ok || m.ambiguous) continue;
      expect(m.plausible, t).toBe(partCanCarry(t));
      if (m.plausible) plausible++; else not++;
    }
    expect(plausible).toBeGreaterThan(1000);
    expect(not).toBeGreaterThan(1000);
    // What a user would check: 6.8 GΩ and 22 MΩ are beyond the datasheet, 0.47 Ω below it,
    // 50 Ω in no series; a jumper, 20 MΩ and 4.99 kΩ (68B) are parts.
    for (const t of ["688", "226", "R47", "500"]) expect(decodeMarking(t)).toMatchObject({ ok: true, plausible: false });
    for (const t of ["0", "000", "206", "68B", "4991", "1R0"]) expect(decodeMarking(t)).toMatchObject({ ok: true, plausible: true });
  });
});
