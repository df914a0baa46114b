package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Ping;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.proto.v1.Welcome;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.Refusal;
import java.nio.ByteBuffer;

/**
 * The part of the conversation both roles share: {@code Hello} first (role matching the
 * path, protocol version 1), then {@code Ping} answered with {@code Pong} on the relay clock.
 * Subclasses admit the client after Hello and handle their role's messages.
 */
abstract class ClientListener extends EnvelopeListener {

    static final int PROTOCOL_VERSION = 1;

    private final Role expectedRole;
    private volatile boolean helloReceived;
    private Runnable afterHello = () -> { };

    ClientListener(Connection connection, RelayClock clock, int maxMessageBytes, Role expectedRole) {
        super(connection, clock, maxMessageBytes);
        this.expectedRole = expectedRole;
    }

    boolean helloReceived() {
        return helloReceived;
    }

    /** Runs once a valid Hello has arrived, before the client is admitted. */
    void onHello(Runnable task) {
        afterHello = task;
    }

    /** Admits the client after a valid Hello; {@code welcome} is its answer. */
    protected abstract void admit(Hello hello, Envelope welcome) throws Refusal;

    /** A message after Hello other than Ping/Pong. */
    protected abstract void onMessage(Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal;

    /** The connection began to close, for whatever reason: give the client's place in its stream back. Called once. */
    abstract void closed(String reason);

    @Override
    protected final void onEnvelope(Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        if (connection.isClosing()) {
            return;
        }
        if (!helloReceived) {
            if (envelope.getKindCase() != Envelope.KindCase.HELLO) {
                throw new Refusal(CloseCode.CLOSE_CODE_BAD_MESSAGE, "the first message must be Hello, got " + envelope.getKindCase());
            }
            Hello hello = envelope.getHello();
            if (hello.getRole() != expectedRole) {
                throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION,
                        "Hello role " + hello.getRole() + " does not match this path (" + expectedRole + ")");
            }
            if (hello.getProtocolVersion() != PROTOCOL_VERSION) {
                throw new Refusal(CloseCode.CLOSE_CODE_UNSUPPORTED_VERSION,
                        "protocol version " + hello.getProtocolVersion() + " is not supported (this relay speaks 1)");
            }
            helloReceived = true;
            afterHello.run();
            admit(hello, Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                    .setSessionId(connection.sessionId())
                    .setRelayTimeMicros(clock.nowMicros())
                    .setProtocolVersion(PROTOCOL_VERSION)
                    .setStream(connection.stream())).build());
            return;
        }
        switch (envelope.getKindCase()) {
            case PING -> answerPing(envelope.getPing(), receivedAtNanos);
            case PONG -> onPong(envelope.getPong(), receivedAtNanos);
            case HELLO -> throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "Hello sent twice");
            default -> onMessage(envelope, bytes, receivedAtNanos);
        }
    }

    /** A Pong: the relay pings only players of a simulcast stream ({@link PlayerListener}); elsewhere it is ignored. */
    protected void onPong(Pong pong, long receivedAtNanos) {
    }

    /** Sends the answer to a Ping; a publisher gets it at once (it has no media queue). */
    protected void sendPong(Envelope pong) {
        connection.sendControl(pong);
    }

    private void answerPing(Ping ping, long receivedAtNanos) {
        long nowMicros = clock.nowMicros();
        long receivedAtMicros = nowMicros - (clock.monotonicNanos() - receivedAtNanos) / 1000;
        sendPong(Envelope.newBuilder().setPong(Pong.newBuilder()
                .setId(ping.getId())
                .setPingSendTimeMicros(ping.getSendTimeMicros())
                .setReceiveTimeMicros(receivedAtMicros)
                .setSendTimeMicros(clock.nowMicros())
                .setReceivedBytes(receivedBytes())).build());
    }
}
