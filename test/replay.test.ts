// The blackbox test: every committed sample frame through checkFrame, against the verdict and
// the reading stored next to it (samples/frames/index.json, written by the generator from the
// datasheet model, not from the reader).
//
// Zero false matches is the product's one hard rule and is asserted as such. The per-group
// floors below are regression floors measured on this reader, NOT the targets of the reading
// issue (≥ 99 % exact at ≥ 14 px, ≥ 95 % at 12 px): raise them when the reader improves, never
// lower them to make a change pass.

import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { replay, type ReplayRecord, type ReplaySummary } from "../host/replay.ts";

const FRAMES = fileURLToPath(new URL("../samples/frames", import.meta.url));

/** Minimum share of exact reads per group (the text read equals the printed marking). */
const MIN_EXACT: Record<string, number> = {
  eia96: 0.95, "3digit": 0.97, "4digit": 0.95, rnotation: 0.97, underlined: 0.88, zero: 0.96,
  "wrong-reel": 0.94, unmarked: 0.96, falsepositives: 0.95, crop0603: 0.95,
};
/** Maximum share of misreads per group (something read, not what is printed). */
const MAX_MISREAD: Record<string, number> = {
  eia96: 0.04, "3digit": 0.03, "4digit": 0.03, rnotation: 0.03, underlined: 0.1, zero: 0.04,
  "wrong-reel": 0.05, unmarked: 0.03, falsepositives: 0.04, crop0603: 0.04,
};
/** Minimum share of frames whose verdict is the expected one. */
const MIN_VERDICT_OK: Record<string, number> = {
  eia96: 0.72, "3digit": 0.8, "4digit": 0.78, rnotation: 0.9, underlined: 0.74, zero: 0.9,
  "wrong-reel": 0.78, unmarked: 0.95, falsepositives: 0.95, crop0603: 0.8,
};

let records: ReplayRecord[];
let summary: ReplaySummary;
beforeAll(async () => {
  ({ records, summary } = await replay(FRAMES));
}, 120_000);

const names = (rs: ReplayRecord[]) => rs.map((r) => `${r.file} (printed ${JSON.stringify(r.expectedRead)}, read ${JSON.stringify(r.text)}, ${r.verdict} ${r.reason})`);

describe("sample frames", () => {
  it("accounts for every frame, with no decoding error", () => {
    expect(records.length).toBe(summary.frames);
    expect(records.length).toBeGreaterThanOrEqual(500);
    expect(names(records.filter((r) => r.error))).toEqual([]);
  });

  it("never calls a wrong reel, an unmarked chip or a false positive a match", () => {
    expect(names(records.filter((r) => r.falseMatch))).toEqual([]);
    expect(records.filter((r) => r.expectedVerdict !== "match" && r.verdict === "match")).toEqual([]);
  });

  // A false mismatch stops the line for a chip that was right: rare by the brief, none here
  // since verdict rules 9-11 (a regression ceiling, like the floors below).
  it("never calls a chip on its own reel a mismatch", () => {
    expect(names(records.filter((r) => r.falseMismatch))).toEqual([]);
  });

  it("has empty pockets, bare boards and blank bodies to read", () => {
    // Their verdicts are held by MIN_VERDICT_OK below and by the no-false-match test above.
    expect(records.filter((r) => r.group === "falsepositives").length).toBeGreaterThanOrEqual(30);
  });

  // The reading issue's targets by character height, over the frames with a marking.
  for (const [band, inBand, goal] of [
    ["14 px and more", (h: number) => h >= 14, 0.99],
    ["12–13 px", (h: number) => h < 14, 0.95],
  ] as const) {
    it(`reads at least ${goal * 100} % of the marked frames at ${band} exactly`, () => {
      const rs = records.filter((r) => r.expectedRead && r.charHeightPx !== null && inBand(r.charHeightPx));
      expect(rs.length).toBeGreaterThanOrEqual(60);
      const exact = rs.filter((r) => r.exact).length / rs.length;
      if (exact < goal) expect.fail(`${band}: ${(exact * 100).toFixed(1)} % exact; misread:\n${names(rs.filter((r) => !r.exact)).join("\n")}`);
    });
  }

  for (const [group, floor] of Object.entries(MIN_EXACT)) {
    it(`${group}: at least ${Math.round(floor * 100)} % exact reads`, () => {
      const rs = records.filter((r) => r.group === group);
      expect(rs.length).toBeGreaterThan(0);
      const exact = rs.filter((r) => r.exact).length / rs.length;
      if (exact < floor) expect.fail(`${group}: ${(exact * 100).toFixed(1)} % exact; misread:\n${names(rs.filter((r) => !r.exact)).join("\n")}`);
    });
  }

  for (const [group, ceiling] of Object.entries(MAX_MISREAD)) {
    it(`${group}: at most ${Math.round(ceiling * 100)} % misreads`, () => {
      const rs = records.filter((r) => r.group === group);
      const misread = rs.filter((r) => r.misread).length / rs.length;
      if (misread > ceiling) expect.fail(`${group}: ${(misread * 100).toFixed(1)} % misread:\n${names(rs.filter((r) => r.misread)).join("\n")}`);
    });
  }

  for (const [group, floor] of Object.entries(MIN_VERDICT_OK)) {
    it(`${group}: at least ${Math.round(floor * 100)} % verdicts as expected`, () => {
      const rs = records.filter((r) => r.group === group);
      const ok = rs.filter((r) => r.verdictOk).length / rs.length;
      if (ok < floor) expect.fail(`${group}: ${(ok * 100).toFixed(1)} %; wrong:\n${names(rs.filter((r) => !r.verdictOk)).join("\n")}`);
    });
  }
});
