package io.kfdfs.e2e;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.kfdfs.e2e.MixedGroup.awaitActive;
import static io.kfdfs.e2e.MixedGroup.awaitAll;
import static io.kfdfs.e2e.local.LocalCluster.STORAGE_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A C FastDFS 6.16.1 storage and kfdfs storages in one group under a kfdfs tracker, then the C storage
 * retired as docs/migration.md says,
 * with the real C daemon when this machine has one: {@code fdfs_storaged} on PATH, built with the
 * loopback patch of {@code ../shared/cref} (the stock daemon refuses a tracker on a loopback address).
 * Without it the test reports "not run" (skipped), never passed: CI has no C FastDFS.
 */
class MixedGroupTest {

    @TempDir
    Path dir;

    @Test
    void cAndKfdfsStoragesReplicateBothWaysAndTheCMemberRetiresWithoutAFileLost() throws Exception {
        try (MixedGroup mixed = new MixedGroup(dir, "mixed-group")) {
            String c = mixed.address(2);
            String k1 = mixed.address(3);
            String k2 = mixed.address(4);
            mixed.startTracker("");
            mixed.startC(c, "");
            mixed.startKfdfs("k1", k1, "");
            try (FdfsClient client = mixed.client()) {
                awaitActive(client, List.of(c, k1));
                Map<String, String> versions = new LinkedHashMap<>();
                client.listStorages("group1").forEach(s -> versions.put(s.ip(), s.version()));
                assertEquals(Map.of(c, Version.FASTDFS, k1, Version.KFDFS), versions, "each side's version");

                Map<String, byte[]> files = new LinkedHashMap<>();
                Random random = new Random(21);
                for (int i = 0; i < 30; i++) {
                    for (String member : List.of(c, k1)) {
                        byte[] content = new byte[1 + random.nextInt(200_000)];
                        random.nextBytes(content);
                        files.put(client.storage().upload(new HostPort(member, STORAGE_PORT), 0, "bin",
                                Content.of(content)), content);
                    }
                }
                awaitAll(client, files, List.of(c, k1), "uploads to either side on both");

                mixed.startKfdfs("k2", k2, "");
                awaitActive(client, List.of(c, k1, k2));
                awaitAll(client, files, List.of(k2), "the new member's full sync");

                // docs/migration.md, step 6: the C member stops and is deleted; its files stay readable by
                // their original IDs (half of them name it as their source), through the tracker
                mixed.retireC(client, c);
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    client.download(f.getKey(), out);
                    assertArrayEquals(f.getValue(), out.toByteArray(), f.getKey() + " after the C member left");
                }
            }
        }
    }
}
