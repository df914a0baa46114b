import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement } from './support/fake-dom.js';

test('the join screen writes its notes only when they change (a WebKit click across a rewrite is lost)', async () => {
  // Defined rather than assigned: Node 21 and later have a navigator of their own, a getter.
  Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true }); // no mediaDevices: no device list
  Object.assign(globalThis, {
    document: {
      createElement: (/** @type {string} */ tag) => new FakeElement(tag),
      createElementNS: (/** @type {string} */ _ns, /** @type {string} */ tag) => new FakeElement(tag),
    },
    localStorage: { getItem: () => null, setItem: () => {} },
    sessionStorage: { getItem: () => null },
  });
  const { joinScreen } = await import('../src/call/join-screen.js');
  // No camera (it failed), a link with a problem: all three notes have something to say.
  const session = {
    address: { room: 'r', name: 'Ada', participant: '', token: '', errors: ['bad room'] },
    media: { audioMuted: false, videoMuted: true, videoTrack: null, microphone: null, cameraError: 'not allowed', microphoneError: '' },
    setAudioMuted() {}, setVideoMuted() {}, join() {}, useDevice() {},
  };
  const join = joinScreen(/** @type {any} */ (session), { token: false });
  const root = /** @type {FakeElement} */ (/** @type {unknown} */ (join.element));
  join.tick();
  const deviceNote = root.byClass('tc-call-device-note');
  const nameNote = root.byClass('tc-call-field-note');
  const problems = root.byClass('tc-call-problems');
  assert.equal(deviceNote.textContent, 'Camera: not allowed.');
  assert.equal(nameNote.textContent, 'The others see this name.');
  assert.equal(problems.textContent, 'This link cannot be used: bad room.');
  const texts = [deviceNote, nameNote, problems];
  const writes = texts.map((e) => e.textWrites);
  for (let i = 0; i < 8; i++) join.tick();
  assert.deepEqual(texts.map((e) => e.textWrites), writes, 'ticks with the same notes leave their text nodes alone');
  // A note that changes is still written, once.
  session.media.cameraError = '';
  for (let i = 0; i < 4; i++) join.tick();
  assert.equal(deviceNote.textContent, '');
  assert.equal(deviceNote.hidden, true);
  assert.deepEqual(texts.map((e) => e.textWrites), [writes[0] + 1, writes[1], writes[2]]);
  join.close();
});
