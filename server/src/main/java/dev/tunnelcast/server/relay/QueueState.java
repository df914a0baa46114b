package dev.tunnelcast.server.relay;

/**
 * What a player's layer choice ({@link LayerRouter}) reads of its backlog: its queue and the batch
 * being written ({@link PlayerSession}).
 */
interface QueueState {

    /** When the oldest queued message arrived, or -1 when the queue is empty. */
    long oldestQueuedAtNanos();

    /** Bytes that left the queue since it began: taken for the socket, or dropped. */
    long leftBytes();

    /** Bytes taken from the queue for the socket since it began. */
    long takenBytes();

    /** Bytes in the queue now. */
    long queuedBytes();
}
