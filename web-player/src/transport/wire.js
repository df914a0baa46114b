// @ts-check
/** Encoding and decoding of the wire Envelope (code generated from proto/ by the build). */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { EnvelopeSchema, Role } from '../gen/tunnelcast/v1/tunnelcast_pb.js';

export const PROTOCOL_VERSION = 1;

/** @typedef {import('../gen/tunnelcast/v1/tunnelcast_pb.js').Envelope} Envelope */
/** @typedef {import('../gen/tunnelcast/v1/tunnelcast_pb.js').MediaPacket} MediaPacket */
/** @typedef {import('../gen/tunnelcast/v1/tunnelcast_pb.js').TrackConfig} TrackConfig */

/** @param {ArrayBuffer | Uint8Array} data @returns {Envelope} */
export function decodeEnvelope(data) {
  return fromBinary(EnvelopeSchema, data instanceof Uint8Array ? data : new Uint8Array(data));
}

/**
 * What a publisher in a room adds to its Hello (tunnelcast.proto, Hello).
 * @typedef {object} PublisherHello
 * @property {string} displayName   what the other participants see (at most 64 characters)
 * @property {boolean} roomEvents   push RoomEvents about the publisher's room on this connection
 * @property {string} instanceId    random per page load: a reconnect takes its own stream over at once
 */

/**
 * @param {string} clientVersion
 * @param {Role} [role]  the player's by default; the publisher's on /ws/publish
 * @param {string} [clientName]
 * @param {PublisherHello} [publisher]
 */
export function helloBytes(clientVersion, role = Role.PLAYER, clientName = 'tunnelcast-web-player', publisher) {
  return envelopeBytes({ case: 'hello', value: { role, protocolVersion: PROTOCOL_VERSION, clientName, clientVersion, ...publisher } });
}

/**
 * One Envelope of any kind, serialized.
 * @param {import('@bufbuild/protobuf').MessageInitShape<typeof EnvelopeSchema>['kind']} kind
 * @returns {Uint8Array<ArrayBuffer>}  (protobuf-es writes into a fresh ArrayBuffer)
 */
export function envelopeBytes(kind) {
  return /** @type {Uint8Array<ArrayBuffer>} */ (toBinary(EnvelopeSchema, create(EnvelopeSchema, { kind })));
}

/** @param {number} id @param {number} sendTimeMicros */
export function pingBytes(id, sendTimeMicros) {
  return toBinary(EnvelopeSchema, create(EnvelopeSchema, {
    kind: { case: 'ping', value: { id: BigInt(id), sendTimeMicros: BigInt(sendTimeMicros) } },
  }));
}

/**
 * The answer to a relay Ping.
 * @param {bigint} id @param {bigint} pingSendTimeMicros @param {number} receiveMicros @param {number} sendMicros
 */
export function pongBytes(id, pingSendTimeMicros, receiveMicros, sendMicros) {
  return toBinary(EnvelopeSchema, create(EnvelopeSchema, {
    kind: { case: 'pong', value: { id, pingSendTimeMicros, receiveTimeMicros: BigInt(receiveMicros), sendTimeMicros: BigInt(sendMicros) } },
  }));
}
