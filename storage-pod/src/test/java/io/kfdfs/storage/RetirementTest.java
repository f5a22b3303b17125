package io.kfdfs.storage;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StorageStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code FdfsClient.retire} (and so {@code fdfs retire}) with two members and two trackers: refused, with
 * the reason, while the other member lacks some of the storage's changes; then the storage leaves with every
 * file on the other member, and no tracker lists it in its group any more.
 */
class RetirementTest {

    @TempDir
    Path dir;

    @Test
    void refusedWhileAPeerLacksChangesThenTheStorageLeavesWithoutLosingAFile() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2, 2, false)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            try (TestClient a = g.member(0).client()) {
                for (int i = 0; i < 20; i++) {
                    a.upload(("before " + i).getBytes(), "txt");
                }
            }
            g.awaitSameTrees(2, 10);

            g.stop(1);
            try (TestClient a = g.member(0).client()) {
                for (int i = 0; i < 5; i++) {
                    a.upload(("only on 100001 " + i).getBytes(), "txt");
                }
            }
            ClientSettings.Builder settings = ClientSettings.builder();
            g.trackers().forEach(settings::tracker);
            try (FdfsClient client = FdfsClient.create(settings.build())) {
                FdfsException refused = assertThrows(FdfsException.class,
                        () -> client.retire(ReplicaGroup.id(0), Duration.ofSeconds(2)));
                assertEquals(Status.EBUSY, refused.status());
                assertTrue(refused.getMessage().contains("100002"), refused.getMessage());
                try (TestClient a = g.member(0).client()) {
                    a.upload("writable again".getBytes(), "txt");
                }

                g.start(1);
                g.awaitActive(1);
                client.retire(ReplicaGroup.id(0), Duration.ofSeconds(60));
            }
            g.member(0).server.retired().await(10, TimeUnit.SECONDS);
            Map<String, String> files = MixedLoad.tree(g.base(0));
            assertEquals(26, files.size());
            assertEquals(files, MixedLoad.tree(g.base(1)), "the other member has every file");
            for (int t = 0; t < 2; t++) {
                List<String> listed = g.tracker(t).storages("group1").stream().map(StorageStat::id).toList();
                assertEquals(List.of(ReplicaGroup.id(1)), listed, "tracker " + t + " lists only the remaining member");
            }
            assertEquals(StorageStatus.ACTIVE, g.storage(1).orElseThrow().status());
            g.stop(0);
            // started again on its retired data (a kept volume): a new member, its stale files deleted, full-synced
            Files.writeString(g.base(0).resolve("data/00/00/stale-file-of-the-retired-member"), "stale");
            g.start(0);
            g.awaitActive(0);
            g.awaitSameTrees(2, 30);
            assertEquals(files, MixedLoad.tree(g.base(0)), "every file of the group, and nothing else");
            assertFalse(Files.exists(g.base(0).resolve("data/.retired")));
        }
    }
}
