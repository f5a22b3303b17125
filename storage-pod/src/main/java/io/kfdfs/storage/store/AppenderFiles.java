package io.kfdfs.storage.store;

import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Operations on appender files that need no content from the client: truncate (§4.10) and regenerate
 * (§4.11). Blocking; callers serialise operations on one file.
 */
public final class AppenderFiles {

    private final Store store;
    private final DataFiles files;
    private final Naming naming;
    private final Binlog binlog;

    public AppenderFiles(Store store, DataFiles files, Naming naming, Binlog binlog) {
        this.store = store;
        this.files = files;
        this.naming = naming;
        this.binlog = binlog;
    }

    /** EINVAL unless the name carries the appender flag (§7.2). */
    public static void requireAppender(RemoteFilename name) throws ProtocolException {
        if (name.text().length() < FileName.NORMAL_LENGTH || !FileName.blockOf(name).isAppender()) {
            throw ProtocolException.invalid(name + " is not an appender file");
        }
    }

    /**
     * TRUNCATE_FILE: shrinks, or extends with zeros; nothing to do (and no record) for the same size. The
     * record is written first and held back from the senders until the file has its new size: a storage
     * stopped in between has a record its senders replay as the file is (docs/replication.md), where a
     * truncate before its record would be on this storage only, for good.
     */
    public void truncate(RemoteFilename name, long newSize, long now) throws ProtocolException, IOException {
        requireAppender(name);
        DataFiles.Stat st = files.stat(name);
        if (st.size() == newSize) {
            return;
        }
        try (Binlog.Pending record = binlog.appendPending(now, Binlog.TRUNCATE, name.text(), st.size() + " " + newSize);
             RandomAccessFile f = new RandomAccessFile(st.path().toFile(), "rw")) {
            f.setLength(newSize);
        }
    }

    /**
     * REGENERATE_APPENDER_FILENAME: renames the appender to a normal name carrying its size and CRC-32,
     * same directory and extension tail. EBUSY if no free name was found.
     */
    public RemoteFilename regenerate(RemoteFilename name, int source, long now) throws ProtocolException, IOException {
        requireAppender(name);
        DataFiles.Stat st = files.stat(name);
        int crc = Crc.of(st.path());
        for (int attempt = 0; attempt < 10; attempt++) {
            FileName.Block block = new FileName.Block(source, now, FileName.sizeField(st.size(), false, naming.randomBits()), crc);
            RemoteFilename fresh = RemoteFilename.parse(FileName.regenerated(name, block));
            Path target = store.dataFile(fresh);
            if (!naming.reserve(fresh.text())) {
                continue;
            }
            try {
                if (Files.exists(target)) {
                    continue;
                }
                binlog.append(now, Binlog.RENAME, fresh.text(), name.text());
                Files.move(st.path(), target, StandardCopyOption.ATOMIC_MOVE);
                return fresh;
            } finally {
                naming.release(fresh.text());
            }
        }
        throw new ProtocolException(Status.EBUSY, "no unique name for regenerating " + name);
    }
}
