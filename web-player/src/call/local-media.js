// @ts-check
/**
 * The participant's own media: a camera, a microphone and, while sharing, a screen. The
 * microphone is asked for with the call's audio processing: echo cancellation "all" where the
 * browser knows echo-cancellation modes (its capabilities list "all" or "remote-only":
 * Chromium 141+), because audio played through WebAudio, as the players here play it, is
 * otherwise not cancelled (Chromium's `true` used to cancel only RTCPeerConnection audio);
 * plain `true` elsewhere; noise suppression and auto gain on. What took effect is read back
 * from the track (`getSettings()`) and shown.
 *
 * Muting the microphone disables its track (silence is encoded, which DTX makes almost free,
 * and the receivers' audio clock runs on); turning the camera off stops its track (the light
 * goes off) and no video is sent until it is back. Every change of the track to publish is
 * reported to `onTrack`, which hands it to the publisher.
 */

/**
 * @typedef {true | 'all'} EchoCancellationRequest
 *
 * @typedef {object} AudioProcessing   what was asked of the microphone and what took effect
 * @property {EchoCancellationRequest} echoCancellationRequested
 * @property {string} echoCancellation   the track's setting: "all", "remote-only", "true", "false" or "" (no microphone)
 * @property {boolean | null} noiseSuppression
 * @property {boolean | null} autoGainControl
 * @property {string[]} echoCancellationModes  the capabilities' list, as strings
 *
 * @typedef {object} CaptureSize
 * @property {number} width
 * @property {number} height
 * @property {number} frameRate
 */

/**
 * The echo cancellation to ask for, from a microphone track's capabilities.
 * @param {MediaTrackCapabilities | undefined | null} capabilities
 * @returns {EchoCancellationRequest}
 */
export function echoCancellationFor(capabilities) {
  const modes = /** @type {unknown} */ (capabilities?.echoCancellation);
  return Array.isArray(modes) && modes.some((m) => m === 'all' || m === 'remote-only') ? 'all' : true;
}

/**
 * The microphone constraints of a call.
 * @param {string} deviceId '' for the default @param {EchoCancellationRequest} echoCancellation
 * @returns {MediaTrackConstraints}
 */
export function microphoneConstraints(deviceId, echoCancellation) {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    // A string here is Chromium 141+'s; typed as the DOM lib's boolean-only ConstrainBoolean.
    echoCancellation: /** @type {boolean} */ (/** @type {unknown} */ (echoCancellation)),
    noiseSuppression: true,
    autoGainControl: true,
  };
}

/**
 * The camera constraints of a call.
 * @param {string} deviceId '' for the default @param {CaptureSize} size
 * @returns {MediaTrackConstraints}
 */
export function cameraConstraints(deviceId, size) {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    width: { ideal: size.width }, height: { ideal: size.height }, frameRate: { ideal: size.frameRate },
  };
}

/**
 * What a microphone track reports.
 * @param {MediaStreamTrack | null} track @param {EchoCancellationRequest} requested
 * @returns {AudioProcessing}
 */
export function audioProcessingOf(track, requested) {
  const settings = /** @type {Record<string, unknown>} */ (track?.getSettings() ?? {});
  const capabilities = /** @type {Record<string, unknown>} */ (track?.getCapabilities?.() ?? {});
  const modes = Array.isArray(capabilities.echoCancellation) ? capabilities.echoCancellation.map(String) : [];
  return {
    echoCancellationRequested: requested,
    echoCancellation: settings.echoCancellation === undefined ? '' : String(settings.echoCancellation),
    noiseSuppression: typeof settings.noiseSuppression === 'boolean' ? settings.noiseSuppression : null,
    autoGainControl: typeof settings.autoGainControl === 'boolean' ? settings.autoGainControl : null,
    echoCancellationModes: modes,
  };
}

/** @typedef {'camera' | 'microphone' | 'speaker'} DeviceKind */

export class LocalMedia {
  /**
   * @param {{ size: CaptureSize, onTrack: (kind: 'video' | 'audio', track: MediaStreamTrack | null) => void,
   *   onScreenShareEnded: () => void }} options
   */
  constructor(options) {
    this.size = options.size;
    this.onTrack = options.onTrack;
    this.onScreenShareEnded = options.onScreenShareEnded;
    /** @type {MediaStreamTrack | null} */
    this.camera = null;
    /** @type {MediaStreamTrack | null} */
    this.microphone = null;
    /** @type {MediaStreamTrack | null} */
    this.screen = null;
    this.cameraId = '';
    this.microphoneId = '';
    this.speakerId = '';
    this.audioMuted = false;
    this.videoMuted = false;
    /** @type {EchoCancellationRequest | null} decided from the first microphone's capabilities */
    this.echoRequest = null;
    /** @type {string} why a device could not be opened ('' when it could) */
    this.cameraError = '';
    this.microphoneError = '';
  }

  /** The video track to publish and show: the shared screen, else the camera unless it is off. */
  get videoTrack() {
    return this.screen ?? (this.videoMuted ? null : this.camera);
  }

  get audioProcessing() {
    return audioProcessingOf(this.microphone, this.echoRequest ?? true);
  }

  /** Opens the camera (unless off) and the microphone; a device that fails is reported, the other still opens. */
  async open() {
    await Promise.all([this.openMicrophone(), this.videoMuted ? Promise.resolve() : this.openCamera()]);
  }

  async openMicrophone() {
    try {
      let track = await this.getTrack('audio', microphoneConstraints(this.microphoneId, this.echoRequest ?? true));
      if (this.echoRequest === null) {
        // The first microphone tells which echo cancellation this browser has; with modes, ask again for "all".
        this.echoRequest = echoCancellationFor(track.getCapabilities?.());
        if (this.echoRequest === 'all') {
          track.stop();
          track = await this.getTrack('audio', microphoneConstraints(this.microphoneId, 'all'));
        }
      }
      track.enabled = !this.audioMuted;
      this.replace('audio', track);
      this.microphoneError = '';
    } catch (e) {
      this.microphoneError = describe(e);
    }
  }

  async openCamera() {
    try {
      const track = await this.getTrack('video', cameraConstraints(this.cameraId, this.size));
      this.replace('video', track);
      this.cameraError = '';
    } catch (e) {
      this.cameraError = describe(e);
    }
  }

  /**
   * @param {'audio' | 'video'} kind @param {MediaTrackConstraints} constraints
   * @returns {Promise<MediaStreamTrack>}
   */
  async getTrack(kind, constraints) {
    const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (!track) throw new Error(`no ${kind} track`);
    return track;
  }

  /**
   * A new camera or microphone track in place of the old one (stopped).
   * @param {'audio' | 'video'} kind @param {MediaStreamTrack | null} track
   */
  replace(kind, track) {
    if (kind === 'audio') {
      this.microphone?.stop();
      this.microphone = track;
      this.onTrack('audio', track);
    } else {
      this.camera?.stop();
      this.camera = track;
      if (!this.screen) this.onTrack('video', this.videoTrack);
    }
  }

  /** @param {boolean} muted */
  setAudioMuted(muted) {
    this.audioMuted = muted;
    if (this.microphone) this.microphone.enabled = !muted;
  }

  /** Turns the camera off (its track stopped: the light goes off) or on again. @param {boolean} muted */
  async setVideoMuted(muted) {
    this.videoMuted = muted;
    if (muted) {
      this.camera?.stop();
      this.camera = null;
      if (!this.screen) this.onTrack('video', null);
    } else if (!this.camera) {
      await this.openCamera();
    }
  }

  /** @param {DeviceKind} kind @param {string} deviceId */
  async useDevice(kind, deviceId) {
    if (kind === 'speaker') {
      this.speakerId = deviceId;
    } else if (kind === 'microphone') {
      this.microphoneId = deviceId;
      await this.openMicrophone();
    } else {
      this.cameraId = deviceId;
      if (!this.videoMuted) await this.openCamera();
    }
  }

  /** Shares a screen (the browser asks which) in place of the camera. */
  async startScreenShare() {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: this.size.frameRate } }, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('no screen track');
    // Text on a screen wants detail more than motion.
    if ('contentHint' in track) track.contentHint = 'detail';
    this.screen?.stop();
    this.screen = track;
    // The browser's own "Stop sharing" ends the track: back to the camera.
    track.addEventListener('ended', () => {
      if (this.screen !== track) return;
      this.stopScreenShare();
      this.onScreenShareEnded();
    });
    this.onTrack('video', track);
  }

  stopScreenShare() {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    this.onTrack('video', this.videoTrack);
  }

  /** @returns {Promise<Record<DeviceKind, MediaDeviceInfo[]>>} */
  async devices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    return {
      camera: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
      microphone: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
      speaker: all.filter((d) => d.kind === 'audiooutput' && d.deviceId),
    };
  }

  /** The device a track came from ('' when there is none). @param {MediaStreamTrack | null} track */
  static deviceOf(track) {
    return track?.getSettings().deviceId ?? '';
  }

  close() {
    for (const track of [this.camera, this.microphone, this.screen]) track?.stop();
    this.camera = null;
    this.microphone = null;
    this.screen = null;
  }
}

/** @param {unknown} e */
function describe(e) {
  if (e instanceof DOMException) {
    if (e.name === 'NotAllowedError') return 'permission denied';
    if (e.name === 'NotFoundError') return 'none found';
    if (e.name === 'NotReadableError') return 'in use by another application';
    if (e.name === 'OverconstrainedError') return 'not available';
  }
  return e instanceof Error ? e.message : String(e);
}
