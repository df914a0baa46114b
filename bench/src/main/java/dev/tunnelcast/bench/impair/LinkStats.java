package dev.tunnelcast.bench.impair;

/**
 * A snapshot of one direction of the proxy: bytes and chunks forwarded, the mean and
 * largest time a chunk was held (delay + jitter + head-of-line blocking), stalls applied,
 * and the total time the rate cap held the reader back.
 */
public record LinkStats(long bytes, long chunks, double meanHeldMs, double maxHeldMs, long stalls, double capWaitMs) {}
