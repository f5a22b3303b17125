package io.kfdfs.storage.store;

import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The storage's binlog (docs/protocol.md §9.1–9.2): {@code <base_path>/data/sync/binlog.NNN} plus
 * {@code binlog_index.dat}. Every change this storage makes is one line {@code <ts> <op> <name>[ <extra>]}.
 *
 * <p>There is one writer: {@link #append} is synchronized and writes each record to the OS before it
 * returns, so a record is never lost to a process crash once the change it describes is acknowledged
 * (C buffers records for up to {@code sync_binlog_buff_interval}). {@code binlog_fsync} additionally
 * forces each record to the disk, for machine crashes.
 *
 * <p>Listeners hear of every local record as soon as it is written, so the sync tasks push it to the peers
 * at once instead of polling. While local changes are refused (a storage being retired) an uppercase record
 * cannot be written, so the change it would describe fails instead of happening unreplicated.
 */
public final class Binlog implements Closeable {

    /** Rotation size of C ({@code SYNC_BINLOG_FILE_MAX_SIZE}). */
    public static final long MAX_FILE_SIZE = 1L << 30;
    /** C's maximum line length ({@code STORAGE_BINLOG_LINE_SIZE}). */
    public static final int MAX_LINE = 256;

    public static final char CREATE = 'C';
    public static final char DELETE = 'D';
    public static final char UPDATE = 'U';
    public static final char APPEND = 'A';
    public static final char MODIFY = 'M';
    public static final char TRUNCATE = 'T';
    public static final char LINK = 'L';
    public static final char RENAME = 'R';

    static final String INDEX_FILE = "binlog_index.dat";
    private static final String LEGACY_INDEX_FILE = "binlog.index";

    private final Path dir;
    private final boolean fsync;
    private final long maxFileSize;
    private int index;
    private int compressIndex;
    private FileChannel channel;
    /**
     * Lines go out through this direct buffer: a heap buffer written to a FileChannel costs a temporary
     * direct one, allocated and freed on every write since the pods keep no JDK buffer cache.
     */
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_LINE);
    private long size;
    private BinlogPosition localEnd;
    private boolean localRefused;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final TreeSet<BinlogPosition> pending = new TreeSet<>();

    private Binlog(Path dir, boolean fsync, long maxFileSize) {
        this.dir = dir;
        this.fsync = fsync;
        this.maxFileSize = maxFileSize;
    }

    /** Opens (creating if needed) the binlog under {@code <base_path>/data/sync}. */
    public static Binlog open(Path syncDir, boolean fsync) throws IOException {
        return open(syncDir, fsync, MAX_FILE_SIZE);
    }

    static Binlog open(Path syncDir, boolean fsync, long maxFileSize) throws IOException {
        Files.createDirectories(syncDir);
        Binlog b = new Binlog(syncDir, fsync, maxFileSize);
        b.readIndex();
        b.openCurrent(false);
        // a record of the last run may be local: count everything written so far as such
        b.localEnd = new BinlogPosition(b.index, b.size);
        return b;
    }

    public static String fileName(int index) {
        String n = Integer.toString(index);
        // String.format costs a sender more than reading its records (profiled)
        return n.length() >= 3 ? "binlog." + n : "binlog." + "00".substring(n.length() - 1) + n;
    }

    public synchronized int currentIndex() {
        return index;
    }

    /** Bytes in the current binlog file. */
    public synchronized long currentSize() {
        return size;
    }

    public Path dir() {
        return dir;
    }

    /** Where the next record will be written. */
    public synchronized BinlogPosition end() {
        return new BinlogPosition(index, size);
    }

    /** The end of the last uppercase (local) record: a peer that has read this far has every local change. */
    public synchronized BinlogPosition localEnd() {
        return localEnd;
    }

    /** While refused, writing an uppercase record fails with EACCES. */
    public synchronized void refuseLocalChanges(boolean refuse) {
        localRefused = refuse;
    }

    public synchronized boolean localChangesRefused() {
        return localRefused;
    }

    /**
     * {@code listener} runs on the writing thread after every local (uppercase) record; it must only hand
     * work off. Replicated records need no one woken: only a full sync sends them, and it reads on anyway.
     */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * A record written before the change it describes is complete (a file's new content renamed into
     * place): until it is closed, readers of the binlog stop short of it ({@link #settled}), so no sender
     * reads the old content for it.
     */
    public final class Pending implements AutoCloseable {
        private final BinlogPosition at;
        private final boolean local;

        private Pending(BinlogPosition at, boolean local) {
            this.at = at;
            this.local = local;
        }

        @Override
        public void close() {
            synchronized (Binlog.this) {
                pending.remove(at);
            }
            if (local) {
                listeners.forEach(Runnable::run);
            }
        }
    }

    /** Appends a record whose change is made next, inside the returned {@link Pending}'s scope. */
    public Pending appendPending(long timestamp, char op, String filename) throws IOException, ProtocolException {
        return appendPending(timestamp, op, filename, null);
    }

    /** As {@link #appendPending(long, char, String)}, with the record's extra fields. */
    public Pending appendPending(long timestamp, char op, String filename, String extra) throws IOException,
            ProtocolException {
        BinlogPosition at = write(line(timestamp, op, filename, extra), Character.isUpperCase(op), true);
        return new Pending(at, Character.isUpperCase(op));
    }

    /** Where readers stop: the first record whose change is still being made, else the end. */
    public synchronized BinlogPosition settled() {
        return pending.isEmpty() ? end() : pending.first();
    }

    /** Appends {@code <timestamp> <op> <filename>[ <extra>]}. */
    public void append(long timestamp, char op, String filename, String extra) throws IOException, ProtocolException {
        boolean local = Character.isUpperCase(op);
        write(line(timestamp, op, filename, extra), local, false);
        if (local) {
            listeners.forEach(Runnable::run);
        }
    }

    private static byte[] line(long timestamp, char op, String filename, String extra) throws IOException {
        StringBuilder sb = new StringBuilder(64).append(timestamp).append(' ').append(op).append(' ').append(filename);
        if (extra != null) {
            sb.append(' ').append(extra);
        }
        String line = sb.append('\n').toString();
        if (line.length() > MAX_LINE) {
            throw new IOException("binlog line longer than " + MAX_LINE + " bytes: " + line.strip());
        }
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }

    public void append(long timestamp, char op, String filename) throws IOException, ProtocolException {
        append(timestamp, op, filename, null);
    }

    /** Writes a line; returns where it starts (held back from readers while {@code pending}). */
    private synchronized BinlogPosition write(byte[] line, boolean local, boolean pending) throws IOException,
            ProtocolException {
        if (local && localRefused) {
            throw new ProtocolException(Status.EACCES, "this storage is read-only: it takes no new changes");
        }
        BinlogPosition at = new BinlogPosition(index, size);
        ByteBuffer buf = out.clear().put(line).flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        if (pending) {
            this.pending.add(at);
        }
        if (fsync) {
            channel.force(false);
        }
        size += line.length;
        if (local) {
            localEnd = new BinlogPosition(index, size);
        }
        if (size >= maxFileSize) {
            rotate();
        }
        return at;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private void rotate() throws IOException {
        channel.close();
        index++;
        writeIndex();
        openCurrent(true);
    }

    private void openCurrent(boolean truncate) throws IOException {
        Path file = dir.resolve(fileName(index));
        channel = truncate
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = dropPartialLastLine(channel);
        channel.position(size);
    }

    /** A crash in the middle of a write can leave half a line: cut it so readers see whole records. */
    private static long dropPartialLastLine(FileChannel ch) throws IOException {
        long end = ch.size();
        int tail = (int) Math.min(end, MAX_LINE);
        ByteBuffer buf = ByteBuffer.allocate(tail);
        while (buf.hasRemaining() && ch.read(buf, end - tail + buf.position()) > 0) {
            // read the last line's worth of bytes
        }
        int i = tail;
        while (i > 0 && buf.get(i - 1) != '\n') {
            i--;
        }
        long cut = end - tail + i;
        if (cut < end && (i > 0 || end <= MAX_LINE)) {
            ch.truncate(cut);
            return cut;
        }
        return end;
    }

    private void readIndex() throws IOException {
        Path ini = dir.resolve(INDEX_FILE);
        Path legacy = dir.resolve(LEGACY_INDEX_FILE);
        if (Files.exists(ini)) {
            Map<String, String> kv = IniFile.read(ini);
            if (!kv.containsKey("current_write")) {
                throw new IOException(ini + ": current_write is missing");
            }
            index = (int) IniFile.getLong(kv, "current_write", 0, ini);
            compressIndex = (int) IniFile.getLong(kv, "current_compress", index, ini);
        } else if (Files.exists(legacy)) {
            // versions before binlog_index.dat kept just the number
            index = (int) IniFile.getLong(Map.of("i", Files.readString(legacy).strip()), "i", 0, legacy);
            compressIndex = index;
            writeIndex();
            Files.delete(legacy);
        } else {
            writeIndex();
        }
    }

    private void writeIndex() throws IOException {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("current_write", index);
        kv.put("current_compress", compressIndex);
        IniFile.write(dir.resolve(INDEX_FILE), kv);
    }
}
