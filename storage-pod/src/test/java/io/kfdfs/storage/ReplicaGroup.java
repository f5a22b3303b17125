package io.kfdfs.storage;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.tracker.TrackerFixture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * kfdfs trackers and the members of one group ({@code group1}, storage IDs 100001, 100002, ...) on
 * 127.0.0.1, each over its own temporary base path, with one-second heartbeats. Members start when the
 * test says so and can be stopped, restarted and wiped.
 */
final class ReplicaGroup implements AutoCloseable {

    private final Path dir;
    private final TrackerFixture[] trackers;
    private final int[] ports;
    private final StorageFixture[] members;
    private final boolean separateStores;
    private final ChildStorage[] children;

    ReplicaGroup(Path dir, int size) throws Exception {
        this(dir, size, 1, false);
    }

    ReplicaGroup(Path dir, int size, int trackerCount, boolean separateStores) throws Exception {
        this(dir, size, trackerCount, separateStores, "");
    }

    /**
     * @param separateStores each member keeps its files in a store path of its own, apart from its base path
     * @param trackerConf    extra tracker.conf lines
     */
    ReplicaGroup(Path dir, int size, int trackerCount, boolean separateStores, String trackerConf) throws Exception {
        this.dir = dir;
        this.separateStores = separateStores;
        this.children = new ChildStorage[size];
        this.ports = new int[size];
        this.members = new StorageFixture[size];
        StringBuilder idLines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            ports[i] = Ports.free();
            idLines.append(id(i)).append(" group1 127.0.0.1:").append(ports[i]).append('\n');
        }
        this.trackers = new TrackerFixture[trackerCount];
        for (int t = 0; t < trackerCount; t++) {
            trackers[t] = new TrackerFixture(dir.resolve("tracker" + (t + 1)), "reserved_storage_space = 1%\n" + trackerConf,
                    idLines.toString());
        }
    }

    /** Tracker {@code t} (0-based), to stop, start or ask. */
    TrackerFixture tracker(int t) {
        return trackers[t];
    }

    static String id(int member) {
        return String.valueOf(100001 + member);
    }

    /** Every tracker as {@code host:port}. */
    List<String> trackers() {
        return Arrays.stream(trackers).map(t -> t.host() + ":" + t.port()).toList();
    }

    Path base(int member) {
        return dir.resolve("storage" + (member + 1));
    }

    /** Where a member keeps its files: its base path, or {@code <base>/store} with separate store paths. */
    Path storeRoot(int member) {
        return separateStores ? base(member).resolve("store") : base(member);
    }

    int port(int member) {
        return ports[member];
    }

    /** The storage.conf lines of a member (beyond what {@link StorageFixture} writes). */
    String conf(int member) {
        StringBuilder conf = new StringBuilder(StorageFixture.FAST);
        for (String tracker : trackers()) {
            conf.append("tracker_server = ").append(tracker).append('\n');
        }
        if (separateStores) {
            conf.append("store_path0 = ").append(storeRoot(member)).append('\n');
        }
        return conf.toString();
    }

    StorageFixture start(int member) throws Exception {
        members[member] = StorageFixture.at(base(member)).conf(conf(member)).port(ports[member]).start();
        return members[member];
    }

    StorageFixture member(int member) {
        return members[member];
    }

    void stop(int member) {
        members[member].close();
        members[member] = null;
    }

    /** Starts a member (again) as a separate JVM, so that it can be killed with SIGKILL. */
    ChildStorage startChild(int member) throws Exception {
        if (children[member] == null) {
            children[member] = new ChildStorage(base(member), ports[member], conf(member), "256m");
        } else {
            children[member].start();
        }
        return children[member];
    }

    ChildStorage child(int member) {
        return children[member];
    }

    /** A client of a member, whether it runs here or as a child JVM. */
    TestClient client(int member) throws IOException {
        return new TestClient(ports[member]);
    }

    /** The first tracker's record of a member, if it lists it. */
    Optional<StorageStat> storage(int member) throws IOException {
        return trackers[0].storages("group1").stream().filter(s -> s.id().equals(id(member))).findFirst();
    }

    /** The group's record (LIST_ONE_GROUP): readable and writable counts. */
    GroupStat group() throws IOException {
        try (TestClient c = new TestClient(trackers[0].port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group1"));
            if (r.status() != 0) {
                throw new IOException("LIST_ONE_GROUP answered " + Status.name(r.status()));
            }
            return GroupStats.decode(ByteBuffer.wrap(r.body())).groups().get(0);
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** QUERY_FETCH_ONE: the port of the storage the tracker sends a download of {@code name} to. */
    int fetchPort(TestClient tracker, String name) throws IOException {
        TestClient.Reply r = tracker.call(Cmd.SERVICE_QUERY_FETCH_ONE, new GroupFile("group1", name));
        if (r.status() != 0) {
            throw new IOException("QUERY_FETCH_ONE of " + name + " answered " + Status.name(r.status()));
        }
        try {
            return (int) FetchReply.decode(ByteBuffer.wrap(r.body())).server().port();
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** Until the first tracker has the member ACTIVE. */
    void awaitActive(int member) throws Exception {
        eventually(() -> storage(member).map(StorageStat::status).orElse(-1), s -> s == StorageStatus.ACTIVE,
                id(member) + " ACTIVE");
    }

    /** Until members 1 to {@code members - 1} hold the tree of member 0; returns how long that took (ms). */
    long awaitSameTrees(int members, int seconds) throws Exception {
        long start = System.nanoTime();
        Map<String, String> source = MixedLoad.tree(storeRoot(0));
        for (int m = 1; m < members; m++) {
            int member = m;
            eventually(() -> MixedLoad.difference(source, MixedLoad.tree(storeRoot(member))), String::isEmpty,
                    Duration.ofSeconds(seconds), id(m) + " holding the " + source.size() + " files of " + id(0));
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ChildStorage child : children) {
            if (child != null) {
                child.close();
            }
        }
        for (int i = 0; i < members.length; i++) {
            if (members[i] != null) {
                try {
                    stop(i);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        for (TrackerFixture t : trackers) {
            try {
                t.close();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the trackers", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
