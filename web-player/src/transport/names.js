// @ts-check
/**
 * The name rules of names.proto (NameKind's name_pattern / name_rule options), read from the
 * generated code: the one definition the relay, the agent and these pages share. Nothing here
 * re-types a pattern.
 */
import { getOption } from '@bufbuild/protobuf';
import { NameKind, NameKindSchema, name_pattern, name_rule } from '../gen/tunnelcast/v1/names_pb.js';

export { NameKind };

/**
 * @param {NameKind} kind
 * @returns {{ pattern: string, rule: string }}  pattern: valid as an HTML `pattern` attribute (whole value)
 */
export function nameRule(kind) {
  const value = NameKindSchema.value[kind];
  return { pattern: getOption(value, name_pattern), rule: getOption(value, name_rule) };
}

/**
 * The pattern for an HTML `pattern` attribute. Browsers compile it with the `v` flag (Chromium
 * 112+), where a bare `-` ending a character class is a syntax error and the whole attribute
 * is then silently ignored; escaped (`\-`) it means the same in Java, ECMAScript and `v` mode.
 * @param {NameKind} kind
 */
export function htmlPattern(kind) {
  return nameRule(kind).pattern.replace(/(?<!\\)-\]/g, '\\-]');
}

/** @type {Map<NameKind, RegExp>} */
const compiled = new Map();

/** @param {NameKind} kind @param {string} name */
export function isValidName(kind, name) {
  let regex = compiled.get(kind);
  if (!regex) {
    regex = new RegExp(`^(?:${nameRule(kind).pattern})$`);
    compiled.set(kind, regex);
  }
  return regex.test(name);
}

/**
 * The room and participant of a stream named "{room}.{participant}" (exactly one dot, both
 * halves valid), else null: such a stream is in no room.
 * @param {string} stream
 * @returns {{ room: string, participant: string } | null}
 */
export function roomOfStream(stream) {
  const parts = stream.split('.');
  if (parts.length !== 2) return null;
  const [room, participant] = parts;
  return isValidName(NameKind.ROOM, room) && isValidName(NameKind.PARTICIPANT, participant) ? { room, participant } : null;
}

/** @param {string} room @param {string} participant */
export function roomStream(room, participant) {
  return `${room}.${participant}`;
}
