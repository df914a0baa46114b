package dev.tunnelcast.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    @Test
    void parsesCredentialsAndPort() {
        ProxySettings p = ProxySettings.parse("http://al%40ce:s3cr%3At@proxy.corp:8080", List.of());
        assertThat(p.host()).isEqualTo("proxy.corp");
        assertThat(p.port()).isEqualTo(8080);
        assertThat(p.user()).isEqualTo("al@ce");
        assertThat(p.password()).isEqualTo("s3cr:t");
        assertThat(p.toString()).doesNotContain("s3cr");
    }

    @Test
    void picksHttpsProxyForWssAndHttpProxyForWs() {
        Map<String, String> env = Map.of("https_proxy", "http://secure:3128", "HTTP_PROXY", "http://plain:3128");
        assertThat(ProxySettings.fromEnvironment(env, URI.create("wss://relay:443")).host()).isEqualTo("secure");
        assertThat(ProxySettings.fromEnvironment(env, URI.create("ws://relay:80")).host()).isEqualTo("plain");
        assertThat(ProxySettings.fromEnvironment(Map.of(), URI.create("ws://relay:80"))).isNull();
    }

    @Test
    void noProxyBypassesHostsAndDomainSuffixes() {
        ProxySettings p = ProxySettings.fromEnvironment(
                Map.of("http_proxy", "http://p:3128", "no_proxy", "localhost, .internal,example.com"),
                URI.create("ws://x"));
        assertThat(p.selector().select(URI.create("http://relay.internal:8080/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.selector().select(URI.create("http://a.example.com/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.selector().select(URI.create("http://localhost/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.selector().select(URI.create("http://relay.public.net/")).get(0).type()).isEqualTo(Proxy.Type.HTTP);
        assertThat(p.selector().select(URI.create("http://notexample.com/")).get(0).type()).isEqualTo(Proxy.Type.HTTP);
    }

    @Test
    void refusesNonHttpProxies() {
        assertThatThrownBy(() -> ProxySettings.parse("socks5://p:1080", List.of()))
                .hasMessageContaining("only http://");
    }
}
