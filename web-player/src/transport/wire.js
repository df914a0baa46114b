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
 * @param {string} clientVersion
 * @param {Role} [role]  the player's by default; the publisher's on /ws/publish
 * @param {string} [clientName]
 */
export function helloBytes(clientVersion, role = Role.PLAYER, clientName = 'tunnelcast-web-player') {
  return envelopeBytes({ case: 'hello', value: { role, protocolVersion: PROTOCOL_VERSION, clientName, clientVersion } });
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
