// @ts-check
/**
 * One tile of the call grid: the participant's picture (a player's video or canvas, or this
 * page's own preview, mirrored), an avatar when there is no picture, the name with a muted
 * microphone or a level meter, a ring while speaking, the latency, and a note while the
 * participant's connection is being re-established.
 */
import { h, setText } from '../ui/dom.js';
import { icon } from './icons.js';

/**
 * @typedef {object} TileView
 * @property {string} name
 * @property {string} [suffix]         after the name, not in the initials (" (you)")
 * @property {boolean} audioMuted
 * @property {boolean} pictureOff      no picture to show: the camera is off (or none yet)
 * @property {boolean} speaking
 * @property {number} levelDb
 * @property {string} latency          '' for none (the self view)
 * @property {string} latencyTitle
 * @property {string} note             '' or what is happening ("Reconnecting…", "Connecting…")
 * @property {boolean} mirrored        the self view of a camera
 * @property {boolean} screenShare     shown whole (contain), not cropped
 */

/** The initials of a name, for the avatar. @param {string} name */
export function initialsOf(name) {
  const words = name.trim().split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0]?.toUpperCase() ?? '').join('') || '?';
}

/** A colour from a name: every participant keeps theirs. @param {string} key */
export function hueOf(key) {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return hash;
}

export class Tile {
  /** @param {string} key the participant id (for the avatar's colour) @param {boolean} self */
  constructor(key, self) {
    this.picture = h('div.tc-tile-picture');
    this.avatar = h('div.tc-avatar', { style: `--hue:${hueOf(key)}` });
    this.nameText = h('span.tc-tile-name-text');
    this.micOff = h('span.tc-tile-mic-off', { title: 'Microphone muted' }, icon('micOff'));
    this.bars = h('span.tc-level', { 'aria-hidden': 'true' }, h('i'), h('i'), h('i'));
    this.latency = h('span.tc-tile-latency');
    this.note = h('div.tc-tile-note');
    this.element = h(`div.tc-tile${self ? '.tc-tile-self' : ''}`, { 'data-participant': key },
      this.picture, this.avatar, this.note,
      h('div.tc-tile-name', null, this.micOff, this.bars, this.nameText), this.latency);
    /** @type {HTMLElement | null} */
    this.video = null;
  }

  /** @param {HTMLElement | null} video the player's element, or the preview */
  setVideo(video) {
    if (video === this.video) return;
    this.video = video;
    this.picture.replaceChildren(...(video ? [video] : []));
  }

  /** @param {TileView} v */
  update(v) {
    const el = this.element;
    const label = `${v.name}${v.suffix ?? ''}`;
    if (this.nameText.textContent !== label) {
      this.nameText.textContent = label;
      this.avatar.textContent = initialsOf(v.name);
    }
    el.classList.toggle('tc-speaking', v.speaking && !v.audioMuted);
    el.classList.toggle('tc-picture-off', v.pictureOff);
    el.classList.toggle('tc-mirrored', v.mirrored);
    el.classList.toggle('tc-contain', v.screenShare);
    this.micOff.hidden = !v.audioMuted;
    this.bars.hidden = v.audioMuted;
    // Three bars: -50, -35, -20 dBFS and up.
    this.bars.dataset.level = String(v.audioMuted ? 0 : [-50, -35, -20].filter((db) => v.levelDb >= db).length);
    setText(this.latency, v.latency);
    if (this.latency.title !== v.latencyTitle) this.latency.title = v.latencyTitle;
    this.latency.hidden = !v.latency;
    setText(this.note, v.note);
    this.note.hidden = !v.note;
  }
}
