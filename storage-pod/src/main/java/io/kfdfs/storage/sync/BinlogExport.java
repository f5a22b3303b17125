package io.kfdfs.storage.sync;

import io.kfdfs.pod.FrameConnection;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.FetchOnePathBinlogRequest;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;
import io.kfdfs.storage.store.BinlogRecord;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashSet;
import java.util.Set;

/**
 * FETCH_ONE_PATH_BINLOG (26, docs/protocol.md §4.14), served to a peer recovering a lost disk: the header
 * announces an endless body, then one binlog line per file of the store path that exists now (creations
 * only; a rename as the creation of its new name; a link with its target), then an i64 trailer with the
 * number of line bytes, and the connection is closed. The binlog is read a chunk at a time, each chunk's
 * lines written before the next is read.
 */
public final class BinlogExport {

    /** C's INFINITE_FILE_SIZE: the length of a body that ends when the connection does. */
    private static final long ENDLESS = 1L << 58;

    private final StorageContext ctx;
    private final BinlogReader reader;

    public BinlogExport(StorageContext ctx) {
        this.ctx = ctx;
        this.reader = new BinlogReader(ctx.binlog.dir());
    }

    private record Chunk(String lines, BinlogPosition next) {
    }

    public void handle(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        FetchOnePathBinlogRequest req = FetchOnePathBinlogRequest.decode(in);
        if (!req.group().equals(ctx.identity.group())) {
            throw ProtocolException.invalid("group " + req.group() + " is not this storage's group "
                    + ctx.identity.group());
        }
        if (req.storePathIndex() >= ctx.store.paths().size()) {
            throw ProtocolException.invalid("store path index " + req.storePathIndex() + " >= store_path_count "
                    + ctx.store.paths().size());
        }
        conn.write(Buffer.buffer(new Header(ENDLESS, Cmd.RESP, 0).toBytes()));
        pump(conn, req.storePathIndex(), BinlogPosition.START, new HashSet<>(), 0);
    }

    private void pump(FrameConnection conn, int storePath, BinlogPosition from, Set<String> sent, long bytes) {
        ctx.blocking(() -> chunk(storePath, from, sent)).onSuccess(chunk -> {
            if (chunk == null) {
                conn.closeAfter(Buffer.buffer(ByteBuffer.allocate(8).putLong(0, bytes).array()));
                return;
            }
            byte[] lines = chunk.lines().getBytes(StandardCharsets.ISO_8859_1);
            conn.write(Buffer.buffer(lines)).onSuccess(v -> pump(conn, storePath, chunk.next(), sent,
                    bytes + lines.length)).onFailure(e -> conn.close());
        }).onFailure(e -> conn.close());
    }

    /** The lines of the next binlog chunk for files of {@code storePath} that exist; null at the end. Blocking. */
    private Chunk chunk(int storePath, BinlogPosition from, Set<String> sent) throws Exception {
        var entries = reader.read(from);
        if (entries.isEmpty()) {
            return null;
        }
        StringBuilder lines = new StringBuilder();
        for (BinlogReader.Entry e : entries) {
            BinlogRecord r = e.record();
            String line = r == null ? null : line(r, storePath);
            if (line != null && sent.add(r.name())) {
                lines.append(line).append('\n');
            }
        }
        return new Chunk(lines.toString(), entries.get(entries.size() - 1).after());
    }

    /** The creation line of a record's file if it is in the store path and there now, else null. */
    private String line(BinlogRecord r, int storePath) throws Exception {
        String op = switch (r.kind()) {
            case Binlog.CREATE, Binlog.RENAME -> r.local() ? "C" : "c";
            case Binlog.LINK -> r.name().isEmpty() ? null : r.local() ? "L" : "l";
            default -> null;
        };
        if (op == null) {
            return null;
        }
        RemoteFilename name;
        try {
            name = RemoteFilename.parse(r.name());
        } catch (ProtocolException e) {
            return null;
        }
        if (name.storePathIndex() != storePath || !Files.exists(ctx.store.dataFile(name), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return r.timestamp() + " " + op + " " + r.name() + (r.kind() == Binlog.LINK ? " " + r.other() : "");
    }
}
