// Bundles the player (app.js), the AudioWorklet (playout-worklet.js), the transport worker and the publish worker with esbuild into the
// folder the relay serves from its classpath (tunnelcast/player/), next to static/.
import { build } from 'esbuild';
import { cpSync } from 'node:fs';

const outdir = process.argv[2] ?? 'target/classes/tunnelcast/player';
const common = { bundle: true, format: 'esm', target: 'chrome110', sourcemap: true, minify: true, logLevel: 'warning' };
await build({ ...common, entryPoints: { app: 'src/main.js' }, outdir });
await build({ ...common, entryPoints: { 'playout-worklet': 'src/audio/playout-worklet.js' }, outdir });
// splitting: the WASM Opus decoder (~90 kB, only where WebCodecs cannot decode Opus) is a chunk the worker imports on demand.
await build({ ...common, entryPoints: { 'transport-worker': 'src/worker/transport-worker.js' }, outdir, splitting: true,
  chunkNames: 'chunks/[name]-[hash]' });
await build({ ...common, entryPoints: { 'publish-worker': 'src/publish/publish-worker.js' }, outdir });
cpSync('static', outdir, { recursive: true });
console.log(`tunnelcast web player built into ${outdir}`);
