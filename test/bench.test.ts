// Smoke test of the benchmark: `npm run bench -- --quick` runs to the end and writes the
// results.json keys other tools read. Wall-clock numbers are not asserted (they live in bench/).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("bench --quick", () => {
  it("runs every section and writes the keys other tools read", () => {
    const r = spawnSync("node", ["--import", "tsx", "bench/bench.ts", "--quick"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const section of ["1. marking decode", "2. frame reading", "3. zero allocation", "4. modules", "5. checkFrame"]) {
      expect(r.stdout).toContain(section);
    }
    const results = JSON.parse(readFileSync(new URL("../bench/results.json", import.meta.url), "utf8"));
    const keys = [
      "decode.wasmBatchNsPerMarking", "decode.wasmSingleNsPerMarking", "decode.nativeNsPerMarking", "decode.jsNsPerMarking",
      "reader.msPerFrameMedian", "reader.accuracy", "tesseract.msPerFrameMedian", "tesseract.accuracy",
      "alloc.bytesAfterDecodes", "alloc.bytesAfterFrames", "size.markingWasmBytes", "size.readerWasmBytes",
    ];
    for (const key of keys) {
      const value = key.split(".").reduce((o: Record<string, unknown>, k) => o?.[k] as Record<string, unknown>, results);
      // nativeNsPerMarking is null where wabt or gcc is missing; everything else is a number.
      if (key === "decode.nativeNsPerMarking" && value === null) continue;
      expect(typeof value, key).toBe("number");
    }
    // The one bench figure that is a property, not a speed: nothing is allocated.
    expect(results.alloc.bytesAfterDecodes).toBe(0);
    expect(results.alloc.bytesAfterFrames).toBe(0);
    expect(results.alloc.changedBytesAfterDecodes).toBe(0);
  }, 150_000);
});
