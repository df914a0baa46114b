// @ts-check
/**
 * The camera, microphone and speaker pickers (the join screen's, and the call's settings):
 * the browser's devices (their names once a device was allowed), the one in use selected;
 * picking one switches to it, mid-call too. The speaker picker shows only where the browser
 * can route the call's audio (`AudioContext.setSinkId`).
 */
import { h } from '../ui/dom.js';
import { LocalMedia } from './local-media.js';

/** @typedef {import('./call-session.js').CallSession} CallSession */
/** @typedef {import('./local-media.js').DeviceKind} DeviceKind */

/** @type {[DeviceKind, string][]} */
const KINDS = [['camera', 'Camera'], ['microphone', 'Microphone'], ['speaker', 'Speaker']];

/** @param {CallSession} session @returns {{ element: HTMLElement, refresh: () => void }} */
export function deviceSelects(session) {
  const canRoute = typeof (/** @type {any} */ (globalThis).AudioContext?.prototype?.setSinkId) === 'function';
  /** @type {Map<DeviceKind, HTMLSelectElement>} */
  const selects = new Map();
  const element = h('div.tc-call-devices');
  for (const [kind, label] of KINDS) {
    if (kind === 'speaker' && !canRoute) continue;
    const select = /** @type {HTMLSelectElement} */ (h('select.tc-input.tc-call-select', { 'aria-label': label, 'data-device': kind,
      onchange: () => void session.useDevice(kind, select.value) }));
    selects.set(kind, select);
    element.append(h('label.tc-call-device', null, h('span', { text: label }), select));
  }
  /** @type {string} the device list last shown, to rebuild only on a change */
  let shown = '';
  let listing = false;
  const list = async () => {
    if (listing) return;
    listing = true;
    try {
      const devices = await session.media.devices();
      const key = JSON.stringify(Object.values(devices).map((l) => l.map((d) => [d.deviceId, d.label])));
      if (key !== shown) {
        shown = key;
        for (const [kind, select] of selects) {
          select.replaceChildren(...devices[kind].map((d, i) => h('option', { value: d.deviceId,
            text: d.label || `${kind[0].toUpperCase()}${kind.slice(1)} ${i + 1}` })));
          select.disabled = devices[kind].length === 0;
          if (!devices[kind].length) select.append(h('option', { value: '', text: `No ${kind}` }));
        }
      }
    } finally {
      listing = false;
    }
    const media = session.media;
    /** @type {Record<DeviceKind, string>} */
    const inUse = { camera: LocalMedia.deviceOf(media.camera) || media.cameraId, microphone: LocalMedia.deviceOf(media.microphone) || media.microphoneId,
      speaker: media.speakerId || 'default' };
    for (const [kind, select] of selects) {
      if (inUse[kind] && select.value !== inUse[kind] && [...select.options].some((o) => o.value === inUse[kind])) select.value = inUse[kind];
    }
  };
  navigator.mediaDevices?.addEventListener('devicechange', () => void list());
  return { element, refresh: () => void list() };
}
