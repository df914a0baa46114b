package dev.tunnelcast.agent.publish;

/**
 * What the relay had received on this connection when a Ping arrived, as its Pong says: the
 * message bytes so far ({@code Pong.received_bytes}) at {@code atRelayMicros} on the relay's
 * clock. Two of them give what the uplink delivered between them, whatever the sender's own
 * threads and buffers did meanwhile.
 */
public record RelayReceipt(long bytes, long atRelayMicros) {
}
