// `npm start`: replays the reels of samples/reels.json (part number and what the camera read)
// through verify() and prints the verdict table. Exit 1 if a verdict differs from the one the
// sample file expects. Camera frames replace these strings once the reader exists.

import { readFileSync } from "node:fs";
import { verify } from "./index.ts";

interface Sample { part: string; reads: { text: string; expect: string; note?: string }[] }
const file = new URL("../samples/reels.json", import.meta.url);
const { reels } = JSON.parse(readFileSync(file, "utf8")) as { reels: Sample[] };

const rows: string[][] = [["reel", "expected", "read", "verdict", "reason", "as expected"]];
let wrong = 0;
for (const reel of reels) {
  for (const read of reel.reads) {
    const v = verify(reel.part, read.text);
    if (!v.ok) {
      wrong++;
      rows.push([reel.part, "", JSON.stringify(read.text), "error", v.error.message, "no"]);
      continue;
    }
    const same = v.verdict === read.expect;
    if (!same) wrong++;
    const expected = v.expectedMarking?.text ?? (v.expectedMarking ? "(unmarked)" : "(none)");
    rows.push([reel.part, expected, JSON.stringify(read.text), v.verdict.toUpperCase(), v.reason, same ? "yes" : `NO, want ${read.expect}`]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
console.log(line(rows[0]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows.slice(1)) console.log(line(r));
const total = rows.length - 1;
console.log(`\n${total} reads on ${reels.length} reels: ${total - wrong} verdicts as expected, ${wrong} not.`);
process.exitCode = wrong ? 1 : 0;
