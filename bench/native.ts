// The native reference: build/marking.wasm through wasm2c and gcc -O2 (what C firmware gets),
// run on the same markings. Needs wasm2c and gcc (Debian's wabt and gcc); skipped without them.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RELEASE_WASM } from "../host/index.ts";
import { run, translate, which } from "../test/c/wasm2c.ts";

const NATIVE_C = fileURLToPath(new URL("./native.c", import.meta.url));

export type NativeResult = { nsPerMarking: number; valid: number; markings: number } | { skipped: string };

export function benchNative(markings: readonly string[], rounds: number): NativeResult {
  const missing = ["wasm2c", "gcc"].filter((t) => !which(t));
  if (missing.length) return { skipped: `${missing.join(" and ")} not on PATH (apt-get install wabt gcc)` };
  const dir = mkdtempSync(join(tmpdir(), "chipmark-native-"));
  try {
    const t = translate(RELEASE_WASM, dir, "marking");
    const exe = join(dir, "native");
    const built = run("gcc", ["-O2", "-ffp-contract=off", "-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0", ...t.apiFlags,
      `-I${dir}`, `-I${t.runtime}`, NATIVE_C, t.source, ...t.runtimeSources, "-lm", "-o", exe]);
    if (built.status !== 0) return { skipped: `gcc failed: ${built.all.slice(0, 500)}` };
    const input = join(dir, "markings.txt");
    writeFileSync(input, markings.join("\n"));
    const ran = run(exe, [input, String(rounds)]);
    if (ran.status !== 0) return { skipped: `native run failed: ${ran.all.slice(0, 500)}` };
    const [ns, valid, count] = ran.stdout.trim().split(/\s+/).map(Number);
    return { nsPerMarking: ns, valid, markings: count };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
