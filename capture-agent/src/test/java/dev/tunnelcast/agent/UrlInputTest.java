package dev.tunnelcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunnelcast.agent.capture.SourceSpec;
import dev.tunnelcast.agent.clock.LocalClock;
import dev.tunnelcast.agent.encode.OpusSettings;
import dev.tunnelcast.agent.encode.VideoEncoderSettings;
import dev.tunnelcast.agent.publish.MediaSink;
import dev.tunnelcast.agent.publish.PublisherConfig;
import dev.tunnelcast.agent.publish.TlsSettings;
import dev.tunnelcast.agent.testing.SameClock;
import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A network source (an RTMP stream, as OBS or an IP camera would offer): FFmpeg serves a
 * live test stream on a loopback port ({@code -listen 1}) and the agent pulls it with
 * {@code --input rtmp://…}, re-encoding to H.264 + Opus.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // native calls ignore interrupts
class UrlInputTest {

    @Test
    void pullsAnRtmpStreamAndReencodesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtmp://127.0.0.1:" + port + "/live/cam";
        Process server = startRtmpServer(url);
        PublisherConfig unused = new PublisherConfig(URI.create("ws://127.0.0.1:9"), "url", "", null,
                TlsSettings.defaults(), 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(2), "test");
        AgentConfig config = AgentConfig.builder(unused).input(SourceSpec.parse(url))
                .videoEncoder(new VideoEncoderSettings("libx264", 320, 240, 30, 500_000, 0, "ultrafast", "high", "", 30, 1))
                .opus(new OpusSettings(1, 20, 64_000, 5, false, false)).build();
        List<MediaPacket> video = Collections.synchronizedList(new ArrayList<>());
        List<MediaPacket> audio = Collections.synchronizedList(new ArrayList<>());
        MediaSink sink = new MediaSink() {
            @Override
            public void onTrackConfigs(List<TrackConfig> configs) {}

            @Override
            public void onMedia(MediaPacket p) {
                (p.getTrackId() == CapturePipeline.VIDEO_TRACK ? video : audio).add(p);
            }
        };
        Thread.sleep(1_000); // let ffmpeg start listening
        try (CapturePipeline pipeline = new CapturePipeline(config, LocalClock.system(), SameClock.estimator(),
                sink, e -> { })) {
            pipeline.start();
            Thread.sleep(2_500);
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertThat(video.size()).as("video frames pulled over RTMP").isGreaterThan(30);
        assertThat(video.get(0).getKeyframe()).isTrue();
        assertThat(audio.size()).as("audio packets pulled over RTMP").isGreaterThan(40);
    }

    /**
     * An RTMP server for one client: the ffmpeg command line with {@code -listen 1}, fed a
     * paced test pattern and tone. (In-process, JavaCV's recorder would hold FFmpeg's global
     * open lock while it waits for the client, and the agent's grabber could never open.)
     */
    private static Process startRtmpServer(String url) throws Exception {
        Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        if (!Files.isExecutable(ffmpeg)) {
            throw new AssertionError("the ffmpeg command is not installed (apt-get install ffmpeg, or ./tunnelcast setup)");
        }
        return new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
                "-c:a", "aac", "-f", "flv", "-listen", "1", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
