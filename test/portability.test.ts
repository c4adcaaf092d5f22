// The same .wasm on a feeder controller: the release module must run outside V8. wabt checks
// what a small embedded runtime cares about (WASM 1.0 only, no imports, no start function, a
// fixed memory, no memory.grow), then the shared vectors run through two other engines: wasm2c
// + gcc (test/c/harness.c, the README's C example) and wabt's spec interpreter. The vectors pin
// every engine, V8 included, to the same values, compared bit for bit.
//
// Needs wabt (wasm-validate, wasm-objdump, wat2wasm, wasm2c, wast2json, spectest-interp) and
// gcc on PATH; each group is skipped, saying what is missing, where they are not.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMarking, markingCore, MarkingCore, parsePart, RELEASE_WASM, verify } from "../host/index.ts";
import { Reading, Slot } from "../assembly/abi.ts";
import {
  CLASS_CODES, ERROR_CODES, FORMAT_CODES, KIND_CODES, KIND_UNDEFINED, REASON_CODES, VERDICT_CODES, WARNING_BITS,
} from "./c/codes.ts";
import { generate, loadCases, type Case } from "./c/gen-vectors.ts";
import { run, translate, which } from "./c/wasm2c.ts";

const HARNESS_C = fileURLToPath(new URL("./c/harness.c", import.meta.url));
const cases = loadCases();

function missing(...tools: string[]): string[] {
  return tools.filter((t) => which(t) === undefined);
}
function skipReason(tools: string[]): string {
  const gone = missing(...tools);
  return gone.length ? ` (skipped: ${gone.join(", ")} not on PATH; install wabt and gcc)` : "";
}

/**
 * The switches that turn off every feature a wabt tool enables by default: all are post-MVP
 * (WASM 1.0 needs no switch). wabt 1.0.32: mutable-globals, saturating-float-to-int,
 * sign-extension, simd, multi-value, bulk-memory, reference-types. Read from --help, so a newer
 * wabt that enables more by default gets those turned off too.
 */
function mvpOnly(tool: string): string[] {
  const flags = [...new Set(run(tool, ["--help"]).stdout.match(/--disable-[a-z0-9-]+/g) ?? [])];
  if (!flags.includes("--disable-sign-extension")) throw new Error(`${tool} --help lists no --disable-sign-extension: ${flags}`);
  return flags;
}

let work = "";
beforeAll(() => { work = mkdtempSync(join(tmpdir(), "chipmark-portability-")); });
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

// ---- V8: the checks the vectors become are the ones the host's module satisfies ---------------

function same(got: number, want: number): boolean {
  return Number.isNaN(want) ? Number.isNaN(got) : got === want;
}

/** Runs a Case on V8 the way the host does; returns one line per difference. */
function runOnV8(core: MarkingCore, c: Case): string[] {
  const x = core.exports;
  const status = c.entry === "decode" ? core.decode(c.marking, c.profile)
    : c.entry === "part" ? core.decodePart(c.part, c.profile, c.options)
      : core.verify(c.part, c.marking, c.profile, c.options);
  const wrong: string[] = [];
  if (status !== c.status) wrong.push(`${c.label}: returned ${status}, expected ${c.status}`);
  for (const k of c.checks) {
    const got = core.slots[k.slot];
    if (!same(got, k.value)) wrong.push(`${c.label}: ${k.name} = ${got}, expected ${k.value}`);
  }
  if (c.text) {
    const at = x.expectedText();
    const got = [...core.bytes.subarray(at, at + core.slots[Slot.EXPECTED_LEN])];
    if (got.join() !== c.text.join()) wrong.push(`${c.label}: expected text ${got}, expected ${c.text}`);
  }
  // The bytes the C harness and the .wast write are the bytes the host writes.
  for (const [at, bytes] of [[x.markingInput(), c.markingBytes], [x.partInput(), c.partBytes]] as const) {
    const n = Math.min(bytes.length, core.inputCapacity);
    const written = [...core.bytes.subarray(at, at + n)];
    if (written.join() !== bytes.slice(0, n).join()) wrong.push(`${c.label}: host wrote ${written}, vectors.h has ${bytes.slice(0, n)}`);
  }
  return wrong;
}

describe("the vectors as numbers (what the C harness and the .wast check)", () => {
  it("cover every vector of test/vectors.json", () => {
    const json = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
    expect(cases.length).toBe(json.decode.length + json.part.length + json.verify.length);
    expect(cases.every((c) => c.checks.length > 0)).toBe(true);
  });

  it("hold on V8 for the release module", () => {
    const core = MarkingCore.load(RELEASE_WASM);
    expect(cases.flatMap((c) => runOnV8(core, c))).toEqual([]);
  });

  it("use the numbers the host gives the vectors' names (test/c/codes.ts agrees with host/index.ts)", () => {
    // Each name in the vectors, next to the number the core put in its slot for it, as the host
    // reports both. A name codes.ts maps to another number than the host shows up here.
    const json = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
    const slots = () => markingCore().slots;
    const wrong: string[] = [];
    const expectCode = (what: string, name: string, map: Readonly<Record<string, number>>, number: number) => {
      if (map[name] !== number) wrong.push(`${what} "${name}": codes.ts has ${map[name]}, the host ${number}`);
    };
    for (const v of json.decode) {
      const m = decodeMarking(v.marking, { profile: v.profile });
      if (!m.ok) { expectCode("error", m.error.code, ERROR_CODES, m.error.status); continue; }
      if (m.ambiguous) continue;
      expectCode("format", m.format, FORMAT_CODES, slots()[Slot.MARK + Reading.FORMAT]);
      expectCode("class", m.toleranceClass, CLASS_CODES, slots()[Slot.MARK + Reading.TOLERANCE_CLASS]);
    }
    for (const v of json.part) {
      const p = parsePart(v.part);
      if (!p.ok) { expectCode("error", p.error.code, ERROR_CODES, p.error.status); continue; }
      const kind = slots()[Slot.EXPECTED_KIND];
      if (p.expectedMarking === null) expect(kind).toBe(KIND_UNDEFINED);
      else expectCode("kind", p.expectedMarking.kind, KIND_CODES, kind);
      const bits = p.warnings.reduce((sum, w) => sum | (WARNING_BITS[w.code] ?? 1 << 30), 0);
      if (bits !== slots()[Slot.WARNINGS]) wrong.push(`${v.part}: warnings ${p.warnings.map((w) => w.code)} are bits ${bits} in codes.ts, ${slots()[Slot.WARNINGS]} in the core`);
    }
    for (const v of json.verify) {
      const r = verify(v.part, v.marking, v.options);
      if (!r.ok) { expectCode("error", r.error.code, ERROR_CODES, r.error.status); continue; }
      expectCode("verdict", r.verdict, VERDICT_CODES, slots()[Slot.VERDICT]);
      expectCode("reason", r.reason, REASON_CODES, slots()[Slot.REASON]);
    }
    expect(wrong).toEqual([]);
  });
});

// ---- wabt: the module's shape --------------------------------------------------------------

const WABT = ["wasm-validate", "wasm-objdump", "wat2wasm"];

describe.skipIf(missing(...WABT).length > 0)(`release module under wabt${skipReason(WABT)}`, () => {
  it("validates with every post-MVP feature turned off", () => {
    const r = run("wasm-validate", [...mvpOnly("wasm-validate"), RELEASE_WASM]);
    expect(r.status, r.all).toBe(0);
    expect(r.stdout + r.stderr).toBe("");
  });

  it("... and those switches do reject a post-MVP instruction (the check is live)", () => {
    const wat = join(work, "sign-extension.wat"), wasm = join(work, "sign-extension.wasm");
    writeFileSync(wat, "(module (func (param i32) (result i32) (i32.extend8_s (local.get 0))))\n");
    const built = run("wat2wasm", [wat, "-o", wasm]);
    expect(built.status, built.all).toBe(0);
    expect(run("wasm-validate", [wasm]).status).toBe(0);
    expect(run("wasm-validate", [...mvpOnly("wasm-validate"), wasm]).status).not.toBe(0);
  });

  it("has no Import and no Start section, and one memory with min == max", () => {
    const headers = run("wasm-objdump", ["-h", RELEASE_WASM]);
    expect(headers.status, headers.all).toBe(0);
    const sections = [...headers.stdout.matchAll(/^\s*(\w+) start=0x/gm)].map((m) => m[1]);
    expect(sections).toContain("Memory");
    expect(sections).not.toContain("Import");
    expect(sections).not.toContain("Start");

    const details = run("wasm-objdump", ["-x", RELEASE_WASM]);
    expect(details.status, details.all).toBe(0);
    expect(details.stdout).not.toMatch(/^Import\[/m);
    expect(details.stdout).not.toMatch(/^Start:/m);
    expect(details.stdout).toMatch(/^Memory\[1\]:$/m);
    const memory = /^ - memory\[0\] pages: initial=(\d+) max=(\d+)$/m.exec(details.stdout);
    expect(memory, "memory[0] must declare a maximum").not.toBeNull();
    expect(Number(memory![1])).toBe(Number(memory![2]));
  });

  it("contains no memory.grow", () => {
    const code = run("wasm-objdump", ["-d", RELEASE_WASM]);
    expect(code.status, code.all).toBe(0);
    expect(code.stdout).toMatch(/ i32\.load| f64\.store/);   // the disassembly is really there
    expect(code.stdout).not.toMatch(/memory\.grow|grow_memory/);
  });
});

// ---- wasm2c + gcc: the C harness ---------------------------------------------------------------

const C_TOOLS = ["wasm2c", "gcc"];

describe.skipIf(missing(...C_TOOLS).length > 0)(`C harness: wasm2c + gcc${skipReason(C_TOOLS)}`, () => {
  let dir = "";
  let apiFlags: string[] = [];
  let runtime = "";
  let runtimeSources: string[] = [];

  beforeAll(() => {
    dir = join(work, "c");
    generate(dir);
    ({ apiFlags, runtime, runtimeSources } = translate(RELEASE_WASM, dir, "marking"));
  }, 60_000);

  it("harness.c is strict C99 without warnings", () => {
    const r = run("gcc", ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0",
      ...apiFlags, `-I${dir}`, `-I${runtime}`, "-c", HARNESS_C, "-o", join(dir, "harness.o")]);
    expect(r.status, r.all).toBe(0);
  }, 60_000);

  it(`passes all ${cases.length} vectors`, () => {
    // As on a controller without an MMU: bounds checks in code instead of guard pages.
    const exe = join(dir, "harness");
    const built = run("gcc", ["-O2", "-ffp-contract=off", "-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0", ...apiFlags,
      `-I${dir}`, `-I${runtime}`, HARNESS_C, join(dir, "marking.c"), ...runtimeSources, "-lm", "-o", exe]);
    expect(built.status, built.all).toBe(0);
    const r = run(exe, []);
    expect(r.stdout.trimEnd().split("\n").at(-1), r.all).toBe(`${cases.length} passed, 0 failed`);
    expect(r.status, r.all).toBe(0);
  }, 60_000);
});

// ---- wabt's spec interpreter -------------------------------------------------------------------

const SPEC_TOOLS = ["wast2json", "spectest-interp"];

describe.skipIf(missing(...SPEC_TOOLS).length > 0)(`spec interpreter: spectest-interp${skipReason(SPEC_TOOLS)}`, () => {
  it(`passes all ${cases.length} vectors, WASM 1.0 features only`, () => {
    const dir = join(work, "wast");
    generate(dir);
    const wast = readFileSync(join(dir, "vectors.wast"), "utf8");
    const lines = wast.split("\n");
    expect(lines.filter((l) => l.startsWith(";; vector: ")).length).toBe(cases.length);
    // spectest-interp counts every command: the two modules, the writes (invoke) and the checks.
    const commands = lines.filter((l) => l.startsWith("(assert_return ") || l.startsWith("(invoke ")).length;

    const json = run("wast2json", [...mvpOnly("wast2json"), "vectors.wast", "-o", "vectors.json"], dir);
    expect(json.status, json.all).toBe(0);
    const r = run("spectest-interp", [...mvpOnly("spectest-interp"), "vectors.json"], dir);
    // A failure names its .wast line; the nearest ";; vector:" line above it names the vector.
    const failures = [...r.stdout.matchAll(/^vectors\.wast:(\d+): (.*)$/gm)].map(([, line, what]) => {
      let i = Number(line) - 1;
      while (i > 0 && !lines[i].startsWith(";; vector: ")) i--;
      return `${lines[i].slice(11)}: ${lines[Number(line) - 1].replace(/^.*;; /, "")}: ${what}`;
    });
    expect(failures).toEqual([]);
    const summary = r.stdout.split("\n").filter((l) => !l.endsWith("=>")).join("\n") + r.stderr;
    const count = /^(\d+)\/(\d+) tests passed\.$/m.exec(summary);
    expect(count, summary).not.toBeNull();
    expect(`${count![1]}/${count![2]}`).toBe(`${commands + 2}/${commands + 2}`);
    expect(r.status, summary).toBe(0);
  }, 60_000);
});
