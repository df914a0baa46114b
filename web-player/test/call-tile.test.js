import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hueOf, initialsOf } from '../src/call/tile.js';

test('avatars: initials of the first and last words, a stable colour per participant', () => {
  assert.equal(initialsOf('Ann Lee'), 'AL');
  assert.equal(initialsOf('ann'), 'A');
  assert.equal(initialsOf('Jean-Luc de la Tour'), 'JT');
  assert.equal(initialsOf('zoë'), 'Z');
  assert.equal(initialsOf('会議室 カメラ'), '会カ');
  assert.equal(initialsOf('🎥 cam'), '🎥C');
  assert.equal(initialsOf('   '), '?');
  assert.equal(hueOf('ann-k3x9'), hueOf('ann-k3x9'));
  assert.ok(hueOf('ann') >= 0 && hueOf('ann') < 360);
});
