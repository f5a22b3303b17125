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
         * the FileStore asks statfs on the path itself each time, so it stays right across remounts.
         */
        private final Map<Path, FileStore> stores = new ConcurrentHashMap<>();

        @Override
        public Usage usage(Path storePath) throws IOException {
            FileStore fs = stores.get(storePath);
            if (fs == null) {
                fs = Files.getFileStore(storePath);
                stores.put(storePath, fs);
            }
            return new Usage(fs.getTotalSpace() >> 20, fs.getUsableSpace() >> 20);
        }
    };
}
