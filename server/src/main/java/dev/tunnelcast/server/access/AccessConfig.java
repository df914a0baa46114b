package dev.tunnelcast.server.access;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who may reach what over HTTP, beyond stream tokens (see docs/protocol.md, "HTTP access rules").
 *
 * @param allowedOrigins browser origins allowed to open a WebSocket: {@code scheme://host[:port]},
 *                       {@code self} (the relay's own, the default) or {@code *} (any); requests
 *                       without {@code Origin} (non-browser clients) are always allowed
 * @param metricsToken   the bearer token {@code /metrics} requires, or null
 * @param metricsBind    a separate management listener for {@code /metrics} and {@code /healthz}
 *                       (the main listener then serves no {@code /metrics}), or null
 * @param tlsOnly        with TLS configured: the plain listener binds loopback only
 */
public record AccessConfig(List<String> allowedOrigins, String metricsToken, InetSocketAddress metricsBind, boolean tlsOnly) {

    public AccessConfig {
        allowedOrigins = allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty())
                .map(o -> o.equals(OriginPolicy.ANY) || o.equalsIgnoreCase(OriginPolicy.SELF)
                        ? o.toLowerCase(java.util.Locale.ROOT) : OriginPolicy.normalize(o)).toList();
        metricsToken = metricsToken == null || metricsToken.isEmpty() ? null : metricsToken;
    }

    /** Same-origin WebSockets only, /metrics on the main listener, plain listener as bound. */
    public static AccessConfig defaults() {
        return new AccessConfig(List.of(OriginPolicy.SELF), null, null, false);
    }

    public AccessConfig withAllowedOrigins(List<String> origins) {
        return new AccessConfig(origins, metricsToken, metricsBind, tlsOnly);
    }

    public AccessConfig withMetricsToken(String token) {
        return new AccessConfig(allowedOrigins, token, metricsBind, tlsOnly);
    }

    public AccessConfig withMetricsBind(InetSocketAddress bind) {
        return new AccessConfig(allowedOrigins, metricsToken, bind, tlsOnly);
    }

    public AccessConfig withTlsOnly(boolean only) {
        return new AccessConfig(allowedOrigins, metricsToken, metricsBind, only);
    }

    /** {@code host:port} or {@code [v6]:port}, unresolved; port 0 picks a free one. */
    public static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (host.isEmpty() || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-bind takes HOST:PORT (e.g. 127.0.0.1:9100), not '" + value + "'");
        }
    }
}
