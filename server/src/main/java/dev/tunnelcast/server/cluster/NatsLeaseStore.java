package dev.tunnelcast.server.cluster;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Duration;

/**
 * Recorder leases in the JetStream key-value bucket {@value #BUCKET}, whose entries expire
 * after the lease time unless renewed. NATS's "wrong last sequence" is the failed
 * compare-and-set; every other failure (NATS away, the bucket gone) is an {@link IOException}.
 * A bucket that went away (a NATS restarted without its store) is made again at the next call.
 */
final class NatsLeaseStore implements LeaseStore {

    static final String BUCKET = "tunnelcast-recorders";
    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final int BUCKET_NOT_FOUND = 10059;

    private final ClusterConnection connection;
    private final Duration ttl;
    private volatile KeyValue bucket;

    NatsLeaseStore(ClusterConnection connection, Duration ttl) {
        this.connection = connection;
        this.ttl = ttl;
    }

    /** Creates the bucket if it is missing (idempotent); the first node of a cluster makes it. */
    void open() throws IOException {
        KeyValueManagement management = connection.nats().keyValueManagement();
        try {
            management.create(KeyValueConfiguration.builder().name(BUCKET).maxHistoryPerKey(1)
                    .ttl(ttl).storageType(StorageType.File).build());
        } catch (JetStreamApiException exists) {
            try {
                management.getStatus(BUCKET); // made by another node: use it, with its lease time
            } catch (JetStreamApiException e) {
                throw new IOException("cannot create the recorder lease bucket " + BUCKET + ": " + exists.getMessage(), e);
            }
        }
        bucket = connection.nats().keyValue(BUCKET);
    }

    @Override
    public Versioned get(String key) throws IOException {
        try {
            KeyValueEntry entry = kv().get(key);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
                return null;
            }
            return new Versioned(entry.getValue(), entry.getRevision());
        } catch (JetStreamApiException e) {
            throw failed(e);
        } catch (IllegalStateException e) { // jnats while reconnecting
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long create(String key, byte[] value) throws IOException, Conflict {
        try {
            return kv().create(key, value);
        } catch (JetStreamApiException e) {
            throw conflictOrFailed(e);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long update(String key, byte[] value, long revision) throws IOException, Conflict {
        try {
            return kv().update(key, value, revision);
        } catch (JetStreamApiException e) {
            throw conflictOrFailed(e);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key, long revision) throws IOException, Conflict {
        try {
            kv().delete(key, revision);
        } catch (JetStreamApiException e) {
            throw conflictOrFailed(e);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private KeyValue kv() throws IOException {
        if (!connection.isConnected()) {
            throw new IOException("not connected to NATS");
        }
        if (bucket == null) {
            open();
        }
        return bucket;
    }

    /** Throws the failed compare-and-set, or returns the failure to throw. */
    private IOException conflictOrFailed(JetStreamApiException e) throws Conflict {
        if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
            throw new Conflict(e.getMessage());
        }
        return failed(e);
    }

    private IOException failed(JetStreamApiException e) {
        if (e.getApiErrorCode() == BUCKET_NOT_FOUND) {
            bucket = null;
        }
        return new IOException(e.getMessage(), e);
    }
}
