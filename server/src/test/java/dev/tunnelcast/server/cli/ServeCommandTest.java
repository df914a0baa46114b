package dev.tunnelcast.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunnelcast.server.RelayConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

    static RelayConfig parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.toConfig();
    }

    @Test
    void commandLineDefaultsAreTheConfigDefaults() {
        RelayConfig cli = parse();
        RelayConfig lib = RelayConfig.builder().build();
        assertThat(cli.port()).isEqualTo(lib.port()).isEqualTo(8080);
        assertThat(cli.bindAddress()).isEqualTo(lib.bindAddress());
        assertThat(cli.maxMessageBytes()).isEqualTo(lib.maxMessageBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(cli.maxStreams()).isEqualTo(lib.maxStreams());
        assertThat(cli.maxPlayersPerStream()).isEqualTo(lib.maxPlayersPerStream());
        assertThat(cli.maxPlayers()).isEqualTo(lib.maxPlayers());
        assertThat(cli.playerQueueBytes()).isEqualTo(lib.playerQueueBytes());
        assertThat(cli.playerQueueAge()).isEqualTo(lib.playerQueueAge());
        assertThat(cli.slowPlayerTimeout()).isEqualTo(lib.slowPlayerTimeout());
        assertThat(cli.playerWriteMerge()).isEqualTo(lib.playerWriteMerge()).isZero();
        assertThat(cli.helloTimeout()).isEqualTo(lib.helloTimeout());
        assertThat(cli.headerTimeout()).isEqualTo(lib.headerTimeout());
        assertThat(cli.maxPendingConnections()).isEqualTo(lib.maxPendingConnections());
        assertThat(cli.maxPendingPerAddress()).isEqualTo(lib.maxPendingPerAddress());
        assertThat(cli.maxIdleConnections()).isEqualTo(lib.maxIdleConnections());
        assertThat(cli.maxIdlePerAddress()).isEqualTo(lib.maxIdlePerAddress());
        assertThat(cli.gracePeriod()).isEqualTo(lib.gracePeriod());
        assertThat(cli.gopCacheBytes()).isEqualTo(lib.gopCacheBytes());
        assertThat(cli.allowTakeover()).isFalse();
        assertThat(cli.maxRoomSize()).isEqualTo(lib.maxRoomSize()).isEqualTo(8);
        assertThat(cli.tlsEnabled()).isFalse();
    }

    @Test
    void optionsAreParsedWithUnits() {
        RelayConfig c = parse("--port", "0", "--max-message-bytes", "512KiB", "--player-queue-age", "1500ms",
                "--grace-period", "1m", "--allow-takeover", "--gop-cache-bytes", "2MiB", "--max-room-size", "3",
                "--player-write-merge", "20ms");
        assertThat(c.port()).isZero();
        assertThat(c.maxMessageBytes()).isEqualTo(512 * 1024);
        assertThat(c.playerQueueAge()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.allowTakeover()).isTrue();
        assertThat(c.gopCacheBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(c.maxRoomSize()).isEqualTo(3);
        assertThat(c.playerWriteMerge()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void theRoomSizeLimitReadsItsEnvironmentVariable() throws Exception {
        CommandLine.Option option = ServeCommand.class.getDeclaredField("maxRoomSize").getAnnotation(CommandLine.Option.class);
        assertThat(option.names()).containsExactly("--max-room-size");
        assertThat(option.defaultValue()).isEqualTo("${env:TUNNELCAST_MAX_ROOM_SIZE:-8}");
    }

    @Test
    void unitsFollowTheGrammarSharedWithTheAgent() {
        RelayConfig c = parse("--player-queue-age", "1.5s", "--gop-cache-bytes", "2M", "--player-queue-bytes", "4MB",
                "--max-message-bytes", "1Mi", "--grace-period", "0.5m");
        assertThat(c.playerQueueAge()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.gopCacheBytes()).isEqualTo(2_000_000);
        assertThat(c.playerQueueBytes()).isEqualTo(4_000_000);
        assertThat(c.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(c.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRelayThatCannotStartIsAOneLineError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cmd = dev.tunnelcast.server.RelayMain.commandLine();
            cmd.setErr(new java.io.PrintWriter(err));
            int exit = cmd.execute("serve", "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).startsWith("error: cannot start the relay").doesNotContain("\tat ");
        }
    }

    @Test
    void accessOptionsAreParsed() {
        RelayConfig defaults = parse();
        assertThat(defaults.access()).isEqualTo(dev.tunnelcast.server.access.AccessConfig.defaults());
        assertThat(defaults.access().allowedOrigins()).containsExactly("self");
        RelayConfig c = parse("--allowed-origins", "https://app.example.com,http://localhost:3000", "--metrics-token", "scrape",
                "--metrics-bind", "[::1]:9100", "--tls-only", "--tls-keystore", "relay.p12");
        assertThat(c.access().allowedOrigins()).containsExactly("https://app.example.com:443", "http://localhost:3000");
        assertThat(c.access().metricsToken()).isEqualTo("scrape");
        assertThat(c.access().metricsBind().getHostString()).isEqualTo("::1");
        assertThat(c.access().metricsBind().getPort()).isEqualTo(9100);
        assertThat(c.access().tlsOnly()).isTrue();
        assertThat(c.plainBindAddress()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> parse("--metrics-bind", "9100")).hasMessageContaining("--metrics-bind takes HOST:PORT");
        assertThatThrownBy(() -> parse("--tls-only")).hasMessageContaining("--tls-only needs TLS");
        assertThatThrownBy(() -> parse("--allowed-origins", "https://app.example.com/x")).hasMessageContaining("not an origin");
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> parse("--player-queue-age", "soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> parse("--max-message-bytes", "lots")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> parse("--max-streams", "0")).hasMessageContaining("--max-streams must be positive");
        assertThatThrownBy(() -> parse("--max-room-size", "0")).hasMessageContaining("--max-room-size must be positive");
        assertThatThrownBy(() -> parse("--player-write-merge", "2s")).hasMessageContaining("--player-write-merge must be 0 (off) to 500 ms");
        assertThatThrownBy(() -> parse("--tls-cert", "a.pem")).hasMessageContaining("--tls-cert and --tls-key go together");
    }
}
