// Test fixture: real Opus from FFmpeg's libopus (Debian `ffmpeg`), split out of its Ogg pages.
import { execFileSync } from 'node:child_process';

/**
 * Encodes a sine tone and returns the OpusHead and the audio packets (20 ms each).
 * @param {{ frequencyHz: number, seconds: number, channels: number }} o
 * @returns {{ head: Uint8Array, packets: Uint8Array[] }}
 */
export function encodeTestTone({ frequencyHz, seconds, channels }) {
  const ogg = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${frequencyHz}:sample_rate=48000:duration=${seconds}`,
    '-ac', String(channels), '-c:a', 'libopus', '-b:a', '64k', '-frame_duration', '20', '-application', 'audio',
    '-f', 'ogg', '-'], { maxBuffer: 16 << 20 });
  const [head, tags, ...packets] = oggPackets(new Uint8Array(ogg));
  if (new TextDecoder().decode(tags.subarray(0, 8)) !== 'OpusTags') throw new Error('second Ogg packet is not OpusTags');
  return { head, packets };
}

/**
 * The packets of an Ogg stream (RFC 3533): each page's segment table gives lacing values;
 * a packet ends at a value below 255 and may continue onto the next page.
 * @param {Uint8Array} bytes
 */
export function oggPackets(bytes) {
  const packets = [];
  /** @type {Uint8Array[]} */
  let pending = [];
  let at = 0;
  while (at < bytes.length) {
    if (String.fromCharCode(...bytes.subarray(at, at + 4)) !== 'OggS') throw new Error(`no Ogg page at ${at}`);
    const segments = bytes[at + 26];
    const lacing = bytes.subarray(at + 27, at + 27 + segments);
    let data = at + 27 + segments;
    let start = data;
    for (const value of lacing) {
      data += value;
      if (value < 255) {
        pending.push(bytes.subarray(start, data));
        packets.push(concat(pending));
        pending = [];
        start = data;
      }
    }
    if (start < data) pending.push(bytes.subarray(start, data));
    at = data;
  }
  return packets;
}

/** @param {Uint8Array[]} parts */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
