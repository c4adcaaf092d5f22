// The hostile-input generators of test/fuzz.test.ts, test/hostile.test.ts and
// test/adversarial.test.ts, run for minutes with fresh seeds instead of seconds with fixed ones.
//
//   npm run soak                      # 1 minute
//   npm run soak -- --minutes 30      # longer
//   npm run soak -- --seed 12345      # repeat a run (the seed is printed at the start)
//
// Prints the counts per round and at the end; exits 1 if a must-be-zero count is not zero: traps,
// unhandled exceptions, frames unaccounted for, false matches, oracle disagreements, bytes
// written outside the I/O areas, wrong answers after a bad call, required matches refused.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { replay } from "../host/replay.ts";
import {
  Prng, adversarialCases, adversarialCropCases, apiCanaries, checkReelCases, differential, fuzzApi, fuzzCli, fuzzFrames, fuzzRaw, loadCore,
  replayAccounting, verdictDifferential, writeReplayFolder,
} from "./hostile-lib.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "1" },
    seed: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("npm run soak -- [--minutes N] [--seed S]");
  process.exit(0);
}
const minutes = Number(values.minutes);
if (!(minutes > 0)) { console.error(`soak: --minutes must be a positive number, not ${values.minutes}`); process.exit(2); }
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;

/** Counts over the whole run. The ones in MUST_BE_ZERO fail it. */
const c = {
  calls: 0,
  traps: 0,
  unhandled: 0,
  framesUnaccounted: 0,
  falseMatches: 0,
  oracleDisagreements: 0,
  strayWrites: 0,
  wrongAfterBad: 0,
  requiredMatchesRefused: 0,
  imageMissingForBytes: 0,
  markingsCompared: 0,
  framesChecked: 0,
  wrongReels: 0,
  wrongReelMatches: 0,
  correctReels: 0,
  falseRejects: 0,
  replayFrames: 0,
};
type Count = keyof typeof c;
const MUST_BE_ZERO: Count[] = ["traps", "unhandled", "framesUnaccounted", "falseMatches", "oracleDisagreements", "strayWrites", "wrongAfterBad", "requiredMatchesRefused", "imageMissingForBytes"];
/** The first few problems of each kind, to reproduce them. */
const examples: string[] = [];
const perKind = new Map<string, number>();
const note = (what: string, list: string[]) => {
  for (const x of list) {
    const n = perKind.get(what) ?? 0;
    if (n >= 3) return;
    perKind.set(what, n + 1);
    examples.push(`${what}: ${x}`);
  }
};

const root = mkdtempSync(join(tmpdir(), "chipmark-soak-"));
const deadline = performance.now() + minutes * 60_000;
const started = performance.now();
console.log(`chipmark soak: ${minutes} min, seed ${seed}`);

let round = 0;
try {
  const apiGuard = apiCanaries();
  while (performance.now() < deadline) {
    const rng = new Prng((seed + Math.imul(round, 0x9e3779b1)) >>> 0);
    const t0 = performance.now();

    for (const which of ["release", "debug"] as const) {
      const { core, wasm } = loadCore(which);
      const s = fuzzRaw(core, wasm, rng, 40_000, { nonFiniteCandidateChars: true });
      c.calls += s.calls; c.traps += s.traps; c.wrongAfterBad += s.wrongAfterBad; c.strayWrites += s.damaged.length;
      note(`trap (${which})`, s.trapped.slice(0, 2));
    }

    const api = fuzzApi(rng, 15_000);
    c.calls += api.calls; c.unhandled += api.unhandled + api.badFailures; c.wrongAfterBad += api.wrongAfterBad;
    note("exception", api.thrown); note("malformed failure", api.badFailure);

    const cli = await fuzzCli(rng, 400, [join(root, "missing.png"), root]);
    c.calls += cli.calls; c.unhandled += cli.unhandled + cli.badCodes.length;
    note("CLI", [...cli.thrown, ...cli.badCodes]);

    const diff = differential(rng, 200_000, 10);
    c.calls += diff.comparisons; c.markingsCompared += diff.markings * 2; c.oracleDisagreements += diff.disagreementCount;
    note("oracle", diff.disagreements.map((d) => `${JSON.stringify(d.marking)} (${d.profile}, ${d.path}): want ${d.want}, got ${d.got}`));

    const verdicts = verdictDifferential(rng, 80_000);
    c.calls += verdicts.calls; c.falseMatches += verdicts.falseMatchCount; c.requiredMatchesRefused += verdicts.falseRejectCount;
    note("verify false match", verdicts.falseMatches); note("verify refused", verdicts.falseRejects);

    const frames = await fuzzFrames(rng, 40, 60);
    c.calls += frames.calls; c.framesChecked += frames.frames; c.traps += frames.readerTraps; c.unhandled += frames.unhandled + frames.badResults.length;
    c.falseMatches += frames.falseMatches.length; c.wrongAfterBad += frames.wrongAfterBad; c.strayWrites += frames.markingDamage.length + (frames.readerMemoryGrew ? 1 : 0);
    c.imageMissingForBytes += frames.missingForBytes.length;
    note("frame", [...frames.thrown, ...frames.badResults, ...frames.falseMatches]); note("image-missing for bytes", frames.missingForBytes.slice(0, 1));

    // Wrong reels rendered with fresh seeds, far from the sample (7.0 M) and training (1.7 M) ones,
    // as whole scenes and framed as the held-out photos.
    const at = ((seed % 100_000) * 500 + round * 50) % 60_000_000;
    const scenes = adversarialCases(30_000_000 + at, 3), cropped = adversarialCropCases(100_000_000 + at, 1);
    const wrong = [...scenes.wrong, ...cropped.wrong], correct = [...scenes.correct, ...cropped.correct];
    const w = await checkReelCases(wrong), k = await checkReelCases(correct);
    c.calls += w.length + k.length; c.wrongReels += w.length; c.correctReels += k.length;
    const fa = w.filter((r) => r.verdict === "match");
    c.falseMatches += fa.length; c.wrongReelMatches += fa.length; c.falseRejects += k.filter((r) => r.verdict !== "match").length;
    c.unhandled += [...w, ...k].filter((r) => r.error).length;
    note("wrong reel matched", fa.map((r) => `${r.c.category}: reel ${r.c.part}, chip ${r.c.printed}, read ${r.text}, seed ${r.c.spec.seed}`));

    const folder = await writeReplayFolder(join(root, `r${round}`), rng, 300, 10);
    try {
      const { records, summary } = await replay(folder.dir);
      const problems = replayAccounting(folder, records, summary);
      c.calls += records.length; c.replayFrames += folder.entries.length;
      c.framesUnaccounted += problems.length; c.falseMatches += summary.overall.falseMatches;
      note("replay", problems);
    } catch (e) {
      c.unhandled++; note("replay threw", [(e as Error).message]);
    }
    rmSync(folder.dir, { recursive: true, force: true });

    const damage = apiGuard.damage();
    c.strayWrites += damage.length;
    note("stray write in the shared marking core", damage.slice(0, 3).map(String));

    round++;
    const bad = MUST_BE_ZERO.filter((k) => c[k] > 0).map((k) => `${k} ${c[k]}`);
    console.log(`round ${round} (${((performance.now() - t0) / 1000).toFixed(1)} s): ${c.calls} calls so far${bad.length ? `; NOT ZERO: ${bad.join(", ")}` : ""}`);
  }
} catch (e) {
  c.unhandled++;
  examples.push(`soak itself: ${(e as Error).stack ?? e}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}

const pct = (n: number, of: number) => (of === 0 ? "-" : `${((100 * n) / of).toFixed(2)} %`);
const rows: [string, string, boolean][] = [
  ["calls", String(c.calls), false],
  ["traps", String(c.traps), true],
  ["unhandled exceptions", String(c.unhandled), true],
  ["frames unaccounted for", String(c.framesUnaccounted), true],
  ["false matches", String(c.falseMatches), true],
  ["oracle disagreements", `${c.oracleDisagreements} of ${c.markingsCompared} markings × profile`, true],
  ["bytes written outside the I/O areas", String(c.strayWrites), true],
  ["wrong answers after a bad call", String(c.wrongAfterBad), true],
  ["required matches refused (verify)", String(c.requiredMatchesRefused), true],
  ["image-missing for bytes in memory", String(c.imageMissingForBytes), true],
  ["hostile frames", String(c.framesChecked), false],
  ["replayed frames", String(c.replayFrames), false],
  ["wrong reels, false-accept rate", `${c.wrongReels}, ${pct(c.wrongReelMatches, c.wrongReels)} (${c.wrongReelMatches} called a match)`, false],
  ["correct reels, false-reject rate", `${c.correctReels}, ${pct(c.falseRejects, c.correctReels)} (${c.falseRejects} not called a match)`, false],
];
console.log(`\n${round} rounds in ${((performance.now() - started) / 60_000).toFixed(2)} min, seed ${seed}`);
for (const [name, value, must] of rows) console.log(`  ${name.padEnd(40)} ${value}${must ? "   (must be 0)" : ""}`);
if (examples.length) console.log(`\nfirst problems:\n  ${examples.join("\n  ")}`);
const failed = MUST_BE_ZERO.filter((k) => c[k] > 0);
console.log(failed.length ? `\nFAILED: ${failed.join(", ")} not zero` : "\nOK: every must-be-zero count is zero");
process.exitCode = failed.length ? 1 : 0;
