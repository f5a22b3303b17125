package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.FileRecord;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.tracker.ServerAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Whether trackers send clients to a member for files it does not have. */
final class ReadChecks {

    private ReadChecks() {
    }

    /**
     * Asks every tracker where to read 30 random files of {@code member}'s group (QUERY_FETCH_ONE); each time
     * {@code member} is named, its disk must hold the file, unless no other member holds it either (deleted
     * meanwhile). Returns how many times it was named; a violation is added for each file it lacked.
     */
    static int handedTo(FdfsClient client, LocalCluster cluster, Ledger ledger, Node member, List<String> violations)
            throws Exception {
        List<FileRecord> sample = new ArrayList<>(ledger.files().stream().filter(r -> r.group().equals(member.group()))
                .toList());
        Collections.shuffle(sample);
        int g = Integer.parseInt(member.group().substring("group".length()));
        int handed = 0;
        for (FileRecord r : sample.subList(0, Math.min(30, sample.size()))) {
            FileId id = FileId.parse(r.fileId());
            for (Node t : cluster.trackers()) {
                ServerAddress where;
                try {
                    where = client.tracker().only(t.hostPort()).queryFetch(id).server();
                } catch (RuntimeException noAnswer) {
                    continue;
                }
                if (!where.ip().equals(member.address())) {
                    continue;
                }
                handed++;
                if (!Files.exists(file(member, r)) && cluster.group(g).stream()
                        .anyMatch(m -> m != member && Files.exists(file(m, r)))) {
                    violations.add(t.name() + " sent a read of " + r.fileId() + " to " + member.name() + ", which lacks it");
                }
            }
        }
        return handed;
    }

    private static Path file(Node m, FileRecord r) {
        return m.store().resolve("data").resolve(r.remoteName().substring("M00/".length()));
    }
}
