package dev.tunnelcast.agent.encode;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tomp2p.opuswrapper.Opus;

/**
 * Opus through libopus (opus-java's JNA binding). Takes interleaved 16-bit PCM at 48 kHz in
 * chunks of any size and emits one packet per full frame. Timestamps are continuous: the
 * first sample is anchored on the media clock, then every packet advances by its duration,
 * so audio pts never jitter with capture scheduling. Used from one thread.
 */
public final class OpusAudioEncoder implements AutoCloseable {

    private static final int MAX_PACKET_BYTES = 4000;

    private final OpusSettings settings;
    private final Opus opus;
    private final PointerByReference encoder;
    private final short[] frameBuffer;
    private final ByteBuffer packetBuffer = ByteBuffer.allocateDirect(MAX_PACKET_BYTES);
    private final int preSkip;
    private int filled;
    private long samplesEncoded;
    private long firstSamplePtsMicros = Long.MIN_VALUE;
    private boolean closed;

    public OpusAudioEncoder(OpusSettings settings) {
        OpusLoader.load();
        this.settings = settings;
        this.opus = Opus.INSTANCE;
        IntBuffer error = IntBuffer.allocate(1);
        encoder = opus.opus_encoder_create(OpusSettings.SAMPLE_RATE, settings.channels(),
                Opus.OPUS_APPLICATION_AUDIO, error);
        if (error.get(0) != Opus.OPUS_OK || encoder == null) {
            throw new EncoderException("opus_encoder_create: " + opus.opus_strerror(error.get(0)));
        }
        ctl(Opus.OPUS_SET_BITRATE_REQUEST, settings.bitrateBps());
        ctl(Opus.OPUS_SET_COMPLEXITY_REQUEST, settings.complexity());
        ctl(Opus.OPUS_SET_INBAND_FEC_REQUEST, settings.inbandFec() ? 1 : 0);
        ctl(Opus.OPUS_SET_DTX_REQUEST, settings.dtx() ? 1 : 0);
        IntByReference lookahead = new IntByReference();
        opus.opus_encoder_ctl(encoder, Opus.OPUS_GET_LOOKAHEAD_REQUEST, lookahead);
        preSkip = lookahead.getValue();
        frameBuffer = new short[settings.samplesPerFrame() * settings.channels()];
    }

    private void ctl(int request, int value) {
        int err = opus.opus_encoder_ctl(encoder, request, value);
        if (err != Opus.OPUS_OK) {
            throw new EncoderException("opus_encoder_ctl(" + request + ", " + value + "): " + opus.opus_strerror(err));
        }
    }

    public OpusSettings settings() {
        return settings;
    }

    public byte[] opusHead() {
        return new OpusHead(settings.channels(), preSkip, OpusSettings.SAMPLE_RATE).toBytes();
    }

    /**
     * Encodes interleaved samples. {@code chunkStartPtsMicros} is the media time of the
     * chunk's first sample; it anchors the timeline on the first call only (or after a
     * re-anchor, when capture drifted more than {@code maxDriftMicros} from it).
     * {@code ptsToRelayMicros} maps a pts to the relay clock for capture times.
     */
    public List<EncodedPacket> encode(short[] interleaved, long chunkStartPtsMicros, long maxDriftMicros,
                                      java.util.function.LongUnaryOperator ptsToRelayMicros) {
        int channels = settings.channels();
        if (interleaved.length % channels != 0) {
            throw new IllegalArgumentException("sample count not a multiple of the channel count");
        }
        long expected = nextSamplePtsMicros();
        if (firstSamplePtsMicros == Long.MIN_VALUE || Math.abs(chunkStartPtsMicros - expected) > maxDriftMicros) {
            // (Re-)anchor: drop the partial frame, start the timeline at this chunk.
            firstSamplePtsMicros = chunkStartPtsMicros;
            samplesEncoded = 0;
            filled = 0;
        }
        List<EncodedPacket> out = new ArrayList<>(2);
        int offset = 0;
        while (offset < interleaved.length) {
            int n = Math.min(frameBuffer.length - filled, interleaved.length - offset);
            System.arraycopy(interleaved, offset, frameBuffer, filled, n);
            filled += n;
            offset += n;
            if (filled == frameBuffer.length) {
                out.add(encodeFrame(ptsToRelayMicros));
                filled = 0;
            }
        }
        return out;
    }

    /** The pts the next input sample will get, or {@link Long#MIN_VALUE} before the first chunk. */
    public long nextSamplePtsMicros() {
        if (firstSamplePtsMicros == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return firstSamplePtsMicros + (samplesEncoded + filled / settings.channels()) * 1_000_000L
                / OpusSettings.SAMPLE_RATE;
    }

    private EncodedPacket encodeFrame(java.util.function.LongUnaryOperator ptsToRelayMicros) {
        int frameSamples = settings.samplesPerFrame();
        long pts = firstSamplePtsMicros + samplesEncoded * 1_000_000L / OpusSettings.SAMPLE_RATE;
        packetBuffer.clear();
        int n = opus.opus_encode(encoder, ShortBuffer.wrap(frameBuffer), frameSamples, packetBuffer, MAX_PACKET_BYTES);
        if (n < 0) {
            throw new EncoderException("opus_encode: " + opus.opus_strerror(n));
        }
        byte[] payload = new byte[n];
        packetBuffer.get(payload, 0, n);
        samplesEncoded += frameSamples;
        long duration = frameSamples * 1_000_000L / OpusSettings.SAMPLE_RATE;
        return new EncodedPacket(pts, duration, true, payload, ptsToRelayMicros.applyAsLong(pts));
    }

    public void setBitrate(int bitrateBps) {
        ctl(Opus.OPUS_SET_BITRATE_REQUEST, bitrateBps);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Arrays.fill(frameBuffer, (short) 0);
            opus.opus_encoder_destroy(encoder);
        }
    }
}
