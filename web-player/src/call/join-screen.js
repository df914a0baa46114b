// @ts-check
/**
 * The call's join screen: the camera's preview (mirrored, as a mirror shows you) with its
 * microphone level, camera and microphone switches, the device pickers, the name the others
 * will see (and the participant id it joins as), a join token field when the link has none,
 * and Join.
 */
import { h, setText } from '../ui/dom.js';
import { showIcon } from './icons.js';
import { Tile } from './tile.js';
import { DISPLAY_NAME_MAX, displayNameProblem } from './call-options.js';
import { LevelMeter } from '../audio/level-meter.js';
import { deviceSelects } from './device-selects.js';

/** @typedef {import('./call-session.js').CallSession} CallSession */

const NAME_KEY = 'tunnelcast.displayName';

/**
 * @param {CallSession} session
 * @param {{ token: boolean }} show  token: the link carries no token, so ask for one
 * @returns {{ element: HTMLElement, refresh: () => void, tick: () => void, show: (shown: boolean) => void, close: () => void }}
 */
export function joinScreen(session, show) {
  const address = session.address;
  const preview = /** @type {HTMLVideoElement} */ (h('video', { autoplay: '', playsinline: '' }));
  preview.muted = true;
  const tile = new Tile('self', true);
  tile.setVideo(preview);
  const micButton = h('button.tc-round', { type: 'button', title: 'Microphone', onclick: () => session.setAudioMuted(!session.media.audioMuted) });
  const camButton = h('button.tc-round', { type: 'button', title: 'Camera', onclick: () => void session.setVideoMuted(!session.media.videoMuted) });
  const deviceNote = h('p.tc-call-device-note');

  const nameInput = /** @type {HTMLInputElement} */ (h('input.tc-input.tc-call-name', { type: 'text', maxlength: String(2 * DISPLAY_NAME_MAX), // UTF-16 units: the check counts characters
    placeholder: 'Your name', 'aria-label': 'Your name', autocomplete: 'name' }));
  nameInput.value = address.name || localStorage.getItem(NAME_KEY) || '';
  const nameNote = h('p.tc-call-field-note');
  const tokenInput = /** @type {HTMLInputElement} */ (h('input.tc-input', { type: 'password', placeholder: 'join token (if the relay needs one)',
    'aria-label': 'Join token', autocomplete: 'off' }));
  const joinButton = /** @type {HTMLButtonElement} */ (h('button.tc-tool.tc-start.tc-call-join-button', { type: 'submit', text: 'Join now' }));
  const problems = h('p.tc-call-problems');
  const devices = deviceSelects(session);

  const form = h('form.tc-call-join-form', { onsubmit: (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const name = nameInput.value.trim();
    if (displayNameProblem(name) || address.errors.length) return;
    localStorage.setItem(NAME_KEY, name);
    if (show.token && tokenInput.value.trim()) address.token = tokenInput.value.trim();
    void session.join(name);
  } },
  h('h2.tc-call-join-title', { text: 'Ready to join?' }),
  h('p.tc-call-room', null, 'Room ', h('strong', { text: address.room })),
  h('label.tc-call-label', { text: 'Your name' }), nameInput, nameNote,
  show.token ? h('label.tc-call-label', { text: 'Join token' }) : null, show.token ? tokenInput : null,
  h('label.tc-call-label', { text: 'Devices' }), devices.element,
  problems, joinButton);

  const element = h('div.tc-call-join', null,
    h('div.tc-call-preview', null, tile.element, h('div.tc-call-preview-controls', null, micButton, camButton), deviceNote),
    form);

  const tick = () => {
    const media = session.media;
    const camera = media.videoTrack;
    const cameraStream = /** @type {MediaStream | null} */ (preview.srcObject);
    if ((cameraStream?.getVideoTracks()[0] ?? null) !== camera) {
      preview.srcObject = camera ? new MediaStream([camera]) : null;
      if (camera) void preview.play().catch(() => {});
    }
    showIcon(micButton, media.audioMuted ? 'micOff' : 'mic');
    micButton.classList.toggle('tc-off', media.audioMuted);
    micButton.title = media.audioMuted ? 'Turn the microphone on' : 'Turn the microphone off';
    showIcon(camButton, media.videoMuted ? 'cameraOff' : 'camera');
    camButton.classList.toggle('tc-off', media.videoMuted);
    camButton.title = media.videoMuted ? 'Turn the camera on' : 'Turn the camera off';
    const level = meter.figures();
    const name = nameInput.value.trim();
    tile.update({ name: name || 'You', audioMuted: media.audioMuted, pictureOff: !camera, speaking: level.speaking, levelDb: level.peakDb,
      latency: '', latencyTitle: '', note: '', mirrored: true, screenShare: false });
    const errors = [media.cameraError && `Camera: ${media.cameraError}.`, media.microphoneError && `Microphone: ${media.microphoneError}.`].filter(Boolean);
    setText(deviceNote, errors.join(' '));
    deviceNote.hidden = errors.length === 0;
    const nameProblem = name ? displayNameProblem(name) : '';
    const participant = address.participant || sessionStorage.getItem(`tunnelcast.participant.${address.room}`) || '';
    setText(nameNote, nameProblem || (participant ? `You join as participant “${participant}”.` : 'The others see this name.'));
    nameNote.classList.toggle('tc-bad', Boolean(nameProblem));
    setText(problems, address.errors.length ? `This link cannot be used: ${address.errors.join('; ')}.` : '');
    problems.hidden = address.errors.length === 0;
    joinButton.disabled = address.errors.length > 0 || Boolean(displayNameProblem(name));
  };
  const refresh = () => {
    tick();
    devices.refresh();
  };
  nameInput.addEventListener('input', tick);

  // The preview's microphone level, read on this page where the browser can (no AudioContext: it would need a click first).
  const meter = microphoneMeter(session);

  /** The preview and the meter run only while the join screen is shown. @param {boolean} shown */
  const showScreen = (shown) => {
    if (shown) {
      meter.start();
      tick();
    } else {
      meter.stop();
      preview.srcObject = null;
    }
  };
  return { element, refresh, tick, show: showScreen, close: meter.stop };
}

/**
 * Reads the current microphone's samples into a level meter while the join screen is shown.
 * @param {CallSession} session
 * @returns {{ figures: () => import('../audio/level-meter.js').LevelFigures, start: () => void, stop: () => void }}
 */
function microphoneMeter(session) {
  let meter = new LevelMeter({ sampleRate: 48_000 });
  const Processor = /** @type {(new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<AudioData> }) | undefined} */ (
    /** @type {any} */ (globalThis).MediaStreamTrackProcessor);
  let stopped = true;
  /** @type {MediaStreamTrack | null} */
  let reading = null;
  /** @type {ReadableStreamDefaultReader<AudioData> | null} */
  let reader = null;
  let samples = new Float32Array(0);
  const follow = async () => {
    const track = session.media.microphone;
    if (stopped || !Processor || track === reading) return;
    void reader?.cancel().catch(() => {});
    reading = track;
    if (!track) return;
    const current = new Processor({ track }).readable.getReader();
    reader = current;
    for (;;) {
      const { value, done } = await current.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      try {
        if (value.sampleRate !== meter.sampleRate) meter = new LevelMeter({ sampleRate: value.sampleRate });
        if (samples.length < value.numberOfFrames) samples = new Float32Array(value.numberOfFrames);
        const frames = samples.subarray(0, value.numberOfFrames);
        value.copyTo(frames, { planeIndex: 0, format: 'f32-planar' });
        meter.process(frames, value.timestamp / 1000);
      } finally {
        value.close();
      }
    }
  };
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let timer;
  return {
    figures: () => meter.figures(),
    start: () => {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(() => void follow(), 200);
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
      void reader?.cancel().catch(() => {});
      reader = null;
      reading = null;
    },
  };
}
