package io.kfdfs.tracker;

import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.PingLeaderRequest;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * What the other trackers of the cluster send this one (docs/protocol.md §5.2, §5.3): the leader election
 * and the copy of the data files a fresh tracker makes before it takes storages.
 */
final class PeerTrackerCommands {

    private final Cluster cluster;
    private final Leadership leadership;
    /** The connection holding the sys-file lock (61 until 62 or close), or null. */
    private Session sysFilesHolder;

    PeerTrackerCommands(Cluster cluster, Leadership leadership) {
        this.cluster = cluster;
        this.leadership = leadership;
    }

    /** 64: an empty tracker does not answer (it would not take part in an election, Appendix C.12). */
    Buffer status() throws ProtocolException {
        if (cluster.groups.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "no groups yet");
        }
        return Frames.response(leadership.status());
    }

    /** 58: a follower joins this leader; its connection stays its own from then on. */
    Buffer joinLeader(Session session, JoinLeaderRequest r, String peer) throws ProtocolException {
        if (session.follower != null) {
            throw new ProtocolException(Status.EEXIST, "already joined as " + session.follower.peer.address());
        }
        session.follower = leadership.joinLeader(r, peer);
        return Frames.ok();
    }

    /** 65: a follower's ping (no trunk servers to hand out), or a stranger's check that this is the leader. */
    Buffer pingLeader(Session session, PingLeaderRequest r) throws ProtocolException {
        if (session.follower != null) {
            leadership.ping(session.follower, r);
        } else {
            leadership.requireLeader();
        }
        return Frames.ok();
    }

    /** 66. */
    Buffer notifyNextLeader(String address) throws ProtocolException {
        leadership.notifyNext(address);
        return Frames.ok();
    }

    /** 67. */
    Buffer commitNextLeader(String address) throws ProtocolException {
        leadership.commitNext(address);
        return Frames.ok();
    }

    /** 68. */
    Buffer reselectLeader() throws ProtocolException {
        leadership.reselect();
        return Frames.ok();
    }

    /** 61: one peer at a time copies the data files, as they are now. */
    Buffer sysFilesStart(Session session) throws ProtocolException {
        if (cluster.groups.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "no data to copy");
        }
        if (sysFilesHolder != null && sysFilesHolder != session) {
            throw new ProtocolException(Status.EBUSY, "another tracker is copying the data files");
        }
        sysFilesHolder = session;
        session.sysFiles = sysFiles();
        return Frames.ok();
    }

    /** 63. */
    Buffer sysFileChunk(Session session, SysFileRequest r) throws ProtocolException {
        // a peer copies the set saved at 61; anyone else (fdfs migrate status) reads one file as it is now
        byte[] file = session.sysFiles != null ? session.sysFiles[r.index()] : sysFile(r.index());
        if (r.offset() > file.length) {
            throw ProtocolException.invalid("offset " + r.offset() + " beyond the " + file.length + "-byte file");
        }
        int from = (int) r.offset();
        return Frames.response(new SysFileChunk(file.length,
                Arrays.copyOfRange(file, from, Math.min(file.length, from + SysFileChunk.MAX_DATA))));
    }

    /** 62. */
    Buffer sysFilesEnd(Session session) {
        closed(session);
        return Frames.ok();
    }

    /** The connection ended (or the copy did): its lock on the data files goes with it. */
    void closed(Session session) {
        if (sysFilesHolder == session) {
            sysFilesHolder = null;
        }
        session.sysFiles = null;
    }

    /** The data files as a peer tracker copies them (61–63): 0 groups, 1 servers, 2 sync timestamps, 3 changelog. */
    private byte[][] sysFiles() {
        byte[][] files = new byte[SysFileRequest.FILE_COUNT][];
        for (int i = 0; i < files.length; i++) {
            files[i] = sysFile(i);
        }
        return files;
    }

    /** File {@code index} of 63: groups, servers, sync timestamps, changelog. */
    private byte[] sysFile(int index) {
        return Fields.bytes(switch (index) {
            case 0 -> StateFiles.groups(cluster);
            case 1 -> StateFiles.servers(cluster);
            case 2 -> StateFiles.syncTimestamps(cluster);
            default -> cluster.changelog.toString();
        });
    }
}
