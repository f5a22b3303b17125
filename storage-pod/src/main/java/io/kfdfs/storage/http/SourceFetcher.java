package io.kfdfs.storage.http;

import io.kfdfs.protocol.FileId;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Opens a file this storage does not hold on the storage it came from, so that a download right after an
 * upload does not fail while the replica is still syncing (fastdfs-nginx-module's proxy mode).
 */
@FunctionalInterface
public interface SourceFetcher {

    /**
     * Empty when there is no one to ask or the source has no such file (the gateway answers 404); a failed
     * future when the source could not be asked (502).
     */
    Future<Optional<SourceFile>> open(FileId id);

    /** For a storage without peers: every missing file is a 404. */
    SourceFetcher NONE = id -> Future.succeededFuture(Optional.empty());
}
