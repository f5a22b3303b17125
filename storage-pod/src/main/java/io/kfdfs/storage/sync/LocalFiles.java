package io.kfdfs.storage.sync;

import io.kfdfs.protocol.ProtocolException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The local files a batch of binlog records refers to, looked at once for the whole batch (blocking): the
 * size of each, and the bytes of a small one, so that sending a small file costs no further trip
 * to the disk. What is seen may be newer than a record, never older; a sender sends what is there now.
 */
final class LocalFiles {

    /** Files up to this size are read with the batch and sent from memory, larger ones with sendfile. */
    static final int SMALL = 64 * 1024;
    /**
     * At most this many bytes are held per batch (per peer); files beyond it are sent with sendfile. The
     * storage's heap is 20 MiB: with 4 MiB per peer, a full-sync source with two peers under uploads ran out
     * of it (e2e scenario 6).
     */
    static final long BATCH_BYTES = 1L << 20;

    /**
     * @param size  its size, -1 if it is not there
     * @param bytes its content when small, else null
     */
    record Local(Path path, long size, byte[] bytes) {
    }

    interface Names {
        Path path(String name) throws ProtocolException;
    }

    private final Names names;
    private final Map<String, Local> seen = new HashMap<>();
    private long budget = BATCH_BYTES;

    LocalFiles(Names names) {
        this.names = names;
    }

    /** What {@code name} is now (and for the rest of the batch). */
    Local look(String name) throws IOException, ProtocolException {
        Local l = seen.get(name);
        if (l == null) {
            l = read(names.path(name));
            seen.put(name, l);
        }
        return l;
    }

    /** Whether {@code name} has been looked at in this batch. */
    boolean known(String name) {
        return seen.containsKey(name);
    }

    /** Whether {@code name} has been looked at in this batch and was there. */
    boolean present(String name) {
        Local l = seen.get(name);
        return l != null && l.size() >= 0;
    }

    private Local read(Path path) throws IOException {
        try {
            long size = Files.size(path);
            byte[] bytes = size <= SMALL && size <= budget ? Files.readAllBytes(path) : null;
            if (bytes != null) {
                size = bytes.length; // it may have changed since its size was taken: what was read is the truth
                budget -= size;
            }
            return new Local(path, size, bytes);
        } catch (NoSuchFileException e) {
            return new Local(path, -1, null);
        }
    }
}
