// @ts-check
/**
 * The call page's figures, `window.tunnelcast.stats` (and the session itself as
 * `window.tunnelcast.call`): what the call tests and `bench/run call` read, refreshed every
 * 100 ms. Times named `…AtMs` are on the relay clock (ms since the Unix epoch, as each page
 * estimates it by ping/pong), so figures of different pages compare: glass-to-glass is a
 * stamp's `shownAtMs` on one page minus its `capturedAtMs` on the publishing page,
 * mouth-to-ear a beep's heard time minus its captured time. JSON-safe but for NaN (no value
 * yet), which the test driver turns into null.
 *
 * @typedef {import('./call-connection.js').CallState} CallState
 * @typedef {import('./local-media.js').AudioProcessing} AudioProcessing
 * @typedef {import('../publish/messages.js').PublisherStats} PublisherStats
 *
 * @typedef {object} SelfFigures        this participant
 * @property {string} participant
 * @property {string} displayName
 * @property {boolean} audioMuted
 * @property {boolean} videoMuted         the camera is off
 * @property {boolean} screenShare
 * @property {number} audioLevelDb        the microphone after processing (the loudest 10 ms of the last 300 ms)
 * @property {boolean} speaking
 * @property {number} beeps               tone onsets captured since joining
 * @property {number[]} beepsCapturedAtMs the most recent onsets' capture times (at most 32)
 * @property {number} lastStamp           the newest frame stamp captured (NaN: none; a real camera has none)
 * @property {[number, number][]} stampsCaptured  [stamp, capturedAtMs] of each new stamp (the last 300)
 * @property {PublisherStats | null} publisher  the publisher's own figures (bitrate, queue, encoder…)
 *
 * @typedef {object} TileFigures        one other participant
 * @property {string} participant
 * @property {string} displayName         as shown (the participant id when the relay has no display name)
 * @property {string} stream              "{room}.{participant}"
 * @property {'live' | 'reconnecting'} status  reconnecting: the relay said "connection lost"; removed after the grace
 * @property {boolean} audioMuted
 * @property {boolean} videoMuted
 * @property {boolean} screenShare
 * @property {number} joinedMicros        when the participant's publisher joined (relay clock)
 * @property {number} shownSinceAtMs      when this page added the tile
 * @property {string} playerState         the tile's player: connecting, playing, offline, reconnecting…
 * @property {number} framesShown
 * @property {number} fps
 * @property {number} audioPacketsDecoded
 * @property {number} audioPlayedMs
 * @property {number} audioLevelDb        what is heard of the participant
 * @property {boolean} speaking
 * @property {number} beeps               tone onsets heard
 * @property {number[]} beepsHeardAtMs    the most recent onsets' times at the output device (at most 50)
 * @property {number} lastStamp           the newest frame stamp shown (NaN: none)
 * @property {number} lastStampShownAtMs
 * @property {[number, number][]} stampsShown  [stamp, shownAtMs] of each new stamp shown (the last 300)
 * @property {number} latencyMs           capture → display of the frames shown, p50 over the recent window (packet capture times)
 * @property {number} latencyP95Ms
 * @property {number} audioLatencyMs      capture → the audio heard now
 * @property {number} avOffsetMs          video shown minus audio heard, p50
 * @property {number} jitterBufferMs      the audio jitter buffer's depth
 * @property {number} audioDecodedLevelDb what the decoder gave the buffer (PlayerStats.audioDecodedLevelDb): a silent tile
 *                                        whose decoded level is loud lost its audio in the playout, else at the sender
 * @property {number} audioPacketsLate    dropped: their place on the timeline was played already
 * @property {number} audioPacketsUndelivered decoded with no playout to take them
 * @property {number} audioConcealedPercent
 * @property {number} audioDecodeErrors
 *
 * @typedef {object} Departure
 * @property {string} participant
 * @property {string} reason              "left", "connection lost" (after the grace) or "gone" (missing from a later event)
 * @property {number} atMs                when this page removed the tile
 *
 * @typedef {object} CallStats
 * @property {'call'} page
 * @property {'join' | 'call'} view       the join screen, or the call
 * @property {CallState} state
 * @property {string} message             what the page says about the state ('' in the call)
 * @property {string} room
 * @property {string} participant         '' until joined
 * @property {string} displayName
 * @property {string} instanceId          Hello.instance_id: one per page load
 * @property {number} connections         publisher connections welcomed since joining
 * @property {number} reconnects          times the call came back after a drop
 * @property {number} lastOutageMs        the last drop → Welcome again
 * @property {number} closeCode           the close code that ended or last dropped the call (0: none)
 * @property {number} roomEvents          RoomEvents received
 * @property {number} members             in the room, this page included, as of the last RoomEvent (0: none yet)
 * @property {number} maxMembers
 * @property {AudioProcessing} audioProcessing  echo cancellation asked for and in effect, noise suppression, auto gain
 * @property {SelfFigures} self
 * @property {TileFigures[]} tiles       the other participants, in the room's order
 * @property {Departure[]} departures     tiles removed lately (the last 20)
 * @property {number} relayNowMs          this page's relay clock when the figures were taken
 */
export {};
