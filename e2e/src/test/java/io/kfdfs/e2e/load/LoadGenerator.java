package io.kfdfs.e2e.load;

import io.kfdfs.client.ConnectionException;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.client.MetadataMode;
import io.kfdfs.client.NoSuchFileException;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The verifying load: {@code threads} workers, each with its own files, doing a random mix of uploads
 * (some with metadata), appender uploads, downloads, deletes, appends, modifies, truncates and metadata
 * sets and gets through one {@link FdfsClient}, and writing every acknowledged result into a
 * {@link Ledger}. A file belongs to the worker that made it, so the order of the changes to a file is the
 * order of their acknowledgements. Reads are checked as they come: bytes that were never the file's are
 * counted as corrupt.
 */
public final class LoadGenerator implements AutoCloseable {

    /**
     * How big files get and how often, whether deletes and metadata changes are part of the mix (they are
     * the changes a tracker sends to another member while a file's source is down), and whether files are
     * changed at all (appender files, appends, modifies, truncates) or only uploaded and read.
     */
    public record Mix(int maxSmall, int maxLarge, int largePercent, boolean deletesAndMetadata, boolean changes) {
        public static final Mix SMALL = new Mix(4096, 256 * 1024, 3, true, true);
        public static final Mix DEFAULT = new Mix(16 * 1024, 1024 * 1024, 3, true, true);

        public Mix withoutDeletesAndMetadata() {
            return new Mix(maxSmall, maxLarge, largePercent, false, changes);
        }

        /** No appender files, appends, modifies or truncates. */
        public Mix withoutChanges() {
            return new Mix(maxSmall, maxLarge, largePercent, deletesAndMetadata, false);
        }

        /** Uploads of plain files and downloads, nothing else. */
        public Mix uploadsAndDownloads() {
            return new Mix(maxSmall, maxLarge, largePercent, false, false);
        }
    }

    private final FdfsClient client;
    private final Ledger ledger;
    private final int threads;
    private final Mix mix;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long pauseMillis;
    /** A pause after every operation of each worker: an offered load, not the most the cluster takes. */
    private volatile long paceMillis;
    private final List<Thread> workers = new ArrayList<>();

    public LoadGenerator(FdfsClient client, Ledger ledger, int threads, Mix mix, long seed) {
        this.client = client;
        this.ledger = ledger;
        this.threads = threads;
        this.mix = mix;
        this.seed = seed;
    }

    /**
     * Each worker waits {@code millis} after every operation. On 2 cores replicas copy small files slower
     * than 8 unpaced workers upload them, so a group under unpaced load never catches up (docs/performance.md).
     */
    public LoadGenerator paced(long millis) {
        paceMillis = millis;
        return this;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** A pause after every operation of every worker: a steady load instead of as much as the cluster takes. */
    public LoadGenerator pacedBy(long millis) {
        pauseMillis = millis;
        return this;
    }

    public void start() {
        running.set(true);
        for (int t = 0; t < threads; t++) {
            Worker w = new Worker(new SplittableRandom(seed * 1_000 + t));
            Thread th = new Thread(w, "load-" + t);
            workers.add(th);
            th.start();
        }
    }

    /** Stops the workers after their current operation and waits for them. */
    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread th : workers) {
            th.join(TimeUnit.MINUTES.toMillis(2));
            if (th.isAlive()) {
                throw new IllegalStateException(th.getName() + " did not stop within 2 minutes");
            }
        }
        workers.clear();
    }

    /** Runs the load for {@code d}, then stops it. */
    public void runFor(Duration d) throws InterruptedException {
        start();
        Thread.sleep(d.toMillis());
        stop();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private final class Worker implements Runnable {
        private final SplittableRandom random;
        private final List<FileRecord> normals = new ArrayList<>();
        private final List<FileRecord> appenders = new ArrayList<>();
        private boolean failed;

        Worker(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public void run() {
            while (running.get()) {
                if (paceMillis > 0) {
                    pause(paceMillis);
                }
                if (failed) {
                    failed = false;
                    // as a client would: a moment before the next try, not a spin while a server is down
                    pause(50);
                } else if (pauseMillis > 0) {
                    pause(pauseMillis);
                }
                ledger.operations.increment();
                int dice = random.nextInt(100);
                if (!mix.changes()) {
                    if (dice < 30 || normals.isEmpty()) {
                        upload(false);
                    } else {
                        download(pick());
                    }
                } else if (dice < 28 || normals.isEmpty()) {
                    upload(false);
                } else if (dice < 36 || appenders.isEmpty()) {
                    upload(true);
                } else if (dice < 54 || !mix.deletesAndMetadata() && (dice < 64 || dice >= 81 && dice < 92)) {
                    download(pick());
                } else if (dice < 64) {
                    delete(pick());
                } else if (dice < 72) {
                    append(pickFrom(appenders));
                } else if (dice < 77) {
                    modify(pickFrom(appenders));
                } else if (dice < 81) {
                    truncate(pickFrom(appenders));
                } else if (dice < 92) {
                    setMetadata(pick());
                } else {
                    getMetadata(pick());
                }
            }
        }

        private void fail(String op, Throwable e, boolean mayHaveHappened) {
            failed = true;
            ledger.failure(op, e, mayHaveHappened);
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        private FileRecord pick() {
            return random.nextInt(4) == 0 && !appenders.isEmpty() ? pickFrom(appenders) : pickFrom(normals);
        }

        private FileRecord pickFrom(List<FileRecord> from) {
            return from.get(random.nextInt(from.size()));
        }

        private byte[] content() {
            int size = random.nextInt(100) < mix.largePercent() ? mix.maxSmall() + random.nextInt(mix.maxLarge() - mix.maxSmall())
                    : random.nextInt(mix.maxSmall() + 1);
            byte[] b = new byte[size];
            random.nextBytes(b);
            return b;
        }

        private Map<String, String> metadata() {
            Map<String, String> m = new HashMap<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                m.put("k" + random.nextInt(4), "v" + random.nextInt(100_000));
            }
            return m;
        }

        private void upload(boolean appender) {
            byte[] data = content();
            Map<String, String> md = random.nextInt(3) == 0 ? metadata() : Map.of();
            String hash = Ledger.sha256(data);
            String ext = random.nextBoolean() ? "bin" : "";
            try {
                String id = appender ? client.uploadAppender(null, Content.of(data), ext, md)
                        : client.upload(null, Content.of(data), ext, md);
                FileRecord r = new FileRecord(id, appender, new FileRecord.State(true, hash, data.length, md),
                        appender ? data : null);
                ledger.files.put(id, r);
                ledger.acknowledgedUploads.add(hash);
                (appender ? appenders : normals).add(r);
            } catch (Exception e) {
                boolean maybe = mayHaveHappened(e) || !md.isEmpty();
                fail(appender ? "upload appender" : "upload", e, maybe);
                if (maybe) {
                    ledger.unknownUploads.add(hash);
                }
            }
        }

        private void download(FileRecord r) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                client.download(r.fileId, out);
                byte[] got = out.toByteArray();
                String hash = Ledger.sha256(got);
                if (r.acceptable().stream().anyMatch(s -> s.exists() && s.sha256().equals(hash))) {
                    return;
                }
                if (r.contentHistory.contains(hash)) {
                    ledger.staleReads.increment();
                } else {
                    ledger.corrupt("download of " + r.fileId + " (" + (r.appender ? "appender" : "normal") + ") gave "
                            + got.length + " bytes that the file never held; it holds " + r.acceptable());
                }
            } catch (NoSuchFileException e) {
                if (r.acceptable().stream().anyMatch(s -> !s.exists())) {
                    return;
                }
                fail("download", e, false);
            } catch (Exception e) {
                fail("download", e, false);
            }
        }

        private void getMetadata(FileRecord r) {
            try {
                Map<String, String> got = client.getMetadata(r.fileId);
                check(r, got);
            } catch (NoSuchFileException e) {
                // no metadata file: the file has none, or none yet on a replica behind
                check(r, Map.of());
            } catch (Exception e) {
                fail("get metadata", e, false);
            }
        }

        private void check(FileRecord r, Map<String, String> got) {
            if (r.acceptable().stream().anyMatch(s -> s.metadata().equals(got))) {
                return;
            }
            if (r.metadataHistory.contains(got) || got.isEmpty()) {
                ledger.staleReads.increment();
            } else {
                ledger.corrupt("metadata of " + r.fileId + " read as " + got + ", never set; it has " + r.acceptable());
            }
        }

        private void delete(FileRecord r) {
            try {
                client.delete(r.fileId);
                r.acknowledged(FileRecord.State.absent());
            } catch (Exception e) {
                if (!failed(r, "delete", e, FileRecord.State.absent())) {
                    return;
                }
            }
            forget(r);
        }

        private void append(FileRecord r) {
            byte[] more = content();
            byte[] next = Arrays.copyOf(r.content, r.content.length + more.length);
            System.arraycopy(more, 0, next, r.content.length, more.length);
            change(r, "append", next, () -> client.append(r.fileId, Content.of(more)));
        }

        private void modify(FileRecord r) {
            byte[] patch = content();
            int offset = r.content.length == 0 ? 0 : random.nextInt(r.content.length + 1);
            byte[] next = Arrays.copyOf(r.content, Math.max(r.content.length, offset + patch.length));
            System.arraycopy(patch, 0, next, offset, patch.length);
            change(r, "modify", next, () -> client.modify(r.fileId, offset, Content.of(patch)));
        }

        private void truncate(FileRecord r) {
            int size = random.nextInt(r.content.length + 1);
            change(r, "truncate", Arrays.copyOf(r.content, size), () -> client.truncate(r.fileId, size));
        }

        private void setMetadata(FileRecord r) {
            Map<String, String> update = random.nextInt(8) == 0 ? Map.of() : metadata();
            boolean merge = random.nextBoolean();
            Map<String, String> next = new HashMap<>(merge ? r.current.metadata() : Map.of());
            next.putAll(update);
            FileRecord.State s = new FileRecord.State(true, r.current.sha256(), r.current.size(), next);
            try {
                client.setMetadata(r.fileId, update, merge ? MetadataMode.MERGE : MetadataMode.OVERWRITE);
                r.acknowledged(s);
            } catch (Exception e) {
                if (failed(r, "set metadata", e, s)) {
                    forget(r);
                }
            }
        }

        private interface Change {
            void run() throws Exception;
        }

        private void change(FileRecord r, String op, byte[] next, Change change) {
            FileRecord.State s = new FileRecord.State(true, Ledger.sha256(next), next.length, r.current.metadata());
            try {
                change.run();
                r.content = next;
                r.acknowledged(s);
            } catch (Exception e) {
                if (failed(r, op, e, s)) {
                    forget(r);
                }
            }
        }

        /** Records a failed change; true when its outcome is unknown (the file then takes no more changes). */
        private boolean failed(FileRecord r, String op, Exception e, FileRecord.State maybe) {
            boolean unknown = mayHaveHappened(e);
            fail(op, e, unknown);
            if (unknown) {
                r.unknown(maybe);
            }
            return unknown;
        }

        private void forget(FileRecord r) {
            normals.remove(r);
            appenders.remove(r);
        }
    }

    /**
     * Whether a failed operation may still have happened: the server refused it with a status (ENOENT,
     * ENOSPC, EINVAL, ...) or nothing was sent (no), or the connection failed after the request went out (maybe).
     */
    static boolean mayHaveHappened(Exception e) {
        if (e instanceof ConnectionException c) {
            return c.requestSent();
        }
        return !(e instanceof FdfsException f) || f.status() == 0;
    }
}
