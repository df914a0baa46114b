#!/usr/bin/env node
// @ts-check
// Replays arrival traces through the player's jitter buffer and prints, per trace, the target
// delay, the concealment and the time to converge (trace-replay.js).
//   node bench/replay-traces.mjs [--json] [trace.json ...]   (default: every trace in bench/traces/*/)
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTrace } from './trace-replay.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
let files = args.filter((a) => a !== '--json');
if (files.length === 0) {
  const root = join(dirname(fileURLToPath(import.meta.url)), 'traces');
  files = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith('.json')).sort().map((f) => join(root, d.name, f)));
}
const results = files.map((f) => replayTrace(JSON.parse(readFileSync(f, 'utf8'))));
if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const header = ['trace', 'packets', 's', 'target ms', 'max ms', 'converged s', 'concealed %', 'underruns', 'gap %', 'skipped ms', 'depth ms', 'MoQ ref ms'];
  const rows = results.map((r) => [r.name, String(r.packets), r.seconds.toFixed(1), r.targetMs.toFixed(0), r.targetMaxMs.toFixed(0),
    (r.convergedAtMs / 1000).toFixed(1), r.concealedPercent.toFixed(2), String(r.underruns), r.gapPercent.toFixed(1), r.skippedMs.toFixed(0),
    r.meanDepthMs.toFixed(0), Number.isNaN(r.referenceTargetMs) ? '—' : r.referenceTargetMs.toFixed(0)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const row of [header, ...rows]) console.log(row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  '));
}
