// A PulseAudio sound server with a null sink, for browsers that need one to play audio at all
// (Firefox keeps every AudioContext suspended without one; WebKitGTK's GStreamer sink wants one).
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts PulseAudio with a null sink, listening on a socket under `home`; answers the server
 * address and the process. As root it runs without a system config (-n) and warns; it works.
 * @param {string} home @param {NodeJS.ProcessEnv} env
 */
export async function startPulseAudio(home, env) {
  const socket = join(home, 'pulse.sock');
  mkdirSync(join(home, 'run'), { recursive: true });
  const pulse = spawn('pulseaudio', ['-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--disable-shm=yes',
    '--load=module-null-sink sink_name=tunnelcast_null', `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`],
  { env: { ...env, XDG_RUNTIME_DIR: join(home, 'run') }, stdio: ['ignore', 'ignore', 'inherit'] });
  // The driver may end without close() (its caller kills it): the sound server ends with it.
  process.on('exit', () => pulse.kill());
  const deadline = Date.now() + 60_000;
  while (!existsSync(socket)) {
    if (pulse.exitCode !== null) throw new Error(`pulseaudio exited (${pulse.exitCode}); is it installed? (./tunnelcast setup)`);
    if (Date.now() > deadline) throw new Error('pulseaudio did not open its socket within 60 s');
    await sleep(100);
  }
  return { server: `unix:${socket}`, pulse };
}
