package io.kfdfs.storage.commands;

import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.VertxInternals;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;

/**
 * Copies a request's content into a file with back-pressure (a slow disk pauses the socket), computing
 * the CRC-32 on the way, so no file is ever held in memory.
 *
 * <p>Content is gathered on the event loop into batches of up to {@link #BATCH} bytes, and a worker
 * writes each batch in one trip: the first trip also opens the file, the last one also closes it. A
 * small upload so costs one trip to a worker (not one per open, write and close); while a batch is
 * written the next one gathers, and the socket pauses when that one is full too. The chunks are the
 * connection's pooled read buffers, written as they are and released once written or given up.
 */
public final class ContentWriter<T> {

    /** Bytes per worker trip: large enough to keep trips rare, small enough for many concurrent uploads. */
    public static final int BATCH = 128 * 1024;

    public record Result(long bytes, int crc32) {
    }

    /** Content received into a temporary file. */
    public record Received(Path temp, long bytes, int crc32) {
    }

    private interface Opener {
        FileChannel open() throws Exception;
    }

    /** Room and a temporary file for new content, claimed in the first worker trip. */
    interface Claim {
        Path temp();

        void release();
    }

    /** Blocking work on a claim's written file, done in the worker trip that closed it. */
    interface ClaimFinisher<C extends Claim, T> {
        T finish(C claim, Received written) throws Exception;
    }

    /** Blocking work on the written file, done in the worker trip that closed it (saves a trip). */
    interface Finisher<T, R> {
        T finish(R written) throws Exception;
    }

    private final StorageContext ctx;
    private final Opener opener;
    private final long position;
    private final BodyStream rest;
    private final Finisher<T, Result> finisher;
    private final Promise<T> done = Promise.promise();
    private final CRC32 crc = new CRC32();
    // event loop state: the chunks of the next batch, kept as they came (no copy)
    private List<ByteBuf> gathering = new ArrayList<>();
    private long gathered;
    private boolean writing;
    private boolean ended;
    private Throwable failure;
    // worker state: one trip at a time, each started after the previous one completed
    private FileChannel channel;
    private long written;
    private long sinceSync;

    private ContentWriter(StorageContext ctx, Opener opener, long position, BodyStream rest,
                          Finisher<T, Result> finisher) {
        this.ctx = ctx;
        this.opener = opener;
        this.position = position;
        this.rest = rest;
        this.finisher = finisher;
    }

    /** Streams the content into a new temporary file in {@code path}; on failure the file is gone. */
    public static Future<Received> toTempFile(StorageContext ctx, StorePath path, Buffer head, BodyStream rest) {
        return toTempFile(ctx, path, head, rest, rcv -> rcv);
    }

    /**
     * Streams the content into a new temporary file in {@code path} and hands it to {@code then} in the
     * trip that closed it; if anything fails, the temporary file is gone.
     */
    public static <T> Future<T> toTempFile(StorageContext ctx, StorePath path, Buffer head, BodyStream rest,
                                    Finisher<T, Received> then) {
        return toTempFile(ctx, Store.tempFile(path), head, rest, then);
    }

    /** As above, into the temporary file {@code temp} (see {@link Store#tempFile(StorePath, Naming.Dir)}). */
    public static <T> Future<T> toTempFile(StorageContext ctx, Path temp, Buffer head, BodyStream rest,
                                    Finisher<T, Received> then) {
        return new ContentWriter<T>(ctx, () -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 0, rest, r -> then.finish(new Received(temp, r.bytes(), r.crc32())))
                .start(head)
                .recover(e -> ctx.blocking(() -> Files.deleteIfExists(temp)).transform(x -> Future.failedFuture(e)));
    }

    /**
     * Streams the content into the temporary file of a claim that the first worker trip makes (room
     * reserved, directory chosen: ENOSPC still comes before a byte is written, without a trip of its
     * own) and hands claim and file to {@code then} in the trip that closed it. Before the future
     * completes, the claim is released and, on failure, its file is gone.
     */
    public static <C extends Claim, T> Future<T> toClaimedTempFile(StorageContext ctx, Callable<C> claimer, BodyStream rest,
                                                           ClaimFinisher<C, T> then) {
        final class Claiming implements Opener {
            private C claim;

            @Override
            public FileChannel open() throws Exception {
                claim = claimer.call();
                return FileChannel.open(claim.temp(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        }
        Claiming claiming = new Claiming();
        return new ContentWriter<T>(ctx, claiming, 0, rest,
                r -> then.finish(claiming.claim, new Received(claiming.claim.temp(), r.bytes(), r.crc32())))
                .start(Buffer.buffer())
                .recover(e -> claiming.claim == null ? Future.failedFuture(e)
                        : ctx.blocking(() -> Files.deleteIfExists(claiming.claim.temp()))
                        .transform(x -> Future.failedFuture(e)))
                .andThen(x -> {
                    if (claiming.claim != null) {
                        claiming.claim.release();
                    }
                });
    }

    /** Streams the content into an existing file from {@code position} on. */
    public static Future<Result> intoFile(StorageContext ctx, Path file, long position, Buffer head, BodyStream rest) {
        return new ContentWriter<Result>(ctx, () -> FileChannel.open(file, StandardOpenOption.WRITE), position,
                rest, r -> r).start(head);
    }

    /**
     * Writes {@code head} (content bytes that arrived with the request's fixed part) and then the rest,
     * forces the file to disk every {@code fsync_after_written_bytes} and at the end (if that is not 0),
     * and closes it. Fails, once the file is closed, if the client goes away or stalls, or a write fails;
     * the caller cleans up.
     */
    private Future<T> start(Buffer head) {
        if (head.length() > 0) {
            gathering.add(VertxInternals.byteBuf(head));
            gathered = head.length();
        }
        rest.exceptionHandler(this::fail);
        rest.chunkHandler(this::gather);
        rest.endHandler(v -> {
            ended = true;
            if (!writing) {
                flush();
            }
        });
        return done.future();
    }

    private void gather(ByteBuf chunk) {
        if (failure != null) {
            chunk.release();
            return;
        }
        gathering.add(chunk);
        gathered += chunk.readableBytes();
        // with the last bytes in, the end handler writes the final batch
        if (gathered >= BATCH && rest.remaining() > 0) {
            if (writing) {
                rest.pause();
            } else {
                flush();
            }
        }
    }

    /** Sends the gathered batch (the last one once the content has ended) to a worker. */
    private void flush() {
        List<ByteBuf> batch = gathering;
        gathering = new ArrayList<>();
        gathered = 0;
        boolean last = ended;
        writing = true;
        ctx.blocking(() -> write(batch, last)).onComplete(ar -> {
            writing = false;
            if (ar.failed()) {
                fail(ar.cause());
            } else if (failure != null) {
                closeAndFail();
            } else if (last) {
                done.tryComplete(ar.result());
            } else if (ended || gathered >= BATCH) {
                flush();
                rest.resume();
            } else {
                rest.resume();
            }
        });
    }

    /**
     * One worker trip: open if needed, write the batch, fsync by policy, and after the last batch close
     * the file and finish. Returns null but for the last batch.
     */
    private T write(List<ByteBuf> batch, boolean last) throws Exception {
        try {
            if (channel == null) {
                channel = opener.open();
                if (position != 0) {
                    channel.position(position);
                }
            }
            ByteBuffer[] bytes = new ByteBuffer[batch.size()];
            long length = 0;
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = batch.get(i).nioBuffer();
                crc.update(bytes[i].duplicate());
                length += bytes[i].remaining();
            }
            for (long left = length; left > 0; ) {
                left -= channel.write(bytes);
            }
            written += length;
            sinceSync += length;
            if (ctx.fsyncEvery > 0 && (sinceSync >= ctx.fsyncEvery || last)) {
                sinceSync = 0;
                channel.force(false);
            }
            if (!last) {
                return null;
            }
            channel.close();
        } catch (Exception e) {
            closeQuietly();
            throw e;
        } finally {
            release(batch);
        }
        return finisher.finish(new Result(written, (int) crc.getValue()));
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
            if (!writing) {
                closeAndFail();
            }
        }
    }

    /** Fails only once no write is in flight and the file is closed, so the caller's clean-up comes last. */
    private void closeAndFail() {
        release(gathering);
        ctx.blocking(() -> {
            closeQuietly();
            return null;
        }).onComplete(x -> done.tryFail(failure));
    }

    private static void release(List<ByteBuf> chunks) {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the content is being given up; nothing more to save
            }
        }
    }
}
