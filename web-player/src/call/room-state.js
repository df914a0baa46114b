// @ts-check
/**
 * The room as this participant sees it, from the relay's RoomEvents: one tile per other
 * member. Each event carries the whole membership, so applying one is a comparison with what
 * is shown: tiles are added, updated (mute flags, name) and removed. A member that left with
 * reason "connection lost" stays as a "reconnecting" tile for `graceMs` (its page rejoins at
 * once with the same instance id, usually within a second or two, and its player rides the
 * gap) and is removed only if it has not come back by then; a member that left ("left") or
 * is missing from a later event is removed at once. Pure: times come in as arguments.
 */

/** @typedef {import('../publish/room-events.js').RoomUpdate} RoomUpdate */
/** @typedef {import('../publish/room-events.js').RoomMemberInfo} RoomMemberInfo */

/** How long a member whose connection was lost is shown as reconnecting. */
export const DEFAULT_RECONNECT_GRACE_MS = 5000;

/**
 * @typedef {object} RemoteTile
 * @property {RoomMemberInfo} member
 * @property {'live' | 'reconnecting'} status
 * @property {number} sinceMs    when the tile was added, or went reconnecting
 *
 * @typedef {object} RoomDelta   what one event (or the grace expiring) changed
 * @property {RoomMemberInfo[]} added
 * @property {RoomMemberInfo[]} updated     flags or name changed, or back from reconnecting
 * @property {{ member: RoomMemberInfo, reason: string }[]} removed
 * @property {RoomMemberInfo[]} reconnecting
 */

/** The name to show for a member. @param {RoomMemberInfo} member */
export function shownName(member) {
  return member.displayName || member.participant;
}

/** @param {RoomMemberInfo} a @param {RoomMemberInfo} b */
function sameMember(a, b) {
  return a.displayName === b.displayName && a.audioMuted === b.audioMuted && a.videoMuted === b.videoMuted
    && a.screenShare === b.screenShare && a.stream === b.stream && a.joinedMicros === b.joinedMicros;
}

/** @returns {RoomDelta} */
const emptyDelta = () => ({ added: [], updated: [], removed: [], reconnecting: [] });

export class RoomState {
  /** @param {string} self this page's participant id @param {{ graceMs?: number }} [options] */
  constructor(self, options = {}) {
    this.self = self;
    this.graceMs = options.graceMs ?? DEFAULT_RECONNECT_GRACE_MS;
    /** @type {Map<string, RemoteTile>} */
    this.byParticipant = new Map();
    /** @type {RoomMemberInfo | null} this page's own entry, as the relay has it */
    this.selfMember = null;
    this.maxMembers = 0;
    /** members of the room, this page included, as of the last event */
    this.memberCount = 0;
    this.events = 0;
  }

  /** The tiles in the room's order (who joined first), reconnecting ones in their place. @returns {RemoteTile[]} */
  get tiles() {
    return [...this.byParticipant.values()].sort((a, b) => a.member.joinedMicros - b.member.joinedMicros
      || (a.member.participant < b.member.participant ? -1 : 1));
  }

  /** @param {RoomUpdate} update @param {number} nowMs @returns {RoomDelta} */
  apply(update, nowMs) {
    this.events++;
    this.maxMembers = update.maxMembers;
    this.memberCount = update.members.length;
    const delta = emptyDelta();
    /** @type {Map<string, RoomMemberInfo>} */
    const others = new Map();
    this.selfMember = null;
    for (const member of update.members) {
      if (member.participant === this.self) this.selfMember = member;
      else others.set(member.participant, member);
    }
    for (const [participant, tile] of this.byParticipant) {
      if (others.has(participant)) continue;
      const lost = update.change === 'left' && update.participant === participant && update.reason === 'connection lost';
      if (lost && tile.status === 'live') {
        tile.status = 'reconnecting';
        tile.sinceMs = nowMs;
        delta.reconnecting.push(tile.member);
      } else if (tile.status === 'live' || (update.change === 'left' && update.participant === participant)) {
        this.byParticipant.delete(participant);
        delta.removed.push({ member: tile.member, reason: update.change === 'left' && update.participant === participant ? update.reason || 'left' : 'gone' });
      }
      // else: still within its grace, about someone else's change
    }
    for (const [participant, member] of others) {
      const tile = this.byParticipant.get(participant);
      if (!tile) {
        this.byParticipant.set(participant, { member, status: 'live', sinceMs: nowMs });
        delta.added.push(member);
      } else if (tile.status === 'reconnecting' || !sameMember(tile.member, member)) {
        tile.member = member;
        if (tile.status === 'reconnecting') tile.sinceMs = nowMs;
        tile.status = 'live';
        delta.updated.push(member);
      }
    }
    return delta;
  }

  /** Removes the reconnecting tiles whose grace has run out. @param {number} nowMs @returns {RoomDelta} */
  expire(nowMs) {
    const delta = emptyDelta();
    for (const [participant, tile] of this.byParticipant) {
      if (tile.status === 'reconnecting' && nowMs - tile.sinceMs >= this.graceMs) {
        this.byParticipant.delete(participant);
        delta.removed.push({ member: tile.member, reason: 'connection lost' });
      }
    }
    return delta;
  }
}
