// The CLI contract of architecture.md: commands, NDJSON field names, exit codes.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../host/cli.ts";

function cli(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = run(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n"), json: () => out.join("\n").split("\n").map((l) => JSON.parse(l)) };
}

describe("decode", () => {
  it("01A 4R7 121_ --json: one object per marking with the contract's fields", () => {
    const r = cli("decode", "01A", "4R7", "121_", "--json");
    expect(r.code).toBe(0);
    const [a, b, c] = r.json();
    expect([a.input, a.ok, a.ohms, a.format, a.underlined]).toEqual(["01A", true, 100, "eia96", false]);
    expect([b.input, b.ohms, b.format, b.underlined]).toEqual(["4R7", 4.7, "3digit", false]);
    expect([c.input, c.ohms, c.format, c.underlined]).toEqual(["121_", 120, "3digit", true]);
    expect(c.impliedTolerancePct).toEqual([0.5, 1]);
  });

  it("readable output names value and style; an invalid marking exits 2 after the others", () => {
    const r = cli("decode", "103", "97X", "1540");
    expect(r.code).toBe(2);
    const lines = r.out.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/"103"\s+10 kΩ\s+3 digits/);
    expect(lines[1]).toContain('error: marking "97X" has EIA-96 index 97');
    expect(lines[2]).toMatch(/"1540"\s+154 Ω\s+4 digits/);
  });

  it("--json error records carry error.code and error.message", () => {
    const [e] = cli("decode", "--json", "4RR7").json();
    expect(e).toMatchObject({ input: "4RR7", ok: false, error: { code: "multiple-r" } });
    expect(e.error.message).toContain("4RR7");
  });

  it("--profile common reports 47R as ambiguous with both readings", () => {
    const r = cli("decode", "--profile", "common", "47R");
    expect(r.code).toBe(0);
    expect(r.out).toContain("AMBIGUOUS");
    expect(r.out).toContain("47 Ω");
    expect(r.out).toContain("3.01 Ω");
  });
});

describe("part", () => {
  it("RMS06FT1200 --json: what the datasheet says", () => {
    const r = cli("part", "RMS06FT1200", "--json");
    expect(r.code).toBe(0);
    const [p] = r.json();
    expect(p).toMatchObject({
      input: "RMS06FT1200", ok: true, ohms: 120, tolerancePct: 1, powerW: 0.1, maxWorkingV: 50,
      maxOverloadV: 100, size: { code: "06", inch: "0603", metric: "1608" },
      expectedMarking: { text: "121_", kind: "3digit-underlined" },
      tcrPpm: { plus: 100, minus: 100 }, operatingTempC: { min: -55, max: 155 },
    });
    expect(p.ratedV).toBeCloseTo(Math.sqrt(0.1 * 120), 12);
    expect(p.dimensionsMm.L).toEqual({ nominal: 1.6, plus: 0.1, minus: 0.1 });
    expect(p.landPatternMm.b).toEqual({ min: 2, max: 2.2 });
    expect(p.reel).toMatchObject({ pieces178mm: 5000, pieces250mm: 10000 });
  });

  it("a bad part number exits 2 and names what is wrong", () => {
    const r = cli("part", "RMS06FT1000", "RMS07FT1000");
    expect(r.code).toBe(2);
    expect(r.out).toContain('part number "RMS07FT1000" has size code "07"');
  });
});

describe("verify", () => {
  it("exit 0 when every marking matches", () => {
    expect(cli("verify", "--part", "RMS06FT1000", "01A").code).toBe(0);
  });
  it("exit 1 on a mismatch, even beside matches and unreadable reads", () => {
    const r = cli("verify", "--part", "RMS06FT1000", "01A", "", "01B");
    expect(r.code).toBe(1);
    expect(r.out.split("\n").map((l) => l.split(/\s+/)[1])).toEqual(["MATCH", "UNVERIFIABLE", "MISMATCH"]);
  });
  it("exit 3 when it cannot verify", () => {
    expect(cli("verify", "--part", "RMS02JT103", "").code).toBe(3);
    expect(cli("verify", "--part", "RMS06FT1000", "97X").code).toBe(3);
  });
  it("exit 2 on a bad part number; --json has verdict, reason and expectedMarking", () => {
    expect(cli("verify", "--part", "XMS06FT1000", "01A").code).toBe(2);
    const [v] = cli("verify", "--json", "--part", "RMS06FT1200", "121").json();
    expect(v).toMatchObject({ input: "121", ok: true, verdict: "mismatch", reason: "tolerance-class", expectedMarking: { text: "121_" } });
  });
  it("--accept-3digit turns datasheet 7.4's customer marking into a match", () => {
    const [v] = cli("verify", "--json", "--accept-3digit", "--part", "RMS06FT1000", "101").json();
    expect([v.verdict, v.reason]).toEqual(["match", "customer-3digit"]);
  });
});

describe("usage", () => {
  it("--help prints usage with examples and exits 0", () => {
    const r = cli("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage");
    expect(r.out).toContain("chipmark verify --part RMS06FT1000");
  });
  it("bad usage exits 2", () => {
    expect(cli().code).toBe(2);
    expect(cli("frobnicate").code).toBe(2);
    expect(cli("decode").code).toBe(2);
    expect(cli("verify", "01A").code).toBe(2);
    expect(cli("decode", "--profile", "acme", "01A").code).toBe(2);
    expect(cli("decode", "--bogus", "01A").code).toBe(2);
  });
});

describe("as a program", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  it("npx tsx host/cli.ts and the chipmark bin print the same NDJSON and set the exit code", () => {
    const viaTsx = execFileSync("node", ["--import", "tsx", "host/cli.ts", "decode", "01A", "--json"], { cwd: root, encoding: "utf8" });
    const viaBin = spawnSync("node", ["host/chipmark.js", "verify", "--part", "RMS06FT1000", "01B"], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(viaTsx)).toMatchObject({ input: "01A", ohms: 100 });
    expect(viaBin.status).toBe(1);
    expect(viaBin.stdout).toContain("MISMATCH");
  });

  it("a reader that closes the pipe early (| head -1) ends it quietly with exit 3, not a stream error", async () => {
    const markings = Array.from({ length: 20000 }, (_, i) => String(100 + (i % 800)));
    const child = spawn("node", ["--import", "tsx", "host/cli.ts", "decode", "--json", ...markings], { cwd: root });
    let err = "";
    child.stderr.on("data", (d) => { err += d; });
    child.stdout.once("data", () => child.stdout.destroy());   // read one chunk, then hang up
    const status = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Unhandled|throw er/);
    expect(status).toBe(3);
  });
});
