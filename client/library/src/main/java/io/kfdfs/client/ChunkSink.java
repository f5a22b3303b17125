package io.kfdfs.client;

import java.io.IOException;

/** Receives a download chunk by chunk; {@code buffer} is reused after the call returns. */
@FunctionalInterface
public interface ChunkSink {

    void accept(byte[] buffer, int offset, int length) throws IOException;
}
