package dev.tunnelcast.bench.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FfmpegOutputTest {

    private static final String ENCODE = """
            [out#0/matroska @ 0x5655762e4d40] video:697KiB audio:0KiB subtitle:0KiB other streams:0KiB global headers:0KiB
            bench: utime=2.082s stime=0.199s rtime=2.320s
            bench: maxrss=109660KiB
            """;

    private static final String QUALITY = """
            [Parsed_ssim_7 @ 0x7f22940054c0] SSIM Y:0.997239 (25.589274) U:0.997197 (25.524084) \
            V:0.997204 (25.535176) All:0.997226 (25.569301)
            [Parsed_psnr_6 @ 0x7f2294004ec0] PSNR y:53.970736 u:53.977030 v:53.974004 average:53.972329 min:53.900207 max:61.716717
            """;

    @Test
    void readsTheBenchmarkTimes() {
        FfmpegOutput.BenchTimes t = FfmpegOutput.benchTimes(ENCODE);
        assertEquals(2.082, t.userSeconds(), 1e-9);
        assertEquals(0.199, t.systemSeconds(), 1e-9);
        assertEquals(2.320, t.realSeconds(), 1e-9);
        assertEquals(2.281, t.cpuSeconds(), 1e-9);
    }

    @Test
    void aRunWithoutBenchmarkLineIsAnError() {
        assertThrows(IllegalStateException.class, () -> FfmpegOutput.benchTimes("frame=  60 fps= 26"));
    }

    @Test
    void readsPsnrAverageAndSsimAll() {
        assertEquals(53.972329, FfmpegOutput.psnrAverageDb(QUALITY).orElseThrow(), 1e-9);
        assertEquals(0.997226, FfmpegOutput.ssimAll(QUALITY).orElseThrow(), 1e-9);
    }

    @Test
    void identicalFramesGiveInfinitePsnr() {
        String lossless = "[Parsed_psnr_4 @ 0x1] PSNR y:inf u:inf v:inf average:inf min:inf max:inf";
        assertTrue(Double.isInfinite(FfmpegOutput.psnrAverageDb(lossless).orElseThrow()));
    }

    @Test
    void missingFiltersGiveEmpty() {
        assertTrue(FfmpegOutput.psnrAverageDb(ENCODE).isEmpty());
        assertTrue(FfmpegOutput.ssimAll(ENCODE).isEmpty());
    }
}
