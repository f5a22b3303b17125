package io.kfdfs.tracker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the data files under {@code <base_path>/data}. The text is taken from the cluster at once, on
 * its event loop; the writes run one after the other on a worker thread, each file replaced atomically
 * (temporary file, fsync, rename) and changelog lines appended with fsync, so the future completes only
 * when the state is durable.
 */
final class StateStore {

    private static final System.Logger LOG = System.getLogger(StateStore.class.getName());
    private static final String TMP = ".tmp";

    private final Vertx vertx;
    final Path dir;
    /** The last write queued: each one starts when the one before has finished. */
    private Future<Void> tail = Future.succeededFuture();
    private boolean closed;

    StateStore(Vertx vertx, Path dir) {
        this.vertx = vertx;
        this.dir = dir;
    }

    /** Saves what {@code changes} names; with {@code stats} the servers file too (counters, space). */
    Future<Void> save(Cluster c, Cluster.Changes changes, boolean stats) {
        List<Runnable> writes = new ArrayList<>();
        if (changes.groups()) {
            writes.add(replace(StateFiles.GROUPS, StateFiles.groups(c)));
        }
        if (changes.servers() || stats) {
            writes.add(replace(StateFiles.SERVERS, StateFiles.servers(c)));
            writes.add(replace(StateFiles.SYNC_TIMESTAMPS, StateFiles.syncTimestamps(c)));
        } else if (changes.syncTimestamps()) {
            writes.add(replace(StateFiles.SYNC_TIMESTAMPS, StateFiles.syncTimestamps(c)));
        }
        for (String line : changes.changelogLines()) {
            writes.add(() -> append(StateFiles.CHANGELOG, line));
        }
        return writes.isEmpty() ? Future.succeededFuture() : queue(writes);
    }

    /** Replaces every data file, the changelog too (after a copy from a peer tracker). */
    Future<Void> saveAll(Cluster c) {
        return queue(List.of(replace(StateFiles.GROUPS, StateFiles.groups(c)),
                replace(StateFiles.SERVERS, StateFiles.servers(c)),
                replace(StateFiles.SYNC_TIMESTAMPS, StateFiles.syncTimestamps(c)),
                replace(StateFiles.CHANGELOG, c.changelog.toString())));
    }

    Future<Void> saveStatus(long upTime, long now) {
        return queue(List.of(replace(StateFiles.STATUS, StateFiles.trackerStatus(upTime, now))));
    }

    /** Writes nothing more (a stopped tracker's late events); completes when everything queued is written. */
    Future<Void> close() {
        closed = true;
        return tail;
    }

    private Future<Void> queue(List<Runnable> writes) {
        if (closed) {
            return Future.succeededFuture();
        }
        Future<Void> next = tail.transform(ignored -> vertx.executeBlocking(() -> {
            writes.forEach(Runnable::run);
            return null;
        }));
        tail = next;
        return next;
    }

    /** The text of a data file, or null when it does not exist (blocking: for start-up). */
    String read(String name) throws IOException {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Runnable replace(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return () -> {
            Path target = dir.resolve(name);
            // unique, so a stopping tracker's last write cannot collide with its successor's first
            Path tmp = dir.resolve(name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP);
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    writeAll(ch, bytes);
                    ch.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory();
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new java.io.UncheckedIOException("cannot write " + target, e);
            }
        };
    }

    /** Temporary files of writes a crash interrupted (blocking: for start-up). */
    void removeStaleTemporaryFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(TMP)).forEach(StateStore::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + p + ": " + e.getMessage());
        }
    }

    private void append(String name, String line) {
        Path target = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                writeAll(ch, line.getBytes(StandardCharsets.ISO_8859_1));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + target, e);
        }
    }

    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Makes the rename itself durable; not every file system lets a directory be opened, which is fine. */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot fsync directory " + dir + ": " + e.getMessage());
        }
    }
}
