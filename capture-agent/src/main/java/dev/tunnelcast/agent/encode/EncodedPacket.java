package dev.tunnelcast.agent.encode;

/**
 * One encoded access unit (H.264 in AVCC form, a VP8/VP9 frame, an AV1 temporal unit
 * without temporal delimiters) or one Opus packet, timed on the agent's
 * media timeline ({@code ptsMicros}) and on the relay clock ({@code captureTimeMicros}).
 */
public record EncodedPacket(long ptsMicros, long durationMicros, boolean keyframe, byte[] payload,
                            long captureTimeMicros) {}
