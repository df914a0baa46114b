// @ts-check
/**
 * A WebCodecs VideoDecoder that decodes nothing, for tests of its users: the test says when
 * frames come out (flushAll, or output itself) and when it fails. Every decoder made since the
 * last reset() is in FakeVideoDecoder.made; isConfigSupported answers FakeVideoDecoder.supports
 * and records the codecs asked about.
 */
export class FakeVideoDecoder {
  /** @type {FakeVideoDecoder[]} */
  static made = [];
  /** @type {string[]} the codecs isConfigSupported was asked about */
  static asked = [];
  static supports = true;

  static reset() {
    FakeVideoDecoder.made = [];
    FakeVideoDecoder.asked = [];
    FakeVideoDecoder.supports = true;
  }

  /** @param {VideoDecoderConfig} c */
  static async isConfigSupported(c) {
    FakeVideoDecoder.asked.push(c.codec);
    return { supported: FakeVideoDecoder.supports };
  }

  /** @param {{ output: (frame: { timestamp: number, close(): void }) => void, error?: (e: Error) => void }} init */
  constructor({ output, error }) {
    this.output = output;
    this.error = error ?? (() => {});
    /** @type {CodecState} */
    this.state = 'unconfigured';
    /** @type {{ type: string, timestamp: number }[]} */
    this.chunks = [];
    /** @type {VideoDecoderConfig[]} */
    this.configs = [];
    this.decodeQueueSize = 0;
    FakeVideoDecoder.made.push(this);
  }

  /** @param {VideoDecoderConfig} c */
  configure(c) {
    this.configs.push(c);
    this.state = 'configured';
  }

  /** @param {{ type: string, timestamp: number }} chunk */
  decode(chunk) {
    this.chunks.push(chunk);
  }

  close() {
    this.state = 'closed';
  }

  /** Outputs every chunk decoded so far as a frame. */
  flushAll() {
    for (const c of this.chunks.splice(0)) this.output({ timestamp: c.timestamp, close() {} });
  }

  fail() {
    this.state = 'closed';
    this.error(new Error('EncodingError: decoding failed'));
  }
}
