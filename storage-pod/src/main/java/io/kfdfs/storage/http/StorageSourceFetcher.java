package io.kfdfs.storage.http;

import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.Reply;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.util.Optional;

/**
 * A {@link SourceFetcher} over the FastDFS storage protocol: QUERY_FILE_INFO (22) for the size and time,
 * then one DOWNLOAD_FILE (14) per byte range, streamed with back-pressure. One connection per opened file.
 */
public final class StorageSourceFetcher implements SourceFetcher {

    /** QUERY_FILE_INFO flags: the CRC is not needed, and a missing file is no reason for a log line on the source. */
    private static final int QUERY_FLAGS = QueryFileInfoResponse.FLAG_NOT_CALC_CRC32 | QueryFileInfoResponse.FLAG_KEEP_SILENCE;
    /** The largest QUERY_FILE_INFO reply: 24 bytes and an IPv6-sized address field. */
    private static final int MAX_INFO_REPLY = 70;

    private final Vertx vertx;
    private final SourceLocator locator;
    private final PodLimits limits;

    public StorageSourceFetcher(Vertx vertx, SourceLocator locator, PodLimits limits) {
        this.vertx = vertx;
        this.locator = locator;
        this.limits = limits;
    }

    @Override
    public Future<Optional<SourceFile>> open(FileId id) {
        FileInfo info;
        try {
            info = FileInfo.decode(id);
        } catch (ProtocolException e) {
            // a name without a decodable source (legacy or hand-made): nobody to ask
            return Future.succeededFuture(Optional.empty());
        }
        Optional<SocketAddress> source = locator.locate(id, info);
        if (source.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        SocketAddress at = source.get();
        return FrameClient.connect(vertx, at.host(), at.port(), limits).compose(client -> {
            Future<Optional<SourceFile>> opened = client.call(queryFileInfo(id), MAX_INFO_REPLY)
                    .compose(reply -> opened(client, id, reply, at));
            return opened.onComplete(ar -> {
                if (ar.failed() || ar.result().isEmpty()) {
                    client.quit();
                }
            });
        });
    }

    private static Future<Optional<SourceFile>> opened(FrameClient client, FileId id, Reply reply, SocketAddress at) {
        if (reply.status() == Status.ENOENT) {
            return Future.succeededFuture(Optional.empty());
        }
        if (!reply.ok()) {
            return Future.failedFuture(new IOException("source storage " + at + " answered " + Status.name(reply.status())
                    + " to QUERY_FILE_INFO for " + id));
        }
        try {
            QueryFileInfoResponse stat = QueryFileInfoResponse.decode(reply.bodyBuffer());
            return Future.succeededFuture(Optional.of(new Remote(client, id, stat.fileSize(), stat.createTime(), at)));
        } catch (ProtocolException e) {
            return Future.failedFuture(new IOException("bad QUERY_FILE_INFO reply from " + at + ": " + e.getMessage()));
        }
    }

    private static Buffer queryFileInfo(FileId id) {
        GroupFile body = new GroupFile(id.group(), id.remote().text());
        return Buffer.buffer(new Header(body.size(), Cmd.QUERY_FILE_INFO, QUERY_FLAGS).toBytes()).appendBytes(body.toBytes());
    }

    private record Remote(FrameClient client, FileId id, long size, long modifiedSeconds, SocketAddress at)
            implements SourceFile {

        @Override
        public Future<ReadStream<Buffer>> read(long offset, long length) {
            DownloadRequest request = new DownloadRequest(offset, length, id.group(), id.remote().text());
            return client.callStreamed(Frames.request(Cmd.DOWNLOAD_FILE, request)).compose(reply -> {
                if (!reply.ok() || reply.header().bodyLength() != length) {
                    client.close();
                    return Future.failedFuture(new IOException("source storage " + at + " answered "
                            + Status.name(reply.status()) + " with " + reply.header().bodyLength() + " bytes to DOWNLOAD_FILE "
                            + id + " [" + offset + ", +" + length + ")"));
                }
                return Future.succeededFuture(reply.body());
            });
        }

        @Override
        public void close() {
            if (!client.isClosed()) {
                client.quit();
            }
        }
    }
}
