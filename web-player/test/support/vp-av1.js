// Test fixtures: real VP8, VP9 and AV1 from FFmpeg (Debian `ffmpeg`), as the agent sends them:
// one frame (VP8/VP9) or one temporal unit without temporal delimiters (AV1) per packet.
import { execFileSync } from 'node:child_process';

/** @typedef {{ keyframe: boolean, data: Uint8Array }} EncodedUnit  one packet: a frame, or an AV1 temporal unit */

/** @param {string[]} args */
function ffmpeg(args) {
  return new Uint8Array(execFileSync('ffmpeg', ['-v', 'error', ...args], { maxBuffer: 64 << 20 }));
}

/** @param {{ frames: number, width: number, height: number }} o */
function source({ frames, width, height }) {
  return ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-frames:v', String(frames), '-threads', '1'];
}

/**
 * VP8 or VP9 frames from an IVF stream, with keyframe flags read from each frame header,
 * and the vpcC (full box body: version 1, flags 0, 8-bit 4:2:0, profile 0) the agent sends.
 * @param {{ codec: 'vp8'|'vp9', frames: number, width: number, height: number, gop: number }} o
 */
export function encodeVpx({ codec, frames, width, height, gop }) {
  const ivf = ffmpeg([...source({ frames, width, height }), '-c:v', codec === 'vp8' ? 'libvpx' : 'libvpx-vp9',
    '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-g', String(gop), '-keyint_min', String(gop),
    '-b:v', '300k', '-f', 'ivf', '-']);
  const view = new DataView(ivf.buffer, ivf.byteOffset);
  /** @type {EncodedUnit[]} */
  const units = [];
  for (let at = view.getUint16(6, true); at + 12 <= ivf.length;) {
    const size = view.getUint32(at, true);
    const data = ivf.subarray(at + 12, at + 12 + size);
    // VP8: frame tag bit 0 is 0 on a keyframe. VP9 profile 0: frame_type (bit 2 of byte 0) is 0.
    const keyframe = codec === 'vp8' ? (data[0] & 1) === 0 : (data[0] & 0x04) === 0;
    units.push({ keyframe, data });
    at += 12 + size;
  }
  const level = codec === 'vp8' ? 0 : 20;
  const vpcC = Uint8Array.from([1, 0, 0, 0, 0, level, (8 << 4) | (1 << 1), 2, 2, 2, 0, 0]);
  return { codec: codec === 'vp8' ? 'vp8' : 'vp09.00.20.08', vpcC, units };
}

/**
 * AV1 (SVT-AV1) temporal units from a low-overhead OBU stream, temporal delimiters removed,
 * and an av1C built around the sequence header. Keyframes: the units that carry a sequence header.
 * @param {{ frames: number, width: number, height: number, gop: number }} o
 */
export function encodeAv1({ frames, width, height, gop }) {
  const obus = ffmpeg([...source({ frames, width, height }), '-c:v', 'libsvtav1', '-preset', '10', '-g', String(gop),
    '-svtav1-params', 'pred-struct=1:scd=0', '-b:v', '300k', '-f', 'obu', '-']);
  /** @type {EncodedUnit[]} */
  const units = [];
  /** @type {Uint8Array[]} */
  let current = [];
  let keyframe = false;
  /** @type {Uint8Array | undefined} */
  let sequenceHeader;
  const flush = () => {
    if (current.length) units.push({ keyframe, data: concat(current) });
    current = [];
    keyframe = false;
  };
  for (let at = 0; at < obus.length;) {
    const header = obus[at];
    const type = (header >> 3) & 0x0f;
    let p = at + 1 + ((header & 0x04) ? 1 : 0);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = obus[p++];
      size += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    const obu = obus.subarray(at, p + size);
    if (type === 2) flush(); // temporal delimiter: a new temporal unit
    else {
      if (type === 1) {
        keyframe = true;
        sequenceHeader ??= obu;
      }
      current.push(obu);
    }
    at = p + size;
  }
  flush();
  if (!sequenceHeader) throw new Error('no AV1 sequence header');
  // seq_profile 0, no timing info (SVT's default): seq_level_idx[0] sits at bits 24..28 of the payload.
  const payload = sequenceHeader.subarray(2);
  const bits = (payload[0] << 24) | (payload[1] << 16) | (payload[2] << 8) | payload[3];
  const level = (bits >>> 2) & 0x1f;
  const av1C = concat([Uint8Array.from([0x81, level, 0x0c, 0]), sequenceHeader]);
  return { codec: `av01.0.${String(level).padStart(2, '0')}M.08`, av1C, units };
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
