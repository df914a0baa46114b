package dev.tunnelcast.server.cluster;

import java.io.IOException;

/**
 * The key-value operations a recorder lease needs, each a compare-and-set on the key's
 * revision: a JetStream bucket in the cluster ({@link NatsLeaseStore}), a map in unit tests.
 */
interface LeaseStore {

    /** A key's value and revision (the store's sequence of its last write). */
    record Versioned(byte[] value, long revision) {
    }

    /** The compare-and-set failed: the key exists (create) or has another revision (update, delete). */
    final class Conflict extends Exception {
        Conflict(String message) {
            super(message);
        }
    }

    /** The current value, or null if the key is absent, deleted or expired. */
    Versioned get(String key) throws IOException;

    /** Writes {@code key} only if it is absent; returns the new revision. */
    long create(String key, byte[] value) throws IOException, Conflict;

    /** Writes {@code key} only if its revision is still {@code revision}; returns the new revision. */
    long update(String key, byte[] value, long revision) throws IOException, Conflict;

    /** Deletes {@code key} only if its revision is still {@code revision}. */
    void delete(String key, long revision) throws IOException, Conflict;
}
