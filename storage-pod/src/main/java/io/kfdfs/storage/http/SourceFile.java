package io.kfdfs.storage.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A file that is not on this storage (yet), opened on its source storage by a {@link SourceFetcher}. */
public interface SourceFile {

    long size();

    /** Modification time on the source, unix seconds. */
    long modifiedSeconds();

    /**
     * Exactly {@code length} (&gt; 0) bytes from {@code offset}. One read at a time: the next may start only
     * after the previous stream ended.
     */
    Future<ReadStream<Buffer>> read(long offset, long length);

    /** Releases the connection to the source; a read still running fails. */
    void close();
}
