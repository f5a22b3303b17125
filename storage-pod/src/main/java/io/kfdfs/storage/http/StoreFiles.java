package io.kfdfs.storage.http;

import io.kfdfs.protocol.RemoteFilename;

import java.nio.file.Path;
import java.util.Optional;

/** What the file gateway needs to know about this storage's store paths. */
public interface StoreFiles {

    /** This storage's group; the gateway serves its files from disk and asks the source for any other. */
    String groupName();

    /**
     * Where {@code remote} lives on this storage if it is here: {@code <store_path Mxx>/data/HH/HH/name}.
     * Pure path arithmetic, no I/O. Empty when this storage has no store path {@code Mxx} (answered 400,
     * as the C module does).
     */
    Optional<Path> resolve(RemoteFilename remote);
}
