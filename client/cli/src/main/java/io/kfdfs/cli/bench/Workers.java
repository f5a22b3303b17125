package io.kfdfs.cli.bench;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StoreReply;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The benchmark's workers: each keeps a connection to a tracker and one per storage it was sent to, and
 * for every file asks the tracker (101/104 before an upload, 102 before a download, 103 before a delete)
 * and then the storage, as a real client does. All of them run as state machines on the thread that
 * calls {@link #run} over non-blocking sockets: a thread per worker blocked in read() cost a wake-up and
 * two context switches per reply, and on a machine whose cores the servers share the client's CPU time is
 * theirs to lose (4 KiB x 8 on two cores: the client's CPU per operation halved, the operations per
 * second rose by a third to a half).
 */
final class Workers implements AutoCloseable {

    /** What the benchmark records of each file's operation. */
    interface Tally {
        void succeeded(int file, long nanos);

        void mismatched(int file);

        void failed(int file, String error);
    }

    enum Phase {
        UPLOAD, DOWNLOAD, DELETE;

        /** The phase's name on the command line and in reports. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Phase of(String label) {
            for (Phase p : values()) {
                if (p.label().equals(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown phase '" + label + "': upload, download or delete");
        }
    }

    /** Tracker answers and the storage's upload reply are a few dozen bytes; refuse what cannot be one. */
    private static final int MAX_SMALL_REPLY = 16 * 1024;
    /** Tracker answers are short; downloads stream through a storage link's buffer, a read at a time. */
    private static final int TRACKER_READ_BUFFER = 4 * 1024;
    private static final int STORAGE_READ_BUFFER = 128 * 1024;
    private static final long CHECK_EVERY_MILLIS = 100;

    private final Selector selector;
    private final List<HostPort> trackers;
    private final int connectTimeoutMillis;
    private final long networkTimeoutNanos;
    private final String group;
    private final Payload payload;
    private final Worker[] workers;

    private Phase phase;
    private GroupFile[] files;
    private IntSupplier claim;
    private Tally tally;
    private int busy;

    /** {@code group} null: the tracker chooses where to upload. */
    Workers(List<HostPort> trackers, Duration connectTimeout, Duration networkTimeout, String group,
            Payload payload, int concurrency) throws IOException {
        this.selector = Selector.open();
        this.trackers = List.copyOf(trackers);
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.networkTimeoutNanos = networkTimeout.toNanos();
        this.group = group;
        this.payload = payload;
        this.workers = new Worker[concurrency];
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Worker(i);
        }
    }

    /**
     * Runs {@code phase} on the files {@code claim} hands out (-1: none left), the workers taking the next
     * file as they finish one, and returns when every one is done. An upload stores the name it got in
     * {@code files}; a download or delete works on the names found there.
     */
    void run(Phase phase, GroupFile[] files, IntSupplier claim, Tally tally) throws IOException {
        this.phase = phase;
        this.files = files;
        this.claim = claim;
        this.tally = tally;
        this.busy = workers.length;
        for (Worker w : workers) {
            w.advance();
        }
        long checked = System.nanoTime();
        while (busy > 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("the benchmark was interrupted");
            }
            selector.select(this::ready, CHECK_EVERY_MILLIS);
            long now = System.nanoTime();
            if (now - checked >= TimeUnit.MILLISECONDS.toNanos(CHECK_EVERY_MILLIS)) {
                checked = now;
                for (Worker w : workers) {
                    w.checkProgress(now);
                }
            }
        }
    }

    private void ready(SelectionKey key) {
        Link link = (Link) key.attachment();
        try {
            if (key.isValid() && key.isWritable()) {
                link.writable();
            }
            if (key.isValid() && key.isReadable()) {
                link.readable();
            }
        } catch (Exception e) {
            link.owner.failed(link, e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Worker w : workers) {
            w.closeAll();
        }
        selector.close();
    }

    private final class Worker implements Link.Owner {
        private int trackerTurn;
        private Link tracker;
        private final Map<ServerAddress, Link> storages = new HashMap<>();
        private int file = -1;
        private long started;
        /** The link whose reply the current operation waits for. */
        private Link waiting;

        Worker(int index) {
            this.trackerTurn = index;
        }

        /** Starts the next file's operation; when none is left, the worker is done. */
        void advance() {
            waiting = null;
            while (true) {
                file = claim.getAsInt();
                if (file < 0) {
                    busy--;
                    return;
                }
                started = System.nanoTime();
                try {
                    askTracker();
                    return;
                } catch (IOException e) {
                    tally.failed(file, reason(e));
                    dropTracker();
                }
            }
        }

        private void askTracker() throws IOException {
            ByteBuffer query = switch (phase) {
                case UPLOAD -> group == null ? Body.EMPTY.request(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE)
                        : new GroupName(group).request(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE);
                case DOWNLOAD -> files[file].request(Cmd.SERVICE_QUERY_FETCH_ONE);
                case DELETE -> files[file].request(Cmd.SERVICE_QUERY_UPDATE);
            };
            if (tracker == null) {
                HostPort t = trackers.get(trackerTurn % trackers.size());
                tracker = Link.connect(selector, t.host(), t.port(), connectTimeoutMillis, TRACKER_READ_BUFFER, this);
            }
            waiting = tracker;
            tracker.send(query, null, new Collect(tracker, this::trackerAnswered));
        }

        private void trackerAnswered(ByteBuffer body) throws ProtocolException {
            ServerAddress server;
            ByteBuffer request;
            Payload.Sender content = null;
            if (phase == Phase.UPLOAD) {
                StoreReply store = StoreReply.decode(body);
                server = store.server();
                request = new UploadFileRequest(store.storePathIndex(), payload.size(), "").request(Cmd.UPLOAD_FILE);
                content = payload.sender(file);
            } else {
                server = FetchReply.decode(body).server();
                GroupFile f = files[file];
                request = phase == Phase.DOWNLOAD
                        ? new DownloadRequest(0, 0, f.group(), f.filename()).request(Cmd.DOWNLOAD_FILE)
                        : f.request(Cmd.DELETE_FILE);
            }
            Link storage = storages.get(server);
            try {
                if (storage == null) {
                    storage = Link.connect(selector, server.ip(), server.port(), connectTimeoutMillis, STORAGE_READ_BUFFER,
                            this);
                    storages.put(server, storage);
                }
                waiting = storage;
                storage.send(request, content, phase == Phase.DOWNLOAD ? new Download(storage, payload.verifier(file))
                        : new Collect(storage, this::storageAnswered));
            } catch (IOException e) {
                if (storage != null) {
                    forget(storage);
                }
                lost(e);
            }
        }

        private void storageAnswered(ByteBuffer body) throws ProtocolException {
            if (phase == Phase.UPLOAD) {
                files[file] = GroupFile.decode(body);
            }
            succeeded();
        }

        private void succeeded() {
            tally.succeeded(file, System.nanoTime() - started);
            advance();
        }

        /** The server answered with an error status: the operation failed, the connection still serves. */
        private void refused(Link link, int status) {
            tally.failed(file, link.peer + " answered: " + Status.describe(status));
            advance();
        }

        /** {@code link} broke: it is closed and forgotten; the operation waiting on it, if any, failed. */
        @Override
        public void failed(Link link, Exception e) {
            boolean waitedOn = waiting == link;
            forget(link);
            if (waitedOn) {
                lost(e);
            }
        }

        /** The current operation failed for {@code e}: counted, and on to the next file. */
        private void lost(Exception e) {
            tally.failed(file, reason(e));
            advance();
        }

        private static String reason(Exception e) {
            return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
        }

        private void forget(Link link) {
            link.close();
            if (link == tracker) {
                dropTracker();
            }
            storages.values().remove(link);
        }

        private void dropTracker() {
            if (tracker != null) {
                tracker.close();
                tracker = null;
            }
            trackerTurn++;
        }

        void checkProgress(long now) {
            if (waiting != null && waiting.stalledFor(networkTimeoutNanos, now)) {
                failed(waiting, new SocketTimeoutException(waiting.peer + " made no progress for "
                        + TimeUnit.NANOSECONDS.toSeconds(networkTimeoutNanos) + " s"));
            }
        }

        void closeAll() {
            if (tracker != null) {
                tracker.close();
            }
            storages.values().forEach(Link::close);
        }

        private interface BodyUse {
            void accept(ByteBuffer body) throws ProtocolException;
        }

        /** A short reply, gathered whole and then used. */
        private final class Collect implements Link.Reply {
            private final Link link;
            private final BodyUse use;
            private int status;
            private ByteBuffer body;

            Collect(Link link, BodyUse use) {
                this.link = link;
                this.use = use;
            }

            @Override
            public void header(Header header) throws ProtocolException {
                if (header.bodyLength() > MAX_SMALL_REPLY) {
                    throw ProtocolException.invalid(link.peer + " announced a reply of " + header.bodyLength()
                            + " bytes where at most " + MAX_SMALL_REPLY + " make sense");
                }
                status = header.status();
                body = ByteBuffer.allocate((int) header.bodyLength());
            }

            @Override
            public void body(ByteBuffer chunk) {
                body.put(chunk);
            }

            @Override
            public void end() throws ProtocolException {
                if (status != Status.OK) {
                    refused(link, status);
                } else {
                    use.accept(body.flip());
                }
            }
        }

        /** A download's reply, compared with the uploaded content as it streams in. */
        private final class Download implements Link.Reply {
            private final Link link;
            private final Payload.Verifier verifier;
            private int status;

            Download(Link link, Payload.Verifier verifier) {
                this.link = link;
                this.verifier = verifier;
            }

            @Override
            public void header(Header header) {
                status = header.status();
            }

            @Override
            public void body(ByteBuffer chunk) {
                verifier.accept(chunk);
            }

            @Override
            public void end() {
                if (status != Status.OK) {
                    refused(link, status);
                } else if (verifier.matches()) {
                    succeeded();
                } else {
                    tally.mismatched(file);
                    advance();
                }
            }
        }
    }
}
