// @ts-check
/**
 * The call page's address, `#/call/{room}?name=…&token=…` (plus `&participant=…` and the
 * player's and publisher's page options), read and checked: the room and participant id
 * against names.proto's rules, the display name as free text of at most 64 characters (code
 * points) without control characters or line and paragraph separators (the relay's rule: it
 * refuses others with 4422). The participant id comes from the
 * link, else from this tab's earlier visit (sessionStorage: a reload is the same participant),
 * else from the name (readable in the relay's stream list and recordings: "ann-k3x9").
 * Pure: storage and randomness come in as arguments.
 */
import { NameKind, isValidName, nameRule } from '../transport/names.js';

export const DISPLAY_NAME_MAX = 64;
const SLUG_MAX = 24;
const SUFFIX_LENGTH = 4;

/**
 * @typedef {object} CallAddress
 * @property {string} room
 * @property {string} name           the display name from the link ('' when none)
 * @property {string} token
 * @property {string} participant    from the link ('' when the page picks one)
 * @property {string[]} errors       what is wrong with the link, for people
 */

/**
 * @param {string} roomPart  the hash after `#/call/`, still URI-encoded
 * @param {URLSearchParams} params
 * @returns {CallAddress}
 */
export function parseCallAddress(roomPart, params) {
  /** @type {string[]} */
  const errors = [];
  let room = '';
  try {
    room = decodeURIComponent(roomPart);
  } catch {
    room = roomPart;
  }
  if (!isValidName(NameKind.ROOM, room)) errors.push(`“${room}” is not a room name: ${nameRule(NameKind.ROOM).rule}`);
  const participant = params.get('participant') ?? '';
  if (participant && !isValidName(NameKind.PARTICIPANT, participant)) {
    errors.push(`participant=${participant} is not a participant id: ${nameRule(NameKind.PARTICIPANT).rule}`);
  }
  const name = params.get('name') ?? '';
  const nameProblem = name ? displayNameProblem(name) : '';
  if (nameProblem) errors.push(`name: ${nameProblem}`);
  return { room, name: nameProblem ? '' : name, token: params.get('token') ?? '', participant, errors };
}

/**
 * Why a display name cannot be used ('' when it can).
 * @param {string} name
 */
export function displayNameProblem(name) {
  if (!name.trim()) return 'give a name the others will see';
  // The relay's rule (PublisherHello): code points, and no control characters or line/paragraph separators.
  const length = Array.from(name).length;
  if (length > DISPLAY_NAME_MAX) return `at most ${DISPLAY_NAME_MAX} characters (this one has ${length})`;
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(name)) return 'no control characters or line breaks';
  return '';
}

/**
 * A participant id made from a display name: its letters and digits (accents dropped),
 * dashes between words, and a random suffix so that two Anns differ.
 * @param {string} name @param {() => number} random  like Math.random
 */
export function participantFromName(name, random) {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/, '');
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += 'abcdefghijkmnpqrstuvwxyz23456789'[Math.floor(random() * 32)];
  return `${slug || 'guest'}-${suffix}`;
}

/**
 * The participant id to join with: the link's, else this tab's for the room, else a new one
 * from the name (remembered for the tab).
 * @param {CallAddress} address @param {string} displayName
 * @param {Pick<Storage, 'getItem' | 'setItem'>} storage  sessionStorage: one id per tab and room
 * @param {() => number} random
 */
export function participantFor(address, displayName, storage, random) {
  if (address.participant) return address.participant;
  const key = `tunnelcast.participant.${address.room}`;
  const kept = storage.getItem(key);
  if (kept && isValidName(NameKind.PARTICIPANT, kept)) return kept;
  const made = participantFromName(displayName, random);
  storage.setItem(key, made);
  return made;
}

/**
 * A random instance id (Hello.instance_id: 8-64 of [A-Za-z0-9_-]), one per page load.
 * @param {(bytes: Uint8Array<ArrayBuffer>) => Uint8Array} fillRandom  crypto.getRandomValues
 */
export function newInstanceId(fillRandom) {
  const bytes = fillRandom(new Uint8Array(12));
  return Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63]).join('');
}
