package dev.tunnelcast.agent.encode;

/** What a player needs to set up a decoder for a video track: RFC 6381 codec string and config. */
public record VideoTrackFormat(String codec, byte[] decoderConfig, int width, int height, double frameRate,
                               int bitrateBps) {}
