package io.kfdfs.tracker;

import io.kfdfs.conf.HostPort;
import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.Reply;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.PingLeaderRequest;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which tracker leads (docs/protocol.md §5.3). Trackers learn each other from the tracker lists in storage
 * JOINs (addresses, also when the storages find the trackers through one name) and from the peers that
 * announce themselves (66) or register (58); a tracker once learned stays known, as in C, and one that is
 * gone only fails its asks. While no leader is known every tracker runs the election: ask every tracker's
 * status (64), and the best one (an existing leader, else the longest running, then shorter restart
 * interval, greater IP, greater port) announces itself (66, 67). Followers register with the leader (58)
 * and ping it every second (65); three failed pings and they elect again. Runs on the tracker's event loop.
 */
final class Leadership {

    private static final System.Logger LOG = System.getLogger(Leadership.class.getName());
    /** A follower that has not pinged for this long is shown inactive (96). */
    private static final long ACTIVE_SECONDS = 3;
    private static final int MAX_PING_FAILURES = 3;

    /** A tracker, named as storages list it: {@code ip:port}. */
    record Peer(String ip, int port) implements Comparable<Peer> {

        static Peer parse(String text) throws ProtocolException {
            try {
                HostPort hp = HostPort.parse(text, 0);
                return new Peer(hp.host(), hp.port());
            } catch (IllegalArgumentException e) {
                throw ProtocolException.invalid("bad tracker address \"" + text + "\": " + e.getMessage());
            }
        }

        String address() {
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
        }

        @Override
        public int compareTo(Peer o) {
            int c = ip.compareTo(o.ip);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    /** A follower as the leader sees it (96). */
    static final class Follower {
        final Peer peer;
        final String version;
        final long upTime;
        long lastPing;
        int connAlloc;
        int connCurrent;
        int connMax;

        Follower(Peer peer, JoinLeaderRequest r, long now) {
            this.peer = peer;
            this.version = r.version();
            this.upTime = r.upTime();
            this.lastPing = now;
        }
    }

    /** A tracker's standing: an existing leader, else the longest running, then the shorter restart interval. */
    static final Comparator<TrackerStatus> STANDING = Comparator.comparing(TrackerStatus::leader)
            .thenComparingLong(TrackerStatus::runningTime)
            .thenComparingLong(s -> -s.restartInterval());

    record Candidate(Peer peer, TrackerStatus status) {
    }

    /** The election's order: standing, then the greater IP, then the greater port. */
    static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::status, STANDING)
            .thenComparing(Candidate::peer);

    private final Vertx vertx;
    private final Cluster cluster;
    private final TrackerServer server;
    private final PodLimits limits;
    private final Set<String> localIps = new HashSet<>();
    /** Every tracker the storages named, this one included once known. */
    final Set<Peer> trackers = new java.util.TreeSet<>();
    final Map<Peer, Follower> followers = new LinkedHashMap<>();
    private Peer self;
    private Peer leader;
    private Peer nextLeader;
    /** Bumped whenever the leader changes: change notifications resend the leader record. */
    long version;
    private boolean electing;
    private FrameClient toLeader;
    private int pingFailures;
    private long notBefore;

    Leadership(Vertx vertx, Cluster cluster, TrackerServer server, PodLimits limits) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.server = server;
        this.limits = limits;
    }

    /** Every second: elect while there is no leader, ping the leader while following. */
    void tick() {
        if (leader == null) {
            elect();
        } else if (!leader.equals(self)) {
            ping();
        }
    }

    boolean isLeader() {
        return self != null && self.equals(leader);
    }

    Peer leader() {
        return leader;
    }

    /** This tracker as the storages name it; null until a storage's JOIN told. */
    Peer self() {
        return self;
    }

    /** As the leader sees it: itself, or a follower that pinged within {@link #ACTIVE_SECONDS}. */
    boolean isActive(Peer p, long now) {
        Follower f = followers.get(p);
        return p.equals(leader) || (f != null && now - f.lastPing <= ACTIVE_SECONDS);
    }

    /** A storage's JOIN: its tracker list names this tracker's peers; it reached this one at {@code localIp}. */
    void learn(List<String> trackerLines, String currentTrackerIp, String localIp) {
        localIps.add(currentTrackerIp);
        localIps.add(localIp);
        boolean added = false;
        for (String line : trackerLines) {
            try {
                HostPort hp = HostPort.parse(line, 0);
                Peer p = new Peer(hp.host(), hp.port());
                if (self == null && hp.port() == server.port() && hp.hosts().stream().anyMatch(localIps::contains)) {
                    self = p;
                }
                added |= trackers.add(p);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "ignoring the tracker \"" + line + "\" a storage listed: " + e.getMessage());
            }
        }
        if (self == null) {
            // the storages know this tracker by an address it does not see as its own (NAT): use the local one
            self = new Peer(localIp, server.port());
            added |= trackers.add(self);
        }
        if (added) {
            LOG.log(Level.INFO, "trackers: " + trackers.stream().map(Peer::address).toList() + ", this one is "
                    + self.address());
        }
        if (leader == null) {
            elect();
        }
    }

    /** The trackers a JOIN's list names besides this one, which the storage reached at {@code localIp}. */
    List<Peer> others(List<String> trackerLines, String currentTrackerIp, String localIp) {
        List<Peer> others = new ArrayList<>();
        for (String line : trackerLines) {
            try {
                HostPort hp = HostPort.parse(line, 0);
                boolean me = hp.port() == server.port() && hp.hosts().stream().anyMatch(h -> h.equals(currentTrackerIp)
                        || h.equals(localIp) || localIps.contains(h));
                if (!me) {
                    others.add(new Peer(hp.host(), hp.port()));
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, "not a tracker: \"" + line + "\"");
            }
        }
        return others;
    }

    /** 64: this tracker's standing in an election. */
    TrackerStatus status() {
        long running = cluster.now() - server.startTime();
        long restart = server.lastCheckTime() > 0 ? server.startTime() - server.lastCheckTime() : 0;
        return new TrackerStatus(isLeader(), running - running % 300, Math.max(0, restart - restart % 300));
    }

    private void elect() {
        if (electing || self == null || System.nanoTime() < notBefore) {
            return;
        }
        List<Peer> others = trackers.stream().filter(p -> !p.equals(self)).toList();
        if (others.isEmpty()) {
            if (!cluster.groups.isEmpty()) {
                setLeader(self); // the only tracker the storages know of
            }
            return;
        }
        electing = true;
        List<Future<Candidate>> asks = others.stream().map(this::ask).toList();
        Future.join(asks).onComplete(ar -> {
            List<Candidate> candidates = new ArrayList<>();
            asks.stream().filter(f -> f.succeeded() && f.result() != null).forEach(f -> candidates.add(f.result()));
            if (!cluster.groups.isEmpty()) {
                candidates.add(new Candidate(self, status()));
            }
            Candidate best = candidates.stream().max(ORDER).orElse(null);
            if (leader != null || best == null) {
                electing = false;
            } else if (best.peer().equals(self)) {
                announce(others);
            } else {
                electing = false;
                if (best.status().leader()) {
                    follow(best.peer());
                }
            }
        });
    }

    /**
     * The status of a peer tracker, or null when it has none to give (ENOENT: no groups); failed when it
     * cannot be asked.
     */
    Future<Candidate> ask(Peer p) {
        return call(p, Frames.request(Cmd.TRACKER_GET_STATUS, Body.EMPTY), TrackerStatus.SIZE).map(r -> {
            try {
                return r.ok() ? new Candidate(p, TrackerStatus.decode(r.bodyBuffer())) : null;
            } catch (ProtocolException e) {
                throw new IllegalStateException("tracker " + p.address() + " sent a bad status: " + e.getMessage(), e);
            }
        });
    }

    /** Tells every peer that this tracker leads (66), then commits it (67); unreachable peers are skipped. */
    private void announce(List<Peer> others) {
        TextBody me = new TextBody(self.address());
        Future.join(others.stream().map(p -> call(p, Frames.request(Cmd.TRACKER_NOTIFY_NEXT_LEADER, me), 0)).toList())
                .eventually(() -> Future.join(others.stream()
                        .map(p -> call(p, Frames.request(Cmd.TRACKER_COMMIT_NEXT_LEADER, me), 0)).toList()))
                .onComplete(ar -> {
                    electing = false;
                    if (leader == null) {
                        setLeader(self);
                    }
                });
    }

    private Future<Reply> call(Peer p, io.vertx.core.buffer.Buffer frame, long maxReply) {
        return FrameClient.connect(vertx, p.ip(), p.port(), limits)
                .compose(c -> c.call(frame, maxReply).eventually(c::close));
    }

    private void setLeader(Peer p) {
        if (p == null ? leader == null : p.equals(leader)) {
            return;
        }
        LOG.log(Level.INFO, p == null ? "no leader tracker" : "leader tracker: " + p.address()
                + (p.equals(self) ? " (this one)" : ""));
        leader = p;
        version++;
        pingFailures = 0;
        if (toLeader != null) {
            toLeader.close();
            toLeader = null;
        }
        if (p == null) {
            notBefore = System.nanoTime() + ThreadLocalRandom.current().nextLong(1_000_000_000L, 5_000_000_000L);
        }
        if (!isLeader()) {
            followers.clear();
        }
    }

    private void follow(Peer p) {
        setLeader(p);
        ping();
    }

    /** Follower: register with the leader once, then ping it; three failures in a row forget it. */
    private void ping() {
        Peer target = leader;
        Future<FrameClient> conn = toLeader != null && !toLeader.isClosed() ? Future.succeededFuture(toLeader)
                : FrameClient.connect(vertx, target.ip(), target.port(), limits).compose(c -> {
                    toLeader = c;
                    return c.call(Frames.request(Cmd.TRACKER_JOIN_LEADER, new JoinLeaderRequest(server.startTime(),
                            TrackerServer.VERSION, server.port())), 0).map(r -> {
                        if (!r.ok() && r.status() != Status.EEXIST) {
                            throw new IllegalStateException("join refused: " + Status.name(r.status()));
                        }
                        return c;
                    });
                });
        conn.compose(c -> c.call(Frames.request(Cmd.TRACKER_PING_LEADER, new PingLeaderRequest(
                        server.maxConnections(), server.connections(), server.maxConnections())), 64 * 1024))
                .onComplete(ar -> {
                    if (!target.equals(leader)) {
                        return;
                    }
                    if (ar.succeeded() && ar.result().ok()) {
                        pingFailures = 0;
                        return;
                    }
                    if (toLeader != null) {
                        toLeader.close();
                        toLeader = null;
                    }
                    if (++pingFailures >= MAX_PING_FAILURES || (ar.succeeded() && ar.result().status() == Status.EOPNOTSUPP)) {
                        LOG.log(Level.WARNING, "leader tracker " + target.address() + " lost: "
                                + (ar.failed() ? ar.cause().getMessage() : Status.name(ar.result().status())));
                        setLeader(null);
                    }
                });
    }

    // ---------------------------------------------------------------- requests from peer trackers

    /** 66: a tracker announces it will lead; a leader that is not the candidate steps down and refuses. */
    void notifyNext(String text) throws ProtocolException {
        Peer candidate = Peer.parse(text);
        learnPeer(candidate, "announces itself as the next leader");
        if (isLeader() && !candidate.equals(self)) {
            setLeader(null);
            throw ProtocolException.invalid("this tracker was the leader; " + text + " is not");
        }
        nextLeader = candidate;
    }

    /** 67: the announced tracker leads now. */
    void commitNext(String text) throws ProtocolException {
        Peer candidate = Peer.parse(text);
        if (!candidate.equals(nextLeader)) {
            throw ProtocolException.invalid("commit of " + text + " without its notification");
        }
        if (candidate.equals(self)) {
            setLeader(self);
        } else {
            follow(candidate);
        }
    }

    /** 58: a follower registers; it is known by its peer IP and the port it serves on. */
    Follower joinLeader(JoinLeaderRequest r, String peerIp) throws ProtocolException {
        requireLeader();
        Peer p = new Peer(peerIp, r.serverPort());
        learnPeer(p, "registers as a follower");
        Follower f = new Follower(p, r, cluster.now());
        followers.put(p, f);
        return f;
    }

    /**
     * A tracker that speaks to this one as a peer is one, even if no storage named it here: a storage names
     * the trackers it knows only when it joins, so a tracker pod started after the storages joined this
     * tracker is named to the new tracker alone. Without this, the leader would refuse it as a follower
     * and a candidate it does not know would become a second leader.
     */
    private void learnPeer(Peer p, String how) {
        if (trackers.add(p)) {
            LOG.log(Level.INFO, "tracker " + p.address() + " " + how + ": trackers now "
                    + trackers.stream().map(Peer::address).toList());
        }
    }

    /** 65 from a registered follower. */
    void ping(Follower f, PingLeaderRequest r) throws ProtocolException {
        requireLeader();
        f.lastPing = cluster.now();
        if (r != null) {
            f.connAlloc = r.connAlloc();
            f.connCurrent = r.connCurrent();
            f.connMax = r.connMax();
        }
    }

    /** 68: a storage saw two leaders; this one steps down and the election runs again. */
    void reselect() throws ProtocolException {
        requireLeader();
        setLeader(null);
    }

    void requireLeader() throws ProtocolException {
        if (!isLeader()) {
            throw new ProtocolException(Status.EOPNOTSUPP, "this tracker is not the leader");
        }
    }

    void close() {
        if (toLeader != null) {
            toLeader.close();
        }
    }
}
