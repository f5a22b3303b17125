package io.kfdfs.e2e.load;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the ledger knows of one file: the states it may be in once the cluster has converged. After
 * acknowledged operations only there is one; an operation that failed without an acknowledgement may or
 * may not have happened, so both outcomes are accepted and the file takes no further change (its
 * possible states stay two). Metadata reads during the load may see an earlier state on a replica, so
 * every metadata map the file ever had is kept too. Changed only by the worker that owns the file.
 */
public final class FileRecord {

    /** One state of a file: absent, or present with these bytes and this metadata. */
    public record State(boolean exists, String sha256, long size, Map<String, String> metadata) {
        public State {
            metadata = Map.copyOf(metadata);
        }

        static State absent() {
            return new State(false, "", 0, Map.of());
        }

        @Override
        public String toString() {
            return exists ? "present(" + size + " B, sha256 " + sha256.substring(0, 12) + ", metadata "
                    + new TreeMap<>(metadata) + ")" : "absent";
        }
    }

    final String fileId;
    final String group;
    final boolean appender;
    /** The acknowledged content of an appender file, to compute what an append, modify or truncate makes. */
    byte[] content;
    /** The state after every acknowledged operation. */
    State current;
    /** Set after an unacknowledged operation: {@link #current} or this one. */
    State alternative;
    /** Every metadata map the file has had, in order. */
    final Set<Map<String, String>> metadataHistory = new LinkedHashSet<>();
    /** Every content the file has had (hashes). */
    final Set<String> contentHistory = new LinkedHashSet<>();

    FileRecord(String fileId, boolean appender, State state, byte[] content) {
        this.fileId = fileId;
        this.group = fileId.substring(0, fileId.indexOf('/'));
        this.appender = appender;
        this.content = content;
        this.current = state;
        this.metadataHistory.add(state.metadata());
        this.contentHistory.add(state.sha256());
    }

    public String fileId() {
        return fileId;
    }

    public String group() {
        return group;
    }

    /** The name inside the group: {@code M00/HH/HH/...}. */
    public String remoteName() {
        return fileId.substring(fileId.indexOf('/') + 1);
    }

    /** True while every operation on the file was acknowledged (or refused): its state is known. */
    public boolean certain() {
        return alternative == null;
    }

    /** The states the file may be in once the cluster has converged. */
    public Set<State> acceptable() {
        // an unknown outcome may be the state the file is already in (metadata set to what it was)
        return alternative == null || alternative.equals(current) ? Set.of(current) : Set.of(current, alternative);
    }

    void acknowledged(State next) {
        current = next;
        metadataHistory.add(next.metadata());
        contentHistory.add(next.sha256());
    }

    void unknown(State maybe) {
        alternative = maybe;
        metadataHistory.add(maybe.metadata());
        contentHistory.add(maybe.sha256());
    }
}
