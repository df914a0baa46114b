import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameKind, htmlPattern, isValidName, nameRule, roomOfStream, roomStream } from '../src/transport/names.js';

const samples = ['cam1', 'a', 'A-b_c.d', '-x', '.x', 'x y', 'x/y', 'a'.repeat(64), 'a'.repeat(65), 'room.p', 'r.p.q', 'é', ''];

test('names come from names.proto: the patterns and rules of streams, rooms and participants', () => {
  assert.equal(nameRule(NameKind.STREAM).pattern, '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}');
  assert.match(nameRule(NameKind.PARTICIPANT).rule, /letter or digit/);
  assert.equal(isValidName(NameKind.STREAM, 'cam1'), true);
  assert.equal(isValidName(NameKind.STREAM, 'a'.repeat(65)), false);
  assert.equal(isValidName(NameKind.ROOM, 'stand.up'), false);
  assert.equal(isValidName(NameKind.PARTICIPANT, 'a'.repeat(31)), true);
  assert.equal(isValidName(NameKind.PARTICIPANT, 'a'.repeat(32)), false);
});

test('the HTML pattern means what the proto pattern means, and compiles with the v flag browsers use', () => {
  for (const kind of [NameKind.STREAM, NameKind.ROOM, NameKind.PARTICIPANT]) {
    // What a browser does with a pattern attribute: ^(?:pattern)$ with the v flag.
    const html = new RegExp(`^(?:${htmlPattern(kind)})$`, 'v');
    for (const name of samples) assert.equal(html.test(name), isValidName(kind, name), `${kind}: ${name}`);
  }
  assert.throws(() => new RegExp(`^(?:${nameRule(NameKind.STREAM).pattern})$`, 'v'), 'the proto text itself is not valid there');
});

test('a stream is in a room when it is "{room}.{participant}", both valid', () => {
  assert.deepEqual(roomOfStream('standup.ann'), { room: 'standup', participant: 'ann' });
  assert.equal(roomOfStream('standup'), null);
  assert.equal(roomOfStream('a.b.c'), null);
  assert.equal(roomOfStream('a.-b'), null);
  assert.equal(roomStream('standup', 'ann'), 'standup.ann');
});
