import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { RoomChange, RoomEventSchema } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { roomUpdateOf } from '../src/publish/room-events.js';
import { RoomState, shownName } from '../src/call/room-state.js';

/** @typedef {import('../src/publish/room-events.js').RoomMemberInfo} RoomMemberInfo */

/** @param {string} participant @param {number} joinedMicros @param {Partial<RoomMemberInfo>} [extra] @returns {RoomMemberInfo} */
const member = (participant, joinedMicros, extra = {}) => ({ participant, stream: `r.${participant}`, displayName: '', audioMuted: false,
  videoMuted: false, screenShare: false, joinedMicros, ...extra });
/**
 * @param {import('../src/publish/room-events.js').RoomChangeName} change @param {string} participant @param {RoomMemberInfo[]} members
 * @param {string} [reason] @returns {import('../src/publish/room-events.js').RoomUpdate}
 */
const update = (change, participant, members, reason = '') => ({ room: 'r', change, participant, members, maxMembers: 8, reason });
/** @param {RoomState} state */
const names = (state) => state.tiles.map((t) => `${t.member.participant}:${t.status}`);

test('room events from the wire become plain updates (bigints to numbers, the change by name)', () => {
  const event = create(RoomEventSchema, { room: 'r', change: RoomChange.LEFT, participant: 'bob', reason: 'connection lost', maxMembers: 4,
    members: [{ participant: 'me', stream: 'r.me', displayName: 'Me', audioMuted: true, joinedMicros: 1_700_000_000_000_123n }] });
  assert.deepEqual(roomUpdateOf(event), { room: 'r', change: 'left', participant: 'bob', reason: 'connection lost', maxMembers: 4,
    members: [{ participant: 'me', stream: 'r.me', displayName: 'Me', audioMuted: true, videoMuted: false, screenShare: false,
      joinedMicros: 1_700_000_000_000_123 }] });
  assert.equal(roomUpdateOf(create(RoomEventSchema, { change: /** @type {RoomChange} */ (99) })).change, 'unknown');
});

test('room state: the snapshot gives a tile per other member, in join order; joins add, updates change flags', () => {
  const room = new RoomState('me');
  let d = room.apply(update('snapshot', '', [member('carol', 3), member('me', 1), member('bob', 2)]), 0);
  assert.deepEqual(d.added.map((m) => m.participant), ['carol', 'bob']);
  assert.deepEqual(names(room), ['bob:live', 'carol:live']);
  assert.equal(room.selfMember?.participant, 'me');
  assert.equal(room.memberCount, 3);
  d = room.apply(update('joined', 'dave', [member('me', 1), member('bob', 2), member('carol', 3), member('dave', 4, { displayName: 'Dave D.' })]), 10);
  assert.deepEqual(d.added.map((m) => m.participant), ['dave']);
  assert.equal(shownName(room.tiles[2].member), 'Dave D.');
  assert.equal(shownName(room.tiles[0].member), 'bob');
  d = room.apply(update('updated', 'bob', [member('me', 1), member('bob', 2, { audioMuted: true }), member('carol', 3), member('dave', 4, { displayName: 'Dave D.' })]), 20);
  assert.deepEqual(d.updated.map((m) => m.participant), ['bob']);
  assert.deepEqual([d.added.length, d.removed.length], [0, 0]);
  assert.equal(room.tiles[0].member.audioMuted, true);
});

test('room state: a member who left is removed at once', () => {
  const room = new RoomState('me');
  room.apply(update('snapshot', '', [member('me', 1), member('bob', 2)]), 0);
  const d = room.apply(update('left', 'bob', [member('me', 1)], 'left'), 100);
  assert.deepEqual(d.removed.map((r) => [r.member.participant, r.reason]), [['bob', 'left']]);
  assert.deepEqual(names(room), []);
});

test('room state: a lost connection shows "reconnecting" and the member comes back to the same tile, or is removed after the grace', () => {
  const room = new RoomState('me', { graceMs: 5000 });
  room.apply(update('snapshot', '', [member('me', 1), member('bob', 2), member('carol', 3)]), 0);
  let d = room.apply(update('left', 'bob', [member('me', 1), member('carol', 3)], 'connection lost'), 1000);
  assert.deepEqual(d.reconnecting.map((m) => m.participant), ['bob']);
  assert.deepEqual(names(room), ['bob:reconnecting', 'carol:live']);
  // Someone else's change does not end bob's grace.
  d = room.apply(update('updated', 'carol', [member('me', 1), member('carol', 3, { videoMuted: true })]), 2000);
  assert.deepEqual(names(room), ['bob:reconnecting', 'carol:live']);
  assert.deepEqual(room.expire(5999).removed, []);
  d = room.apply(update('joined', 'bob', [member('me', 1), member('carol', 3, { videoMuted: true }), member('bob', 5)]), 2500);
  assert.deepEqual([d.added.length, d.updated.map((m) => m.participant)], [0, ['bob']], 'the same tile, live again');
  assert.deepEqual(names(room), ['carol:live', 'bob:live']);

  room.apply(update('left', 'carol', [member('me', 1), member('bob', 5)], 'connection lost'), 3000);
  assert.deepEqual(room.expire(7999).removed, []);
  assert.deepEqual(room.expire(8000).removed.map((r) => [r.member.participant, r.reason]), [['carol', 'connection lost']]);
  assert.deepEqual(names(room), ['bob:live']);
});

test('room state: a member missing from a later snapshot (after this page reconnected) is removed', () => {
  const room = new RoomState('me');
  room.apply(update('snapshot', '', [member('me', 1), member('bob', 2), member('carol', 3)]), 0);
  const d = room.apply(update('snapshot', '', [member('me', 1), member('carol', 3)]), 10);
  assert.deepEqual(d.removed.map((r) => [r.member.participant, r.reason]), [['bob', 'gone']]);
  assert.deepEqual([d.added.length, d.updated.length], [0, 0], 'carol unchanged: her tile and player stay');
});
