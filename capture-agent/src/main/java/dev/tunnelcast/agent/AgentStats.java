package dev.tunnelcast.agent;

/** A snapshot of what the agent is doing, for the status line, tests and benchmarks. */
public record AgentStats(boolean connected, long videoFramesCaptured, long videoPacketsSent, long audioPacketsSent,
                         long bytesSent, long sendBitrateBps, int videoEncoderBitrateBps, long queueBytes,
                         int queueMessages, long rttMicros, long clockOffsetMicros, long videoDropped,
                         long audioDropped, long reconnects, String lastError, long videoFramesBeforeClock,
                         long audioChunksBeforeClock) {}
