package io.kfdfs.storage.store;

import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.RemoteFilename;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Data files per store path (metadata files not counted), kept up to date as files are created and
 * deleted and saved with the storage's stat file, so the number is known without scanning the store's
 * directories. Thread-safe.
 */
public final class FileCounts {

    private final AtomicLongArray counts;

    public FileCounts(int paths) {
        this.counts = new AtomicLongArray(paths);
    }

    public int paths() {
        return counts.length();
    }

    public long get(int path) {
        return counts.get(path);
    }

    public void set(int path, long count) {
        counts.set(path, count);
    }

    public void created(int path) {
        counts.incrementAndGet(path);
    }

    public void deleted(int path) {
        counts.decrementAndGet(path);
    }

    /** {@code name} appeared; a metadata file ({@code -m}) does not count. */
    public void created(RemoteFilename name) {
        if (!name.text().endsWith(Metadata.FILE_SUFFIX)) {
            created(name.storePathIndex());
        }
    }

    /** {@code name} went; a metadata file ({@code -m}) does not count. */
    public void deleted(RemoteFilename name) {
        if (!name.text().endsWith(Metadata.FILE_SUFFIX)) {
            deleted(name.storePathIndex());
        }
    }

    /**
     * Counts the files under {@code data/HH/HH} once, for a store whose stat file has no counts yet (data
     * written before kfdfs kept them, or by FastDFS). Blocking: one directory listing per subdirectory.
     */
    public static long count(Path data, int subdirCount) {
        long n = 0;
        for (int high = 0; high < subdirCount; high++) {
            for (int low = 0; low < subdirCount; low++) {
                String[] names = data.resolve(FileName.hex2(high)).resolve(FileName.hex2(low)).toFile().list();
                for (String name : names == null ? new String[0] : names) {
                    if (!name.endsWith(Metadata.FILE_SUFFIX)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
