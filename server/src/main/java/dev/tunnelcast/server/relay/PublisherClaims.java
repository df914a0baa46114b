package dev.tunnelcast.server.relay;

/**
 * Where a publisher claims its stream beyond this node: on one relay every claim is granted
 * (the stream itself refuses a second publisher); in a cluster the stream directory refuses a
 * stream that a publisher holds on another node.
 */
public interface PublisherClaims {

    /** Grants everything: one relay on its own. */
    PublisherClaims LOCAL_ONLY = (stream, hello) -> { };

    /**
     * Claims {@code stream} for a publisher connected to this node.
     *
     * @throws Refusal 4409 when another node's publisher holds it (and may not be taken over)
     */
    void claim(String stream, PublisherHello hello) throws Refusal;
}
