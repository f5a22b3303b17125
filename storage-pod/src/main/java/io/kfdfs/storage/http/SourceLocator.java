package io.kfdfs.storage.http;

import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileInfo;
import io.vertx.core.net.SocketAddress;

import java.util.Optional;

/**
 * Where a file's source storage listens for the binary protocol, from the source server ID or IPv4
 * address its name carries ({@code info}, docs/protocol.md §7.2). The storage answers it from the peer list
 * the trackers report.
 */
@FunctionalInterface
public interface SourceLocator {

    /**
     * Empty when there is no one to ask: the source is this storage, it is unknown, or (as the C module
     * decides) the file is older than {@code storage_sync_file_max_delay}, so a replica would have it by now.
     */
    Optional<SocketAddress> locate(FileId id, FileInfo info);
}
