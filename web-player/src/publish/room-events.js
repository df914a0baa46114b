// @ts-check
/**
 * The relay's RoomEvents (Hello.room_events) as plain objects for the page: what crosses the
 * worker boundary is typed here, not the generated message (its int64 fields are bigints and
 * its enum a number the page would have to know).
 */
import { RoomChange } from '../gen/tunnelcast/v1/tunnelcast_pb.js';

/** @typedef {import('../gen/tunnelcast/v1/tunnelcast_pb.js').RoomEvent} RoomEvent */

/**
 * @typedef {object} RoomMemberInfo   one participant of the room (RoomMember)
 * @property {string} participant
 * @property {string} stream          "{room}.{participant}": what to play
 * @property {string} displayName     '' when the publisher gave none
 * @property {boolean} audioMuted
 * @property {boolean} videoMuted
 * @property {boolean} screenShare
 * @property {number} joinedMicros    relay clock
 *
 * @typedef {'snapshot' | 'joined' | 'left' | 'updated' | 'unknown'} RoomChangeName
 *
 * @typedef {object} RoomUpdate       one RoomEvent: the whole membership after a change
 * @property {string} room
 * @property {RoomChangeName} change
 * @property {string} participant     whom the change is about ('' for a snapshot)
 * @property {RoomMemberInfo[]} members  sorted by joinedMicros; the receiver is one of them
 * @property {number} maxMembers
 * @property {string} reason          for 'left': "left" or "connection lost"
 */

/** @type {Record<number, RoomChangeName>} */
const CHANGES = {
  [RoomChange.SNAPSHOT]: 'snapshot', [RoomChange.JOINED]: 'joined', [RoomChange.LEFT]: 'left', [RoomChange.UPDATED]: 'updated',
};

/** @param {RoomEvent} event @returns {RoomUpdate} */
export function roomUpdateOf(event) {
  return {
    room: event.room,
    change: CHANGES[event.change] ?? 'unknown',
    participant: event.participant,
    members: event.members.map((m) => ({ participant: m.participant, stream: m.stream, displayName: m.displayName, audioMuted: m.audioMuted,
      videoMuted: m.videoMuted, screenShare: m.screenShare, joinedMicros: Number(m.joinedMicros) })),
    maxMembers: event.maxMembers,
    reason: event.reason,
  };
}
