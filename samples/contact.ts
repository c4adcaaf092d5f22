// Contact sheet of frames, to look at what the generator makes.
//
//   npx tsx samples/contact.ts                          48 frames of samples/frames (a spread)
//   npx tsx samples/contact.ts --group eia96 --max-ch 13
//   npx tsx samples/contact.ts --tuning 48 --seed 1     48 training frames
//   options: --out /tmp/contact.png  --boxes (draw the truth)  --zoom 2 (at most)  --cols 8  --rows 6
//            --cell 240x200 (each frame is shrunk to fit its cell)  --skip N

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { renderFrame, type FrameTruth } from "./render.ts";
import { tuningSpecs } from "./tuning.ts";

const { values: opt } = parseArgs({
  options: {
    out: { type: "string", default: "/tmp/contact.png" },
    index: { type: "string", default: new URL("./frames/index.json", import.meta.url).pathname },
    group: { type: "string" },
    "min-ch": { type: "string" },
    "max-ch": { type: "string" },
    tuning: { type: "string" },
    seed: { type: "string", default: "1" },
    boxes: { type: "boolean", default: false },
    zoom: { type: "string", default: "2" },
    cols: { type: "string", default: "8" },
    rows: { type: "string", default: "6" },
    skip: { type: "string", default: "0" },
    cell: { type: "string", default: "240x200" },
  },
});

interface Tile { image: Buffer; width: number; height: number; label: string; truth: FrameTruth | null }

const cols = Number(opt.cols), rows = Number(opt.rows), zoom = Number(opt.zoom);
const tiles: Tile[] = [];
if (opt.tuning) {
  for (const spec of tuningSpecs(Number(opt.tuning), Number(opt.seed))) {
    const f = await renderFrame(spec);
    tiles.push({ image: f.data, width: f.width, height: f.height, label: `${spec.text || spec.scene} ${spec.charHeightPx}px ${spec.font}`, truth: f.truth });
  }
} else {
  const dir = new URL(".", `file://${opt.index}`).pathname;
  const index = JSON.parse(readFileSync(opt.index, "utf8")) as {
    file: string; group: string; printed: string; charHeightPx: number; font: string; expectedVerdict: string;
  }[];
  const picked = index.filter((e) => (!opt.group || e.group === opt.group) &&
    (!opt["min-ch"] || e.charHeightPx >= Number(opt["min-ch"])) && (!opt["max-ch"] || e.charHeightPx <= Number(opt["max-ch"])));
  const want = cols * rows, step = Math.max(1, Math.floor(picked.length / want));
  for (let i = Number(opt.skip); i < picked.length && tiles.length < want; i += step) {
    const e = picked[i];
    const image = readFileSync(dir + e.file);
    const meta = await sharp(image).metadata();
    tiles.push({ image, width: meta.width!, height: meta.height!, label: `${e.printed || "(blank)"} ${e.charHeightPx}px ${e.font}`, truth: null });
  }
}

const LABEL_H = 14;
const [cellW, cellH] = opt.cell!.split("x").map(Number);
const composites: sharp.OverlayOptions[] = [];
for (const [i, t] of tiles.entries()) {
  const left = (i % cols) * cellW, top = Math.floor(i / cols) * cellH;
  if (top >= rows * cellH) break;
  const s = Math.min(zoom, (cellW - 2) / t.width, (cellH - LABEL_H - 2) / t.height);
  const big = await sharp(t.image).resize(Math.round(t.width * s), Math.round(t.height * s), { kernel: s >= 1 ? "nearest" : "lanczos3" }).png().toBuffer();
  composites.push({ input: big, left, top });
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${cellW}" height="${cellH}">` +
    `<text x="2" y="${cellH - 3}" font-family="DejaVu Sans" font-size="11" fill="#ff0">${escape(t.label)}</text>`;
  if (opt.boxes && t.truth) {
    if (t.truth.bodyCorners) svg += `<polygon points="${t.truth.bodyCorners.map(([x, y]) => `${x * s},${y * s}`).join(" ")}" fill="none" stroke="#0ff" stroke-width="1"/>` +
      `<circle cx="${t.truth.bodyCorners[0][0] * s}" cy="${t.truth.bodyCorners[0][1] * s}" r="3" fill="#0ff"/>`;
    for (const b of [...t.truth.glyphBoxes, ...(t.truth.underline ? [t.truth.underline] : [])]) {
      svg += `<rect x="${b.x * s}" y="${b.y * s}" width="${b.w * s}" height="${b.h * s}" fill="none" stroke="#f0f" stroke-width="1"/>`;
    }
  }
  composites.push({ input: Buffer.from(svg + "</svg>"), left, top });
}
await sharp({ create: { width: cellW * cols, height: cellH * rows, channels: 3, background: "#404040" } })
  .composite(composites).png().toFile(opt.out);
console.log(`${tiles.length} frames → ${opt.out} (${cellW * cols}×${cellH * rows})`);

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}
