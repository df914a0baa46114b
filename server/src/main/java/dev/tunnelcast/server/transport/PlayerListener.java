package dev.tunnelcast.server.transport;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.Envelope;
import dev.tunnelcast.proto.v1.Hello;
import dev.tunnelcast.proto.v1.Pong;
import dev.tunnelcast.proto.v1.Role;
import dev.tunnelcast.server.clock.RelayClock;
import dev.tunnelcast.server.relay.LayerRequest;
import dev.tunnelcast.server.relay.Refusal;
import dev.tunnelcast.server.relay.StreamRegistry;
import java.nio.ByteBuffer;

/** A player's side of the conversation: joins the stream at Hello, then only pings. */
final class PlayerListener extends ClientListener {

    private final StreamRegistry registry;
    private final LayerRequest layers;
    private volatile StreamRegistry.PlayerAttachment attachment;

    PlayerListener(Connection connection, RelayClock clock, int maxMessageBytes, StreamRegistry registry,
                   LayerRequest layers) {
        super(connection, clock, maxMessageBytes, Role.ROLE_PLAYER);
        this.registry = registry;
        this.layers = layers;
    }

    @Override
    protected void admit(Hello hello, Envelope welcome) throws Refusal {
        attachment = registry.attachPlayer(connection, welcome, layers);
    }

    @Override
    protected void onMessage(Envelope envelope, ByteBuffer bytes, long receivedAtNanos) throws Refusal {
        throw new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, "a player may not send " + envelope.getKindCase());
    }

    /** A player's Pong goes through its bounded queue, behind the media already queued for it. */
    @Override
    protected void sendPong(Envelope pong) {
        StreamRegistry.PlayerAttachment a = attachment;
        if (a == null) {
            connection.sendControl(pong);
            return;
        }
        a.answer(pong);
    }

    /** An answer to the relay's Ping: it times the player's path for its layer choice. */
    @Override
    protected void onPong(Pong pong, long receivedAtNanos) {
        StreamRegistry.PlayerAttachment a = attachment;
        if (a != null) {
            a.session().answered(pong, receivedAtNanos);
        }
    }

    @Override
    void closed(String reason) {
        StreamRegistry.PlayerAttachment a = attachment;
        if (a != null) {
            a.detach();
        }
    }
}
