package dev.tunnelcast.server.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much space is left for recordings; the file store's own figure unless a test says otherwise. */
@FunctionalInterface
interface DiskSpace {

    DiskSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    long usableBytes(Path directory) throws IOException;
}
