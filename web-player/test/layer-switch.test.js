// The decision between switching a video path in place and starting it over, when a config of
// the track playing arrives (a simulcast layer switch), and the timeline check at the keyframe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { TrackConfigSchema } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { switchPlan, continuesTimeline, LayerSwitches, SWITCH_MAX_JUMP_MICROS } from '../src/video/layer-switch.js';

const top = create(TrackConfigSchema, { trackId: 1, codec: 'avc1.64001f', decoderConfig: new Uint8Array([1, 2]), width: 640, height: 360,
  layer: 0, layerCount: 2 });
const low = create(TrackConfigSchema, { ...top, codec: 'avc1.64000d', decoderConfig: new Uint8Array([1, 3]), width: 320, height: 180, layer: 1 });
const can = { changeType: true };

test('another layer of the same codec string is switched in place', () => {
  const lowSameCodec = create(TrackConfigSchema, { ...low, codec: top.codec });
  assert.equal(switchPlan(top, lowSameCodec, can), 'inPlace');
  assert.equal(switchPlan(top, lowSameCodec, { changeType: false }), 'inPlace', 'no changeType needed');
  const newSize = create(TrackConfigSchema, { ...top, width: 1280, height: 720, decoderConfig: new Uint8Array([1, 4]), layerCount: 0 });
  assert.equal(switchPlan(top, newSize, can), 'inPlace', 'an encoder\'s new size and decoder config, no layers');
});

test('another codec string of the family needs changeType; without it, a restart', () => {
  assert.equal(switchPlan(top, low, can), 'changeType');
  assert.equal(switchPlan(top, low, { changeType: false }), 'restart');
});

test('a first config, another track, another codec family or the same config again start over', () => {
  assert.equal(switchPlan(null, top, can), 'restart');
  assert.equal(switchPlan(top, create(TrackConfigSchema, { ...low, trackId: 2 }), can), 'restart');
  assert.equal(switchPlan(top, create(TrackConfigSchema, { ...low, codec: 'vp09.00.10.08' }), can), 'restart');
  assert.equal(switchPlan(top, create(TrackConfigSchema, { ...top, decoderConfig: new Uint8Array([1, 2]) }), can), 'restart',
    'a re-announcement may start a new timeline');
});

test('the keyframe after a switch must go on from the newest frame, within the bound', () => {
  assert.equal(continuesTimeline(1_000_000, 1_033_333), true);
  assert.equal(continuesTimeline(NaN, 5), true, 'nothing before it');
  assert.equal(continuesTimeline(1_000_000, 1_000_000), false, 'not after the newest frame');
  assert.equal(continuesTimeline(1_000_000, 0), false, 'a publisher that started over at 0');
  assert.equal(continuesTimeline(1_000_000, 1_000_000 + SWITCH_MAX_JUMP_MICROS + 1), false);
});

test('LayerSwitches checks only the first keyframe after a switch, and counts switches', () => {
  const s = new LayerSwitches();
  assert.equal(s.keyframeContinues(1_000_000, 0), true, 'no switch pending: not its business');
  s.switched();
  assert.equal(s.keyframeContinues(1_000_000, 0), false);
  assert.equal(s.keyframeContinues(1_000_000, 0), true, 'checked once');
  s.switched();
  assert.equal(s.keyframeContinues(1_000_000, 1_033_333), true);
  assert.equal(s.count, 2);
});
