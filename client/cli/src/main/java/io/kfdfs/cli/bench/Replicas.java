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

    private final FdfsClient client;

    Replicas(ClientSettings settings) {
        this.client = FdfsClient.create(settings);
    }

    /**
     * A "settle" result: ops = files checked, failures = copies still missing at the limit. Each member is
     * asked for the files in upload order and, at the first it lacks, asked again from there after a pause:
     * copies arrive about in that order, and asking for every missing copy on every pass would load the
     * storages whose progress is being measured.
     */
    PhaseResult await(GroupFile[] files) throws IOException {
        long t0 = System.nanoTime();
        Map<String, List<HostPort>> groups = new HashMap<>();
        Map<HostPort, List<FileId>> expected = new LinkedHashMap<>();
        int checked = 0;
        for (GroupFile f : files) {
            if (f == null) {
                continue;
            }
            checked++;
            FileId id = id(f);
            for (HostPort m : groups.computeIfAbsent(f.group(), this::activeMembers)) {
                expected.computeIfAbsent(m, k -> new ArrayList<>()).add(id);
            }
        }
        Map<HostPort, Integer> confirmed = new HashMap<>();
        long deadline = t0 + LIMIT.toNanos();
        String firstError = null;
        int missing = 1;
        while (missing > 0 && System.nanoTime() < deadline) {
            missing = 0;
            for (Map.Entry<HostPort, List<FileId>> e : expected.entrySet()) {
                int next = confirmed.getOrDefault(e.getKey(), 0);
                for (; next < e.getValue().size(); next++) {
                    try {
                        client.storage().queryFileInfo(e.getKey(), e.getValue().get(next),
                                QueryFileInfoResponse.FLAG_NOT_CALC_CRC32);
                    } catch (FdfsException x) {
                        if (x.status() != Status.ENOENT && firstError == null) {
                            firstError = e.getKey() + ": " + x.getMessage();
                        }
                        break;
                    }
                }
                confirmed.put(e.getKey(), next);
                missing += e.getValue().size() - next;
            }
            if (missing > 0) {
                pause();
            }
        }
        long wall = System.nanoTime() - t0;
        return new PhaseResult("settle", checked, missing, 0, 0, wall, new long[0],
                missing == 0 ? null : missing + " copies not confirmed after " + LIMIT.toSeconds() + " s"
                        + (firstError == null ? "" : "; " + firstError), Map.of());
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
