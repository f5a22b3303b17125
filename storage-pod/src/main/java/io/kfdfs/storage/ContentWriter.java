package io.kfdfs.storage;

import io.kfdfs.pod.BodyStream;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Copies a request's content into a file with back-pressure (a slow disk pauses the socket), computing
 * the CRC-32 on the way, so no file is ever held in memory.
 */
final class ContentWriter {

    record Result(long bytes, int crc32) {
    }

    /** Content received into a temporary file. */
    record Received(Path temp, long bytes, int crc32) {
    }

    private ContentWriter() {
    }

    /** Streams the content into a new temporary file in {@code path}; on failure the file is gone. */
    static Future<Received> toTempFile(StorageContext ctx, StorePath path, Buffer head, BodyStream rest) {
        String temp = Store.tempFile(path).toString();
        return ctx.vertx.fileSystem().open(temp, new OpenOptions().setWrite(true).setCreateNew(true))
                .compose(file -> write(file, head, rest, ctx.fsyncEvery)
                        .recover(e -> file.close().transform(x -> Future.failedFuture(e))))
                .map(r -> new Received(Path.of(temp), r.bytes(), r.crc32()))
                .recover(e -> ctx.vertx.fileSystem().delete(temp).transform(x -> Future.failedFuture(e)));
    }

    /** Streams the content into an existing file from {@code position} on. */
    static Future<Result> intoFile(StorageContext ctx, Path file, long position, Buffer head, BodyStream rest) {
        return ctx.vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreate(false))
                .compose(f -> {
                    f.setWritePos(position);
                    return write(f, head, rest, ctx.fsyncEvery)
                            .recover(e -> f.close().transform(x -> Future.failedFuture(e)));
                });
    }

    /**
     * Writes {@code head} (content bytes that arrived with the request's fixed part) and then {@code rest}
     * to {@code file} at its write position, forces it to disk every {@code fsyncEvery} bytes and at the
     * end (if {@code fsyncEvery > 0}), and closes it. Fails if the client goes away or stalls, or a write
     * fails; the caller cleans up.
     */
    static Future<Result> write(AsyncFile file, Buffer head, BodyStream rest, long fsyncEvery) {
        Promise<Result> done = Promise.promise();
        CRC32 crc = new CRC32();
        long[] counts = new long[2]; // bytes written, bytes since the last fsync
        Handler<Buffer> chunk = buf -> {
            crc.update(buf.getBytes());
            counts[0] += buf.length();
            counts[1] += buf.length();
            file.write(buf).onFailure(done::tryFail);
            if (fsyncEvery > 0 && counts[1] >= fsyncEvery) {
                counts[1] = 0;
                file.flush().onFailure(done::tryFail);
            }
            if (file.writeQueueFull()) {
                rest.pause();
                file.drainHandler(v -> rest.resume());
            }
        };
        if (head.length() > 0) {
            chunk.handle(head);
        }
        rest.exceptionHandler(done::tryFail);
        rest.handler(chunk);
        rest.endHandler(v -> {
            Future<Void> synced = fsyncEvery > 0 ? file.flush() : Future.succeededFuture();
            synced.compose(x -> file.close())
                    .onSuccess(x -> done.tryComplete(new Result(counts[0], (int) crc.getValue())))
                    .onFailure(done::tryFail);
        });
        return done.future();
    }
}
