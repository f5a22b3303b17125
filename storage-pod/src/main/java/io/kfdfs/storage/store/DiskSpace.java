package io.kfdfs.storage.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where free space comes from. The real one asks the file system that holds each store path (FastDFS
 * users hit ENOSPC when free space was read from the wrong one); tests substitute a nearly full disk.
 */
public interface DiskSpace {

    /** Total and free megabytes, as FastDFS reports them: free = space available to this process. */
    record Usage(long totalMb, long freeMb) {
    }

    Usage usage(Path storePath) throws IOException;

    DiskSpace SYSTEM = path -> {
        FileStore fs = Files.getFileStore(path);
        return new Usage(fs.getTotalSpace() >> 20, fs.getUsableSpace() >> 20);
    };
}
