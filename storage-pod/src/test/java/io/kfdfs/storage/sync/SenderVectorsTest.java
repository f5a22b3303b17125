package io.kfdfs.storage.sync;

import io.kfdfs.pod.PodLimits;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.storage.stats.Counters;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kfdfs as the sender of a full sync, compared with C: the binlog and files C's storage 100001 ended the
 * capture with (vectors/run/storage1), pushed by kfdfs to a new member 100002 with the capture's cutoff,
 * must put on the wire what C's sync threads sent for that full sync (conns 160 and 163 of
 * 07_storage_sync): the same commands with the same bodies (C leaves junk after the group's NUL, testdata/vectors/NOTES.md D4),
 * but in binlog order where C's two connections reordered them (testdata/vectors/NOTES.md D3).
 */
class SenderVectorsTest {

    /** The capture's cutoff of 100002's full sync (its SYNC_DEST_REQ reply, #577). */
    private static final long UNTIL = 1795633410L;

    @TempDir
    Path dir;

    /** Relays one storage's connections and keeps every request frame sent to it. */
    static final class RecordingProxy implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> requests = Collections.synchronizedList(new ArrayList<>());

        RecordingProxy(int backendPort) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket backend = new Socket("127.0.0.1", backendPort);
                        relay(backend.getInputStream(), client.getOutputStream(), false);
                        relay(client.getInputStream(), backend.getOutputStream(), true);
                    } catch (IOException closed) {
                        // the proxy is closing
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private void relay(InputStream in, OutputStream out, boolean record) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        byte[] head = in.readNBytes(Header.SIZE);
                        if (head.length < Header.SIZE) {
                            break;
                        }
                        long length = ByteBuffer.wrap(head).getLong();
                        byte[] body = in.readNBytes((int) length);
                        byte[] frame = ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
                        if (record) {
                            requests.add(frame);
                        }
                        out.write(frame);
                        out.flush();
                    }
                } catch (IOException gone) {
                    // one side closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Where a command's group field is: C leaves junk after its NUL (testdata/vectors/NOTES.md D4), zeroed here for comparison. */
    private static String canonical(byte[] frame) {
        byte[] f = frame.clone();
        int group = switch (f[8]) {
            case Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE, Cmd.SYNC_RENAME_FILE, Cmd.SYNC_CREATE_LINK -> 20;
            case Cmd.SYNC_DELETE_FILE -> 4;
            case Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE, Cmd.SYNC_TRUNCATE_FILE -> 28;
            default -> -1;
        };
        if (group >= 0) {
            int from = Header.SIZE + group;
            boolean nul = false;
            for (int i = from; i < from + 16; i++) {
                nul |= f[i] == 0;
                if (nul) {
                    f[i] = 0;
                }
            }
        }
        return HexFormat.of().formatHex(f);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".mark")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aFullSyncPutsOnTheWireWhatCSent() throws Exception {
        Path source = dir.resolve("storage1");
        copyTree(Vectors.dir().resolve("run/storage1"), source);
        List<StorageBrief> reported = Collections.synchronizedList(new ArrayList<>());
        Vertx vertx = Vertx.vertx();
        try (StorageFixture receiver = new StorageFixture(dir.resolve("storage2"), "");
             RecordingProxy proxy = new RecordingProxy(receiver.server.port());
             Binlog binlog = Binlog.open(source.resolve("data/sync"), false)) {
            Replication replication = fullSyncTo(vertx, source, binlog, reported, proxy.port(), Version.KFDFS);
            eventually(reported::size, n -> n >= 2, "two status reports");
            assertEquals(List.of(StorageStatus.SYNCING, StorageStatus.OFFLINE),
                    reported.stream().map(StorageBrief::status).toList(), "76 to the trackers, as #608 and #647");
            eventually(() -> countOf(proxy.requests, Cmd.KFDFS_SYNC_CAUGHT_UP), n -> n > 0,
                    "the caught-up notice a kfdfs peer gets at the end of the binlog");
            replication.stop().await(10, TimeUnit.SECONDS);

            List<VectorFrame> c = Vectors.load("07_storage_sync.jsonl").stream()
                    .filter(f -> (f.conn() == 160 || f.conn() == 163) && f.request()).toList();
            List<String> sent = new ArrayList<>();
            synchronized (proxy.requests) {
                for (byte[] f : proxy.requests) {
                    int cmd = f[8] & 0xFF; // 240 is a negative byte
                    if (cmd != Cmd.KFDFS_SYNC_CAUGHT_UP && cmd != Cmd.ACTIVE_TEST) {
                        sent.add(canonical(f));
                    }
                }
            }
            assertEquals(canonical(c.get(0).bytes()), sent.get(0), "REPORT_SERVER_ID first");
            List<String> kfdfs = new ArrayList<>(sent.subList(1, c.size()));
            List<String> cFrames = new ArrayList<>(c.subList(1, c.size()).stream().map(f -> canonical(f.bytes())).toList());
            assertEquals(sorted(cFrames), sorted(kfdfs), "the same " + cFrames.size() + " requests as C's full sync");
            // binlog order for the appender M00/00/00/oYYBAGsHMPSEJk4FAAAAAKaEx8Y012.txt: truncate, append, modify
            List<Integer> appenderCmds = new ArrayList<>();
            for (String hex : kfdfs) {
                int cmd = Integer.parseInt(hex.substring(16, 18), 16);
                if (cmd == Cmd.SYNC_TRUNCATE_FILE || cmd == Cmd.SYNC_APPEND_FILE || cmd == Cmd.SYNC_MODIFY_FILE) {
                    appenderCmds.add(cmd);
                }
            }
            assertEquals(List.of(Cmd.SYNC_TRUNCATE_FILE, Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE), appenderCmds);
            assertTrue(Files.exists(source.resolve("data/sync/100002.mark")), "the mark file was written");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A peer standing in for a C storage (6.10 and later): it answers an unknown command (240) EINVAL and
     * closes the connection, as storage_service.c does, and it must never find a request in its socket
     * written ahead of the reply to the one before: C reads its connections edge-triggered and would leave
     * that request there until the sender's network timeout.
     */
    static final class CLikePeer implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> requests = Collections.synchronizedList(new ArrayList<>());
        final List<String> ahead = Collections.synchronizedList(new ArrayList<>());
        volatile int connections;

        CLikePeer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections++;
                        Thread t = new Thread(() -> serve(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        // the peer is closing
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    byte[] head = in.readNBytes(Header.SIZE);
                    if (head.length < Header.SIZE) {
                        return;
                    }
                    byte[] body = in.readNBytes((int) ByteBuffer.wrap(head).getLong());
                    byte[] frame = ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
                    requests.add(frame);
                    int cmd = head[8] & 0xFF;
                    Thread.sleep(20); // a disk write: a pipelining sender's next request is here by now
                    if (in.available() > 0) {
                        ahead.add("a request written before the reply to command " + cmd);
                    }
                    byte status = (byte) (cmd == Cmd.KFDFS_SYNC_CAUGHT_UP ? 22 : 0);
                    out.write(ByteBuffer.allocate(Header.SIZE).putLong(0).put((byte) 100).put(status).array());
                    out.flush();
                    if (status != 0) {
                        return; // C closes after a header-only EINVAL (sock_send_done_callback)
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the sender closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void aCPeerGetsOneRequestAtATime() throws Exception {
        Path source = dir.resolve("storage1");
        copyTree(Vectors.dir().resolve("run/storage1"), source);
        List<StorageBrief> reported = Collections.synchronizedList(new ArrayList<>());
        Vertx vertx = Vertx.vertx();
        try (CLikePeer peer = new CLikePeer();
             Binlog binlog = Binlog.open(source.resolve("data/sync"), false)) {
            Replication replication = fullSyncTo(vertx, source, binlog, reported, peer.port(), Version.FASTDFS);
            eventually(reported::size, n -> n >= 2, "two status reports");
            assertEquals(List.of(StorageStatus.SYNCING, StorageStatus.OFFLINE),
                    reported.stream().map(StorageBrief::status).toList(), "the full sync went through");
            eventually(() -> countOf(peer.requests, Cmd.ACTIVE_TEST), n -> n > 0,
                    "ACTIVE_TEST at the end of the binlog, as C sends");
            replication.stop().await(10, TimeUnit.SECONDS);

            assertEquals(List.of(), peer.ahead, "no request written ahead of a reply");
            assertEquals(1, peer.connections, "one connection: no kfdfs-only command made the peer close it");
            assertEquals(0, countOf(peer.requests, Cmd.KFDFS_SYNC_CAUGHT_UP), "a C peer gets ACTIVE_TEST, never 240");
            long creates = countOf(peer.requests, Cmd.SYNC_CREATE_FILE);
            assertTrue(creates >= 10, "the full sync's files went out: " + creates + " SYNC_CREATE_FILE");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Storage 100001's replication, started on {@code source}'s files, with 100002 at {@code port} waiting for
     * its full sync from it and reporting {@code peerVersion}; the trackers' status reports go to
     * {@code reported}.
     */
    private static Replication fullSyncTo(Vertx vertx, Path source, Binlog binlog, List<StorageBrief> reported,
                                          int port, String peerVersion) {
        Store store = new Store(List.of(new StorePath(0, source, false)), 256, DiskSpace.SYSTEM);
        Replication replication = new Replication(vertx, store, binlog, new Counters(), new Replication.Trackers() {
            @Override
            public Future<Optional<SyncSource>> syncSource(String destId) {
                return Future.succeededFuture(Optional.of(new SyncSource("100001", UNTIL)));
            }

            @Override
            public void reportStatus(StorageBrief brief) {
                reported.add(brief);
            }
        });
        Context context = vertx.getOrCreateContext();
        replication.start(context);
        context.runOnContext(v -> {
            replication.peerVersions(Map.of("100002", peerVersion));
            replication.membersChanged(List.of(new StorageBrief(StorageStatus.WAIT_SYNC, port, "100002", "127.0.0.1")),
                    "100001", new Replication.Settings("group1", true, 23200, 1000, 500, new PodLimits(5000, 5000)));
        });
        return replication;
    }

    private static long countOf(List<byte[]> frames, int cmd) {
        synchronized (frames) {
            return frames.stream().filter(f -> (f[8] & 0xFF) == cmd).count();
        }
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }
}
