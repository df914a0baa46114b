package dev.tunnelcast.server.archive;

import java.util.Arrays;
import java.util.Locale;

/**
 * When the recorder asks the kernel to put a segment's bytes on the disk ({@code fsync}).
 * Without it a finished fragment is safe from {@code kill -9} (it is in the page cache) but
 * not from a power loss or a kernel crash, which lose what the kernel had not written back
 * yet (up to ~30 s on Linux).
 */
public enum FsyncPolicy {
    /** After every finished fragment (and at segment open and close): a power loss loses at most the fragment being collected. */
    FRAGMENT,
    /** When a segment is opened (its directory entry) and closed: a power loss may lose the open segment's unsynced tail. */
    SEGMENT,
    /** Never: the kernel writes back when it likes. */
    NONE;

    /** {@code fragment}, {@code segment} or {@code none} (any case). */
    public static FsyncPolicy parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fsync policy must be one of " + Arrays.toString(values()) + ", got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
