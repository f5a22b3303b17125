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

    /** A "settle" result: ops = files checked, failures = copies still missing at the limit. */
    PhaseResult await(GroupFile[] files) throws IOException {
        long t0 = System.nanoTime();
        Map<String, List<HostPort>> members = new HashMap<>();
        List<Copy> missing = new ArrayList<>();
        int checked = 0;
        for (GroupFile f : files) {
            if (f == null) {
                continue;
            }
            checked++;
            for (HostPort m : members.computeIfAbsent(f.group(), this::activeMembers)) {
                missing.add(new Copy(id(f), m));
            }
        }
        long deadline = t0 + LIMIT.toNanos();
        String firstError = null;
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            List<Copy> still = new ArrayList<>();
            for (Copy c : missing) {
                try {
                    client.storage().queryFileInfo(c.member, c.file, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32);
                } catch (FdfsException e) {
                    if (e.status() != Status.ENOENT) {
                        firstError = firstError == null ? c.member + ": " + e.getMessage() : firstError;
                    }
                    still.add(c);
                }
            }
            missing = still;
            if (!missing.isEmpty()) {
                pause();
            }
        }
        long wall = System.nanoTime() - t0;
        return new PhaseResult("settle", checked, missing.size(), 0, 0, wall, new long[0],
                missing.isEmpty() ? null : missing.size() + " copies missing after " + LIMIT.toSeconds() + " s"
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

    private record Copy(FileId file, HostPort member) {
    }

    @Override
    public void close() {
        client.close();
    }
}
