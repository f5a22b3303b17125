package io.kfdfs.e2e.load;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every file the load made or touched, with the states it may end in, and the contents of uploads that
 * failed without an acknowledgement (such a file may exist under a name nobody was told: accepted if its
 * bytes are whole). Also the counts a scenario reports.
 */
public final class Ledger {

    final Map<String, FileRecord> files = new ConcurrentHashMap<>();
    /** SHA-256 of the content of every upload whose outcome is unknown. */
    final Set<String> unknownUploads = ConcurrentHashMap.newKeySet();
    /** SHA-256 of the content of every acknowledged upload. */
    final Set<String> acknowledgedUploads = ConcurrentHashMap.newKeySet();
    final LongAdder operations = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder unknown = new LongAdder();
    final LongAdder corruptReads = new LongAdder();
    final LongAdder staleReads = new LongAdder();
    final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
    private final Queue<String> corruptDetails = new ConcurrentLinkedQueue<>();

    public Collection<FileRecord> files() {
        return files.values();
    }

    /** An upload a scenario made itself, acknowledged: the file must end up on every member of its group. */
    public void acknowledgedUpload(String fileId, byte[] data, Map<String, String> metadata) {
        operations.increment();
        acknowledgedUploads.add(sha256(data));
        files.put(fileId, new FileRecord(fileId, false, new FileRecord.State(true, sha256(data), data.length, metadata),
                null));
    }

    public FileRecord file(String fileId) {
        return files.get(fileId);
    }

    public long operations() {
        return operations.sum();
    }

    /** Failed operations the server refused (they did not happen). */
    public long refused() {
        return refused.sum();
    }

    /** Failed operations without an answer (they may have happened). */
    public long unknown() {
        return unknown.sum();
    }

    /** Reads during the load whose bytes or metadata were never a state of the file. */
    public long corruptReads() {
        return corruptReads.sum();
    }

    /** What the first corrupt reads were. */
    public List<String> corruptDetails() {
        return List.copyOf(corruptDetails);
    }

    void corrupt(String what) {
        corruptReads.increment();
        if (corruptDetails.size() < 5) {
            corruptDetails.add(what);
        }
    }

    /** Reads during the load that saw an earlier state of the file (a replica behind). */
    public long staleReads() {
        return staleReads.sum();
    }

    /** "upload: ConnectionException x3, ..." for failure messages. */
    public String failureSummary() {
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(failuresByKind).forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ")
                .append(k).append(" x").append(v.sum()));
        return s.length() == 0 ? "none" : s.toString();
    }

    void failure(String op, Throwable e, boolean mayHaveHappened) {
        (mayHaveHappened ? unknown : refused).increment();
        String reason = e.getClass().getSimpleName()
                + (e instanceof io.kfdfs.client.FdfsException f && f.status() != 0 ? "(" + f.status() + ")" : "");
        failuresByKind.computeIfAbsent(op + ": " + reason, k -> new LongAdder()).increment();
    }

    public static String sha256(byte[] b, int off, int len) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b, off, len);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] b) {
        return sha256(b, 0, b.length);
    }
}
