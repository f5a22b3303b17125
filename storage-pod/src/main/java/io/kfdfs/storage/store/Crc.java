package io.kfdfs.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** CRC-32 of a whole file, read in chunks (appender and slave files, whose name does not carry it). */
public final class Crc {

    private Crc() {
    }

    public static int of(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return (int) crc.getValue();
    }
}
