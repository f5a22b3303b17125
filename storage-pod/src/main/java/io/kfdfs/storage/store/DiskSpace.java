package io.kfdfs.storage.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where free space comes from. The real one asks the file system that holds each store path (FastDFS
 * users hit ENOSPC when free space was read from the wrong one); tests substitute a nearly full disk.
 */
public interface DiskSpace {

    /** Total and free megabytes, as FastDFS reports them: free = space available to this process. */
    record Usage(long totalMb, long freeMb) {
    }

    Usage usage(Path storePath) throws IOException;

    DiskSpace SYSTEM = new DiskSpace() {
        /**
         * Finding a path's FileStore parses the mount table (/proc/mounts), far too slow for every upload;
         * the FileStore asks statfs on the path itself each time, so free space stays right across
         * remounts. The total changes only when a volume is resized: it is read again every
         * {@link #TOTAL_TTL_NANOS}, saving one statfs per upload.
         */
        private static final long TOTAL_TTL_NANOS = 10_000_000_000L;

        private record Known(FileStore store, long totalMb, long readAt) {
        }

        private final Map<Path, Known> stores = new ConcurrentHashMap<>();

        @Override
        public Usage usage(Path storePath) throws IOException {
            Known k = stores.get(storePath);
            long now = System.nanoTime();
            if (k == null || now - k.readAt() > TOTAL_TTL_NANOS) {
                FileStore fs = k == null ? Files.getFileStore(storePath) : k.store();
                k = new Known(fs, fs.getTotalSpace() >> 20, now);
                stores.put(storePath, k);
            }
            return new Usage(k.totalMb(), k.store().getUsableSpace() >> 20);
        }
    };
}
