package dev.tunnelcast.server.relay;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.TrackConfig;

/** The sanity rules for a {@code TrackConfig}; a violation closes the publisher with 4422. */
final class TrackValidation {

    private static final int MAX_CODEC_LENGTH = 64;

    private TrackValidation() {}

    static void checkConfig(TrackConfig config) throws Refusal {
        int id = config.getTrackId();
        if (id == 0) {
            throw violation("TrackConfig needs a track_id >= 1");
        }
        String codec = config.getCodec();
        if (codec.isBlank() || codec.length() > MAX_CODEC_LENGTH) {
            throw violation("TrackConfig " + id + " needs a codec string (1-" + MAX_CODEC_LENGTH + " characters)");
        }
        switch (config.getKind()) {
            case TRACK_KIND_VIDEO -> {
                if (config.getWidth() == 0 || config.getHeight() == 0) {
                    throw violation("video TrackConfig " + id + " needs width and height");
                }
                if (!(config.getFrameRate() >= 0) || Double.isInfinite(config.getFrameRate())) {
                    throw violation("video TrackConfig " + id + " has an invalid frame rate");
                }
            }
            case TRACK_KIND_AUDIO -> {
                if (config.getSampleRate() == 0 || config.getChannels() == 0) {
                    throw violation("audio TrackConfig " + id + " needs sample_rate and channels");
                }
            }
            default -> throw violation("TrackConfig " + id + " has an unknown kind " + config.getKindValue());
        }
    }

    private static Refusal violation(String detail) {
        return new Refusal(CloseCode.CLOSE_CODE_PROTOCOL_VIOLATION, detail);
    }
}
