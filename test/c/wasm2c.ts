// wasm2c + gcc for the tools that build the marking module as C: the portability test (the
// shared vectors through C) and the benchmark (the native reference). Finds the tools and
// wasm2c's runtime, and translates a module, whatever wabt's version names things.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

export function which(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

export interface Ran { status: number | null; stdout: string; stderr: string; all: string }
export function run(command: string, args: string[], cwd?: string): Ran {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: `$ ${command} ${args.join(" ")}\n${r.stdout}${r.stderr}` };
}

/** Where wasm2c's runtime sources (wasm-rt-impl.c) are: Debian, /usr/local, a source tree. */
export function wasm2cRuntimeDir(): string | undefined {
  const wasm2c = which("wasm2c");
  const candidates = [
    process.env.WASM2C_RUNTIME_DIR,
    wasm2c && join(dirname(realpathSync(wasm2c)), "../share/wabt/wasm2c"),
    wasm2c && join(dirname(realpathSync(wasm2c)), "../wasm2c"),
    "/usr/share/wabt/wasm2c", "/usr/local/share/wabt/wasm2c", "/usr/src/wasm2c",
  ];
  return candidates.find((d): d is string => !!d && existsSync(join(d, "wasm-rt-impl.c")));
}

/** What a C build of a translated module needs. */
export interface Translated {
  source: string;          // <dir>/<name>.c
  apiFlags: string[];      // -DWASM2C_OLD_NAMES for wabt 1.0.30-1.0.32
  runtime: string;         // the runtime's directory (for -I)
  runtimeSources: string[];
}

/** wasm2c `wasm` into `<dir>/<name>.c` and `.h`; throws with the tool's output on failure. */
export function translate(wasm: string, dir: string, name: string): Translated {
  const source = join(dir, `${name}.c`);
  const translated = run("wasm2c", [wasm, "-n", name, "-o", source]);
  if (translated.status !== 0) throw new Error(translated.all);
  const header = readFileSync(join(dir, `${name}.h`), "utf8");
  let apiFlags: string[] = [];
  if (header.includes(`Z_${name}_instantiate`)) apiFlags = ["-DWASM2C_OLD_NAMES"];
  else if (!header.includes(`wasm2c_${name}_instantiate`)) throw new Error(`${name}.h: unknown wasm2c API (wabt older than 1.0.30?)`);
  const runtime = wasm2cRuntimeDir();
  if (!runtime) throw new Error("wasm2c is installed but its runtime (wasm-rt-impl.c) was not found; set WASM2C_RUNTIME_DIR");
  const runtimeSources = ["wasm-rt-impl.c", "wasm-rt-mem-impl.c"].map((f) => join(runtime, f)).filter(existsSync);
  return { source, apiFlags, runtime, runtimeSources };
}
