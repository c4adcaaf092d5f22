#!/usr/bin/env node
// The installed `chipmark` bin: runs host/cli.ts through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
main();
