// Test fixture: real H.264 from FFmpeg (Debian `ffmpeg`), split into AVCC access units.
import { execFileSync } from 'node:child_process';

/**
 * Encodes `frames` frames of a test pattern and returns the avcC and the access units.
 * @param {{ frames: number, width: number, height: number, gop: number }} o
 */
export function encodeTestVideo({ frames, width, height, gop }) {
  const annexB = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`,
    '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
    '-profile:v', 'baseline', '-threads', '1', '-g', String(gop), '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', '-'], { maxBuffer: 64 << 20 });
  const nals = splitAnnexB(new Uint8Array(annexB));
  const sps = nals.find((n) => (n[0] & 0x1f) === 7);
  const pps = nals.find((n) => (n[0] & 0x1f) === 8);
  if (!sps || !pps) throw new Error('x264 wrote no SPS or PPS');
  const units = [];
  /** @type {Uint8Array[]} */
  let current = [];
  let keyframe = false;
  for (const nal of nals) {
    const type = nal[0] & 0x1f;
    if (type === 7 || type === 8 || type === 9) continue; // parameter sets live in avcC
    current.push(nal);
    if (type === 5) keyframe = true;
    if (type === 1 || type === 5) { // one slice per frame: x264 on one thread
      units.push({ keyframe, data: toAvcc(current) });
      current = [];
      keyframe = false;
    }
  }
  const avcC = Uint8Array.from([1, sps[1], sps[2], sps[3], 0xff, 0xe1, sps.length >> 8, sps.length & 0xff, ...sps,
    1, pps.length >> 8, pps.length & 0xff, ...pps]);
  const codec = 'avc1.' + [sps[1], sps[2], sps[3]].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return { avcC, codec, units };
}

/** The NAL units of an Annex B stream, without their start codes. @param {Uint8Array} bytes */
function splitAnnexB(bytes) {
  /** @type {number[]} */
  const starts = [];
  for (let i = 0; i + 3 <= bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((s, k) => {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : bytes.length;
    while (end > s && bytes[end - 1] === 0) end--; // the 4-byte start code's leading zero
    return bytes.subarray(s, end);
  });
}

/** One access unit in AVCC form: each NAL unit behind its 4-byte length. @param {Uint8Array[]} nals */
function toAvcc(nals) {
  const out = new Uint8Array(nals.reduce((n, x) => n + 4 + x.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const nal of nals) {
    view.setUint32(at, nal.length);
    out.set(nal, at + 4);
    at += 4 + nal.length;
  }
  return out;
}
