package io.kfdfs.storage.store;

import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.SetMetadataRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code <name>-m} files beside data files (docs/protocol.md §4.4, §4.6, §8). Blocking; callers
 * serialise operations on one file.
 */
public final class MetadataFiles {

    private final Store store;
    private final Binlog binlog;

    public MetadataFiles(Store store, Binlog binlog) {
        this.store = store;
        this.binlog = binlog;
    }

    /** SET_METADATA: {@code O} replaces (or, empty, deletes), {@code M} merges (or, empty, does nothing). */
    public void set(RemoteFilename name, char flag, Metadata metadata, long now) throws ProtocolException, IOException {
        requireData(name);
        Path meta = store.metadataFile(name);
        String metaName = name.text() + Metadata.FILE_SUFFIX;
        boolean existed = Files.exists(meta);
        if (metadata.isEmpty()) {
            if (flag == SetMetadataRequest.OVERWRITE && existed) {
                binlog.append(now, Binlog.DELETE, metaName);
                Files.delete(meta);
            }
            return;
        }
        Metadata result = flag == SetMetadataRequest.MERGE && existed
                ? Metadata.parse(Files.readAllBytes(meta)).merge(metadata)
                : Metadata.EMPTY.merge(metadata);
        Path tmp = Store.tempFile(store.pathOf(name));
        try {
            Files.write(tmp, result.toBytes());
            // recorded first, but held back from senders until the new content is in place
            Binlog.Pending recorded = binlog.appendPending(now, existed ? Binlog.UPDATE : Binlog.CREATE, metaName);
            try {
                Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                recorded.close();
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** GET_METADATA: the packed bytes as stored; ENOENT if the data or the metadata file is missing. */
    public byte[] get(RemoteFilename name) throws ProtocolException, IOException {
        requireData(name);
        Path meta = store.metadataFile(name);
        if (!Files.exists(meta)) {
            throw new ProtocolException(Status.ENOENT, "no metadata for " + name);
        }
        return Files.readAllBytes(meta);
    }

    private void requireData(RemoteFilename name) throws ProtocolException {
        if (!Files.exists(store.dataFile(name))) {
            throw new ProtocolException(Status.ENOENT, "no such file " + name);
        }
    }
}
