// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
// The options reach the processor as the node passed them (structured clone): the processor says their type.
declare function registerProcessor<Options>(name: string, ctor: new (options: Options) => AudioWorkletProcessor): void;
