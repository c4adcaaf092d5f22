// The README stays true where it restates the code: status codes and the CLI's usage examples.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STATUS_CODES } from "../host/index.ts";
import { run } from "../host/cli.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists every status code with its number, and no other", () => {
    const rows = [...readme.matchAll(/^\| (\d+) \| `([a-z0-9-]+)` \|/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(Object.fromEntries(rows)).toEqual(STATUS_CODES);
  });

  it("shows CLI output the CLI really prints", () => {
    // Every "$ chipmark decode|part|verify ..." block without --json, up to the next blank line.
    const blocks = [...readme.matchAll(/^\$ chipmark ((?:decode|part|verify)[^\n]*)\n((?:(?!\$ )[^\n]+\n)+)/gm)]
      .filter((m) => !m[1].includes("--json"));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const [, command, shown] of blocks) {
      const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
      const out: string[] = [];
      run(args, (l) => out.push(l), (l) => out.push(l));
      expect(out.join("\n")).toBe(shown.trimEnd());
    }
  });
});
