package io.kfdfs.storage.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads binlog records from a position on, across {@code binlog.NNN} files (blocking). Only whole lines
 * are returned: a line the writer has not finished is read next time. A file is left for the next one
 * only once the next one exists, so a reader never skips records still being written.
 */
public final class BinlogReader {

    private static final System.Logger LOG = System.getLogger(BinlogReader.class.getName());
    private static final int CHUNK = 64 * 1024;

    /**
     * A record and the position right after it; {@code record} is null for a line that is not a valid
     * record (it is skipped).
     */
    public record Entry(BinlogRecord record, BinlogPosition after) {
    }

    private final Path dir;

    public BinlogReader(Path dir) {
        this.dir = dir;
    }

    /** The records after {@code from}, at most about {@code CHUNK} bytes of them; empty at the end. */
    public List<Entry> read(BinlogPosition from) throws IOException {
        return read(from, new BinlogPosition(Integer.MAX_VALUE, Long.MAX_VALUE));
    }

    /** The records after {@code from} that end at {@code limit} or before it (see {@link Binlog#settled}). */
    public List<Entry> read(BinlogPosition from, BinlogPosition limit) throws IOException {
        BinlogPosition pos = from;
        while (pos.before(limit)) {
            Path file = dir.resolve(Binlog.fileName(pos.index()));
            List<Entry> entries = readFile(file, pos, limit);
            if (!entries.isEmpty()) {
                return entries;
            }
            Path next = dir.resolve(Binlog.fileName(pos.index() + 1));
            if (!Files.exists(next) || (Files.exists(file) && Files.size(file) > pos.offset())) {
                return entries;
            }
            pos = new BinlogPosition(pos.index() + 1, 0);
        }
        return List.of();
    }

    private static List<Entry> readFile(Path file, BinlogPosition from, BinlogPosition limit) throws IOException {
        List<Entry> entries = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, from.offset() + buf.position()) > 0) {
                // fill the chunk
            }
        } catch (NoSuchFileException e) {
            return entries;
        }
        byte[] bytes = buf.array();
        int start = 0;
        for (int i = 0; i < buf.position(); i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            BinlogPosition after = new BinlogPosition(from.index(), from.offset() + i + 1);
            if (limit.before(after)) {
                return entries;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
            BinlogRecord r = BinlogRecord.parse(line);
            if (r == null) {
                LOG.log(System.Logger.Level.WARNING, file + " at offset " + (from.offset() + start)
                        + ": not a binlog record, skipped: " + line);
            }
            entries.add(new Entry(r, after));
            start = i + 1;
        }
        if (start == 0 && buf.position() == CHUNK) {
            throw new IOException(file + " at offset " + from.offset() + ": no line end in " + CHUNK + " bytes");
        }
        return entries;
    }
}
