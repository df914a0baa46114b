package dev.tunnelcast.agent.publish;

import dev.tunnelcast.proto.v1.MediaPacket;
import dev.tunnelcast.proto.v1.TrackConfig;
import java.util.List;

/** Where the capture pipeline delivers its output. Thread-safe, never blocks. */
public interface MediaSink {

    /** The current configuration of every track; sent again whenever an encoder changes. */
    void onTrackConfigs(List<TrackConfig> configs);

    void onMedia(MediaPacket packet);
}
