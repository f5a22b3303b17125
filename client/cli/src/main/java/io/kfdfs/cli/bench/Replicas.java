package io.kfdfs.cli.bench;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.tracker.StorageStat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits, after an upload phase, until every ACTIVE member of each file's group holds every file uploaded
 * (QUERY_FILE_INFO on each member): in a replicated group the replicas' backlog of an upload phase would
 * otherwise be paid inside the next phase and counted as its cost. How long the wait took is reported as
 * a phase of its own.
 */
final class Replicas implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    /** The last files uploaded, whose copies are waited for first. */
    private static final int TAIL = 64;

    private final FdfsClient client;
    /** The first answer other than ENOENT, for the report. */
    private String firstError;

    Replicas(ClientSettings settings) {
        this.client = FdfsClient.create(settings);
    }

    /**
     * A "settle" result: ops = files checked, failures = copies still missing at the limit, wall = until the
     * last {@link #TAIL} files uploaded are on every member. Copies arrive in the order of their source's
     * binlog, so by then the others are there too: they are checked once afterwards, untimed (asking for
     * tens of thousands of files one by one took longer than the replicas did), and any found missing is
     * waited for, that wait timed. Each member is asked in upload order and, at the first copy it lacks,
     * again from there after a pause: asking for every missing copy on every pass would load the storages
     * whose progress is being measured.
     */
    PhaseResult await(GroupFile[] files) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + LIMIT.toNanos();
        firstError = null;
        Map<String, List<HostPort>> groups = new HashMap<>();
        Map<HostPort, List<FileId>> tail = new LinkedHashMap<>();
        Map<HostPort, List<FileId>> rest = new LinkedHashMap<>();
        int checked = 0;
        for (GroupFile f : files) {
            if (f == null) {
                continue;
            }
            checked++;
            FileId id = id(f);
            for (HostPort m : groups.computeIfAbsent(f.group(), this::activeMembers)) {
                tail.computeIfAbsent(m, k -> new ArrayList<>()).add(id);
            }
        }
        tail.forEach((m, ids) -> {
            List<FileId> older = ids.subList(0, Math.max(0, ids.size() - TAIL));
            rest.put(m, new ArrayList<>(older));
            older.clear();
        });
        waitFor(tail, deadline);
        long wall = System.nanoTime() - t0;
        sweep(rest);
        if (count(rest) > 0) {
            long t1 = System.nanoTime();
            waitFor(rest, deadline);
            wall += System.nanoTime() - t1;
        }
        int missing = count(tail) + count(rest);
        return new PhaseResult("settle", checked, missing, 0, 0, wall, new long[0],
                missing == 0 ? null : missing + " copies not confirmed after " + LIMIT.toSeconds() + " s"
                        + (firstError == null ? "" : "; " + firstError), Map.of());
    }

    /** Asks until every listed copy is confirmed, or until the deadline. */
    private void waitFor(Map<HostPort, List<FileId>> wanted, long deadline) throws InterruptedIOException {
        sweep(wanted);
        while (count(wanted) > 0 && System.nanoTime() < deadline) {
            pause();
            sweep(wanted);
        }
    }

    /** One pass: each member is asked for its listed copies in order up to the first it lacks; those it has leave the list. */
    private void sweep(Map<HostPort, List<FileId>> wanted) {
        for (Map.Entry<HostPort, List<FileId>> e : wanted.entrySet()) {
            List<FileId> ids = e.getValue();
            int n = 0;
            while (n < ids.size() && has(e.getKey(), ids.get(n))) {
                n++;
            }
            ids.subList(0, n).clear();
        }
    }

    private boolean has(HostPort member, FileId id) {
        try {
            client.storage().queryFileInfo(member, id, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32);
            return true;
        } catch (FdfsException x) {
            if (x.status() != Status.ENOENT && firstError == null) {
                firstError = member + ": " + x.getMessage();
            }
            return false;
        }
    }

    private static int count(Map<HostPort, List<FileId>> wanted) {
        return wanted.values().stream().mapToInt(List::size).sum();
    }

    private List<HostPort> activeMembers(String group) {
        List<HostPort> active = new ArrayList<>();
        for (StorageStat s : client.listStorages(group)) {
            if (s.status() == StorageStatus.ACTIVE) {
                active.add(new HostPort(s.ip(), s.storagePort()));
            }
        }
        return active;
    }

    private static FileId id(GroupFile f) throws IOException {
        try {
            return FileId.of(f.group(), f.filename());
        } catch (ProtocolException e) {
            throw new IOException("a file the upload returned does not parse: " + f, e);
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(20); // polling the members: nothing tells a client that a copy has arrived
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the replicas");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
