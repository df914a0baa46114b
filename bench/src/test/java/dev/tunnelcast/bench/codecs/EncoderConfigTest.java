package dev.tunnelcast.bench.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderConfigTest {

    private static String value(List<String> args, String option) {
        int i = args.indexOf(option);
        return i < 0 ? null : args.get(i + 1);
    }

    private static EncoderConfig named(String name) {
        return EncoderConfig.defaults().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyConfigHasTheTargetBitrateAndTheKeyframeInterval() {
        for (EncoderConfig c : EncoderConfig.defaults()) {
            List<String> args = c.outputArgs(2_500_000, 0);
            assertEquals(c.encoder(), value(args, "-c:v"), c.name());
            assertEquals("2500000", value(args, "-b:v"), c.name());
            assertEquals("60", value(args, "-g"), c.name());
            assertFalse(args.contains("-threads"), c.name());
        }
    }

    @Test
    void x264IsZeroLatencyWithHalfASecondOfVbv() {
        List<String> args = named("x264 veryfast").outputArgs(2_000_000, 0);
        assertEquals("veryfast", value(args, "-preset"));
        assertEquals("zerolatency", value(args, "-tune"));
        assertEquals("2000000", value(args, "-maxrate"));
        assertEquals("1000000", value(args, "-bufsize"));
        assertEquals("0", value(args, "-bf"));
    }

    @Test
    void libvpxRunsRealtimeCbr() {
        for (String name : List.of("VP8 rt", "VP9 rt")) {
            List<String> args = named(name).outputArgs(1_000_000, 0);
            assertEquals("realtime", value(args, "-deadline"), name);
            assertEquals("0", value(args, "-lag-in-frames"), name);
            assertEquals(value(args, "-maxrate"), value(args, "-minrate"), name);
        }
    }

    @Test
    void svtAv1RunsLowDelayWithAMaxRate() {
        List<String> args = named("SVT-AV1 p10").outputArgs(1_000_000, 0);
        assertTrue(value(args, "-svtav1-params").contains("pred-struct=1"));
        assertTrue(value(args, "-svtav1-params").contains("lookahead=0"));
        assertEquals("1000000", value(args, "-maxrate"));
    }

    @Test
    void threadsAreSetOnlyWhenAsked() {
        assertEquals("1", value(named("VP8 rt").outputArgs(1_000_000, 1), "-threads"));
    }
}
