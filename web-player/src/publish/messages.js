// @ts-check
/**
 * The messages between the publish page and the publish worker (which owns the WebSocket,
 * the clock sync, the encoders and the send queue, so that page work cannot delay capture).
 *
 * @typedef {'auto' | 'low-delay' | 'h264' | 'vp8'} VideoCodecChoice  auto: H.264, else VP8; low-delay (calls): the same, passing over
 *   an encoder that holds frames back (encoder-lag.js)
 *
 * @typedef {object} PublishSettings  every limit and knob of a publication (page options)
 * @property {VideoCodecChoice} videoCodec
 * @property {number} videoBitrateBps      0: from the picture size
 * @property {number} audioBitrateBps
 * @property {number} keyframeIntervalMs
 * @property {boolean} dtx                 Opus discontinuous transmission: silence costs almost nothing
 * @property {number} queueBytes           the send queue's byte bound (here + the socket's buffer)
 * @property {number} queueAgeMs           the send queue's age bound
 * @property {import('./layer-specs.js').LayerSpec[]} layers  simulcast layers, top first (none: one encode at the captured size)
 *
 * @typedef {'idle' | 'starting' | 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'unauthorized' | 'unsupported' | 'error'} PublisherState
 *
 * @typedef {object} PublisherStats   window.tunnelcast.stats on the publish page
 * @property {PublisherState} state
 * @property {string} message
 * @property {string} stream
 * @property {'camera' | 'screen' | ''} source
 * @property {boolean} offMainThread      frames are read in the worker (MediaStreamTrackProcessor)
 * @property {AudioContextState | ''} [captureAudioContext]  the state of the page's fallback audio capture ('' without one); set by the page
 * @property {string} [audioCaptureProblem]  why no sound is sent although there is a microphone ('' if it is); set by the page
 * @property {boolean} [copiedOnTimer]    the page's fallback copies video frames on a timer (no requestVideoFrameCallback: WebKitGTK); set by the page
 * @property {string} videoCodec          the TrackConfig's codec string ('' before the first frame)
 * @property {string} videoEncoder        e.g. "H.264 · 1280x720 · 30 fps"
 * @property {string} videoCodecNote      why a codec before the one taken was passed over (low-delay), '' if none was
 * @property {number} width
 * @property {number} height
 * @property {number} videoBitrateBps     what the encoder is set to now
 * @property {number} videoTargetBps      what it runs at when the uplink keeps up
 * @property {string} audioCodec
 * @property {number} audioChannels
 * @property {number} audioSampleRate     of the captured audio (Opus always decodes at 48 kHz)
 * @property {number} audioBitrateBps
 * @property {boolean} dtx
 * @property {number} bitrateKbps         sent, over the last second
 * @property {number} queueBytes          waiting in the send queue
 * @property {number} socketBufferedBytes the WebSocket's bufferedAmount
 * @property {number} networkDelayMs      how long a Ping waited beyond that (the browser's network process, the kernel)
 * @property {number} drainRateKbps       what the socket sent per second lately
 * @property {number} congestions         times the uplink fell behind
 * @property {number} videoDropped        video packets dropped by the send queue
 * @property {number} audioDropped
 * @property {number} droppedOffline      packets encoded while no connection was live (connecting, reconnecting)
 * @property {number} droppedSettling     a track's first packets, not sent while its capture still caught up on a backlog
 * @property {number} droppedAwaitingTracks  the first packets, not sent while a track captured from the start had no TrackConfig yet
 * @property {string} liveWithout         the captured tracks ('audio', 'video') that had no TrackConfig when the first packets stopped waiting
 * @property {number} timelineReanchors   times the current sources' timestamps jumped ahead and their pts were anchored anew
 * @property {number} bitrateDecreases
 * @property {number} bitrateIncreases
 * @property {number} framesCaptured
 * @property {number} framesEncoded      with layers: by every layer (a frame is encoded by all or none)
 * @property {number} encoderDrops        frames not encoded because the encoder was behind
 * @property {number} keyframes
 * @property {import('./simulcast-video-encoder.js').LayerStats[]} videoLayers  simulcast layers, top first (none without `layers=`)
 * @property {number} keyframeRequests    from the relay
 * @property {number} audioPacketsEncoded
 * @property {number} videoPacketsSent
 * @property {number} audioPacketsSent
 * @property {number} connections
 * @property {number} videoCaptureToPacketMs  the latest video packet: capture → encoded (delivery to the worker + encoding)
 * @property {number} audioCaptureToPacketMs
 * @property {number} audioSilenceDropped packets of silence not sent (DTX: SilenceGate)
 * @property {number} audioCaptureGaps   times the microphone's samples stopped short of the next chunk (a starved browser: CaptureGaps)
 * @property {number} audioCaptureGapMs  the capture time they left without samples: not sent, the packets after them keep their wall-clock place
 * @property {number} clockOffsetMs
 * @property {number} rttMs
 *
 * @typedef {object} PublisherStateFlags  what the other participants of a room show of this publisher (PublisherState)
 * @property {boolean} audioMuted
 * @property {boolean} videoMuted
 * @property {boolean} screenShare
 *
 * @typedef {object} CallPublishing   a publication that is a participant of a room (the call page)
 * @property {import('../transport/wire.js').PublisherHello} hello
 * @property {PublisherStateFlags} state  sent on every connection once it is not all false
 * @property {number[]} finalCodes        close codes after which the publisher does not reconnect (the page says why)
 * @property {number} silentDropMs        a connection silent this long is given up and reconnected
 *
 * @typedef {object} SourceLevels     the captured audio's level (the self-view's speaking indicator) and beeps
 * @property {number} levelDb
 * @property {number} peakDb
 * @property {boolean} speaking
 * @property {number} beeps
 * @property {number[]} beepsCapturedAtMs  onsets' capture times, relay clock (ms since the epoch), the most recent
 *
 * @typedef {{ type: 'start', url: string, stream: string, source: 'camera' | 'screen', settings: PublishSettings,
 *     video: ReadableStream<VideoFrame> | null, audio: ReadableStream<AudioData> | null, call: CallPublishing | null,
 *     tracks: ('video' | 'audio')[] }
 *   | { type: 'videoFrame', frame: VideoFrame }
 *   | { type: 'audioData', data: AudioData, firstChannel: Float32Array }
 *   | { type: 'replaceSource', kind: 'video' | 'audio', stream: ReadableStream<VideoFrame> | ReadableStream<AudioData> | null }
 *   | { type: 'publisherState', state: PublisherStateFlags }
 *   | { type: 'stop', reason: string }} ToPublishWorker
 *
 * audioData (the page's fallback): firstChannel holds the chunk's first channel as the page had it,
 * for the silence gate and the level meter: WebKitGTK 2.50's `AudioData.copyTo` aborts the web
 * process ("free(): invalid pointer") on an AudioData made from samples.
 *
 * start: tracks are the kinds captured, whether read in the worker (video, audio) or posted by the page.
 *
 * replaceSource: the track's frames come from this stream from now on (a device switched, a
 * screen shared), or from the page's posts (stream null and the page copies), or nothing is
 * sent for that track until the next replaceSource (stream null: the camera is off).
 *
 * @typedef {{ type: 'stats', stats: PublisherStats }
 *   | { type: 'connection', open: boolean, code: number, reason: string, retrying: boolean, attempt: number }
 *   | { type: 'roomEvent', event: import('./room-events.js').RoomUpdate }
 *   | { type: 'levels', levels: SourceLevels }
 *   | { type: 'stamps', stamps: [number, number][] }
 *   | { type: 'stopped' }} FromPublishWorker
 *
 * connection: welcomed (open), or closed with the code and the relay's reason (its Status
 * refusal, else the close frame's).
 *
 * stamps: frame stamps (docs/frame-stamp.md) read off captured frames with their capture
 * times, relay clock ms: [stamp, capturedAtMs], only for frames that carry one.
 */
export {};
