// The fMP4 writer's output, re-parsed and decoded by real ffprobe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSegment, fragment, isSupportedSampleEntry } from '../src/video/fmp4.js';
import { encodeTestVideo } from './support/h264.js';
import { encodeVpx, encodeAv1 } from './support/vp-av1.js';

/** @typedef {{ codec_name: string, width: number, height: number, nb_read_frames: string, time_base: string }} FfprobeStream */
/** @typedef {{ pts: number, duration: number, flags: string }} FfprobePacket */

/**
 * What ffprobe says of `bytes` as an MP4 file, as its JSON (only the fields the tests read).
 * @param {Uint8Array} bytes @param {string[]} args
 * @returns {{ streams: FfprobeStream[], packets: FfprobePacket[] }}
 */
function probe(bytes, args) {
  const dir = mkdtempSync(join(tmpdir(), 'tc-fmp4-'));
  try {
    const file = join(dir, 'stream.mp4');
    writeFileSync(file, bytes);
    return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...args, file]).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('init segment + one fragment per access unit decode in ffprobe, with the right timestamps and keyframes', () => {
  const { avcC, codec, units } = encodeTestVideo({ frames: 45, width: 320, height: 240, gop: 15 });
  assert.equal(units.length, 45);
  const startMicros = 5_000_000; // publisher timelines start anywhere
  const parts = [initSegment({ trackId: 1, codec, decoderConfig: avcC, width: 320, height: 240 })];
  units.forEach((u, i) => parts.push(fragment(1, {
    sequence: i + 1, decodeTimeMicros: startMicros + i * 33_333, durationMicros: 33_333, keyframe: u.keyframe, data: u.data,
  })));
  const file = Buffer.concat(parts);

  const streams = probe(file, ['-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames,time_base']).streams;
  assert.equal(streams.length, 1);
  assert.equal(streams[0].codec_name, 'h264');
  assert.equal(streams[0].width, 320);
  assert.equal(streams[0].height, 240);
  assert.equal(streams[0].time_base, '1/90000');
  assert.equal(Number(streams[0].nb_read_frames), 45, 'every fragment decodes to a frame');

  const packets = probe(file, ['-show_entries', 'packet=pts,duration,flags']).packets;
  assert.equal(packets.length, 45);
  packets.forEach((p, i) => {
    assert.equal(p.pts, Math.round((startMicros + i * 33_333) * 0.09), `pts of packet ${i}`);
    assert.equal(p.duration, 3000);
    assert.equal(p.flags.startsWith('K'), i % 15 === 0, `keyframe flag of packet ${i}`);
  });
});

test('the init segment declares no duration (low-delay MSE) and carries the avcC verbatim', () => {
  const avcC = Uint8Array.from([1, 0x42, 0xc0, 0x1f, 0xff, 0xe1, 0, 2, 0x67, 0x42, 1, 0, 1, 0x68]);
  const init = initSegment({ trackId: 3, codec: 'avc1.42C01F', decoderConfig: avcC, width: 1280, height: 720 });
  const text = Buffer.from(init).toString('latin1');
  assert.ok(!text.includes('mehd'), 'no movie-extends duration');
  const mvhd = text.indexOf('mvhd');
  assert.equal(Buffer.from(init).readUInt32BE(mvhd + 4 + 4 + 8 + 4), 0, 'mvhd duration 0');
  const at = text.indexOf('avcC');
  assert.deepEqual(init.subarray(at + 4, at + 4 + avcC.length), avcC);
  assert.equal(Buffer.from(init).readUInt32BE(at - 4), avcC.length + 8);
});

for (const name of ['vp8', 'vp9', 'av1']) {
  test(`${name}: init segment (sample entry + vpcC/av1C) and one fragment per packet decode in ffprobe`, () => {
    const frames = 30;
    const gop = 10;
    const encoded = name === 'av1' ? encodeAv1({ frames, width: 320, height: 240, gop })
      : encodeVpx({ codec: /** @type {'vp8'|'vp9'} */ (name), frames, width: 320, height: 240, gop });
    const config = 'av1C' in encoded ? encoded.av1C : encoded.vpcC;
    assert.equal(encoded.units.length, frames);
    assert.deepEqual(encoded.units.map((u, i) => [i, u.keyframe]).filter(([, k]) => k).map(([i]) => i), [0, 10, 20]);
    const init = initSegment({ trackId: 1, codec: encoded.codec, decoderConfig: config, width: 320, height: 240 });
    const boxType = name === 'av1' ? 'av1C' : 'vpcC';
    const text = Buffer.from(init).toString('latin1');
    assert.ok(text.includes(name === 'vp8' ? 'vp08' : name === 'vp9' ? 'vp09' : 'av01'), 'sample entry type');
    const at = text.indexOf(boxType);
    assert.deepEqual(init.subarray(at + 4, at + 4 + config.length), config, `${boxType} carried verbatim`);
    const parts = [init];
    encoded.units.forEach((u, i) => parts.push(fragment(1, {
      sequence: i + 1, decodeTimeMicros: i * 33_333, durationMicros: 33_333, keyframe: u.keyframe, data: u.data,
    })));
    const file = Buffer.concat(parts);
    const streams = probe(file, ['-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames']).streams;
    assert.equal(streams[0].codec_name, { vp8: 'vp8', vp9: 'vp9', av1: 'av1' }[name]);
    assert.equal(streams[0].width, 320);
    assert.equal(streams[0].height, 240);
    assert.equal(Number(streams[0].nb_read_frames), frames, 'every fragment decodes to a frame');
    const packets = probe(file, ['-show_entries', 'packet=pts,flags']).packets;
    packets.forEach((p, i) => assert.equal(p.flags.startsWith('K'), i % gop === 0, `keyframe flag of packet ${i}`));
  });
}

test('codecs without an MP4 mapping are refused clearly', () => {
  assert.equal(isSupportedSampleEntry('avc1.42E01F'), true);
  assert.equal(isSupportedSampleEntry('vp09.00.10.08'), true);
  assert.equal(isSupportedSampleEntry('vp8'), true);
  assert.equal(isSupportedSampleEntry('av01.0.05M.08'), true);
  assert.equal(isSupportedSampleEntry('mp4v.20.9'), false);
  assert.throws(() => initSegment({ trackId: 1, codec: 'theora', decoderConfig: new Uint8Array(0), width: 2, height: 2 }), /no MP4 sample entry/);
});
