import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayNameProblem, newInstanceId, parseCallAddress, participantFor, participantFromName } from '../src/call/call-options.js';
import { audioProcessingOf, cameraConstraints, echoCancellationFor, microphoneConstraints } from '../src/call/local-media.js';
import { NameKind, isValidName } from '../src/transport/names.js';

/** @param {...number} values a fake Math.random that says these in turn */
const sequence = (...values) => {
  let i = 0;
  return () => values[i++ % values.length];
};

test('call address: room, name, token and participant from the link, each checked', () => {
  const ok = parseCallAddress('standup', new URLSearchParams('name=Ann%20Lee&token=v1.abc&participant=ann'));
  assert.deepEqual(ok, { room: 'standup', name: 'Ann Lee', token: 'v1.abc', participant: 'ann', errors: [] });
  const bad = parseCallAddress('stand.up', new URLSearchParams(`participant=a.b&name=${'x'.repeat(65)}`));
  assert.equal(bad.errors.length, 3);
  assert.match(bad.errors[0], /not a room name: a letter or digit/);
  assert.match(bad.errors[1], /not a participant id/);
  assert.match(bad.errors[2], /at most 64 characters/);
  assert.equal(bad.name, '', 'a bad name is not used');
  assert.equal(parseCallAddress('caf%C3%A9', new URLSearchParams()).errors.length, 1, 'non-ASCII rooms are refused by names.proto');
});

test('display names: free text up to 64 characters, no control characters, not blank', () => {
  assert.equal(displayNameProblem('Zoë — 会議室 🎥'), '');
  assert.equal(displayNameProblem('x'.repeat(64)), '');
  assert.match(displayNameProblem('x'.repeat(65)), /64/);
  assert.match(displayNameProblem('a\nb'), /control/);
  assert.match(displayNameProblem('a\u0085b'), /control/);
  assert.match(displayNameProblem('a\u2028b'), /line breaks/);
  assert.equal(displayNameProblem('🎥'.repeat(64)), '', 'characters, not UTF-16 units, as the relay counts');
  assert.match(displayNameProblem('🎥'.repeat(65)), /has 65/);
  assert.match(displayNameProblem('   '), /give a name/);
});

test('participant ids made from names are readable and always valid', () => {
  const random = sequence(0, 0.5, 0.99, 0.25);
  assert.equal(participantFromName('Zoë Ann-Marie  Lee', random), 'zoe-ann-marie-lee-as9i');
  for (const name of ['会議室', '---', '', 'A'.repeat(80), ' x y ', 'élan_vital!']) {
    const id = participantFromName(name, Math.random);
    assert.ok(isValidName(NameKind.PARTICIPANT, id), `${name} → ${id}`);
  }
  assert.match(participantFromName('会議室', random), /^guest-/);
});

test('the participant id: the link wins, then this tab\'s earlier one, else a new one kept for the tab', () => {
  /** @type {Map<string, string>} */
  const store = new Map();
  const storage = { getItem: (/** @type {string} */ k) => store.get(k) ?? null, setItem: (/** @type {string} */ k, /** @type {string} */ v) => void store.set(k, v) };
  const address = parseCallAddress('r1', new URLSearchParams());
  const first = participantFor(address, 'Ann', storage, Math.random);
  assert.match(first, /^ann-/);
  assert.equal(participantFor(address, 'Someone Else', storage, Math.random), first, 'a reload is the same participant');
  assert.notEqual(participantFor(parseCallAddress('r2', new URLSearchParams()), 'Ann', storage, Math.random), first, 'per room');
  assert.equal(participantFor(parseCallAddress('r1', new URLSearchParams('participant=fixed')), 'Ann', storage, Math.random), 'fixed');
});

test('instance ids: 12 characters of [A-Za-z0-9_-]', () => {
  const id = newInstanceId((bytes) => bytes.map((_, i) => i * 37));
  assert.match(id, /^[A-Za-z0-9_-]{12}$/);
});

test('echo cancellation: "all" where the browser knows the modes, else true; what took effect is read back', () => {
  assert.equal(echoCancellationFor({ echoCancellation: [true, false, 'remote-only'] }), 'all', 'Chromium 156 lists remote-only');
  assert.equal(echoCancellationFor({ echoCancellation: [true, false, 'all', 'remote-only'] }), 'all');
  assert.equal(echoCancellationFor({ echoCancellation: [true, false] }), true);
  assert.equal(echoCancellationFor(undefined), true);
  assert.deepEqual(microphoneConstraints('', 'all'), { echoCancellation: 'all', noiseSuppression: true, autoGainControl: true });
  assert.deepEqual(microphoneConstraints('mic2', true).deviceId, { exact: 'mic2' });
  assert.deepEqual(cameraConstraints('', { width: 640, height: 360, frameRate: 30 }),
    { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 30 } });
  const track = /** @type {MediaStreamTrack} */ (/** @type {unknown} */ ({ getSettings: () => ({ echoCancellation: true, noiseSuppression: true, autoGainControl: false }),
    getCapabilities: () => ({ echoCancellation: [true, false, 'remote-only'] }) }));
  assert.deepEqual(audioProcessingOf(track, 'all'), { echoCancellationRequested: 'all', echoCancellation: 'true', noiseSuppression: true,
    autoGainControl: false, echoCancellationModes: ['true', 'false', 'remote-only'] });
  assert.equal(audioProcessingOf(null, true).echoCancellation, '');
});
