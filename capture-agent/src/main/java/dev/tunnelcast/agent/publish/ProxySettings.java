package dev.tunnelcast.agent.publish;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP CONNECT proxy for the WebSocket: from {@code --proxy http://[user:pass@]host:port}
 * or from the standard {@code https_proxy} / {@code http_proxy} / {@code no_proxy}
 * variables (lower or upper case; {@code https_proxy} for wss, {@code http_proxy} for ws).
 */
public record ProxySettings(String host, int port, String user, String password, List<String> noProxy) {

    public static ProxySettings parse(String proxyUri, List<String> noProxy) {
        URI uri = URI.create(proxyUri.contains("://") ? proxyUri : "http://" + proxyUri);
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException("only http:// (CONNECT) proxies are supported, got " + proxyUri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy has no host: " + proxyUri);
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        return new ProxySettings(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 3128, user, password, noProxy);
    }

    /** The proxy the environment asks for when connecting to {@code relay}, or null. */
    public static ProxySettings fromEnvironment(Map<String, String> env, URI relay) {
        boolean secure = relay.getScheme().equalsIgnoreCase("wss");
        String value = secure ? get(env, "https_proxy") : get(env, "http_proxy");
        if (value == null || value.isBlank()) {
            return null;
        }
        String noProxy = get(env, "no_proxy");
        List<String> exclusions = noProxy == null ? List.of()
                : Arrays.stream(noProxy.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return parse(value, exclusions);
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null ? v : env.get(name.toUpperCase(Locale.ROOT));
    }

    public boolean hasCredentials() {
        return user != null;
    }

    /** True if {@code host} matches a no_proxy entry ({@code *}, a host, a {@code .domain} suffix). */
    public boolean bypasses(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals("*")) {
                return true;
            }
            String domain = e.startsWith(".") ? e.substring(1) : e;
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    public ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return uri.getHost() != null && bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // The publisher reports and retries; nothing to remember here.
            }
        };
    }

    @Override
    public String toString() {
        return "http://" + (user != null ? user + ":***@" : "") + host + ":" + port;
    }
}
