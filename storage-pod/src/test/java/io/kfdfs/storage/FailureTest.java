package io.kfdfs.storage;

import io.kfdfs.conf.ReservedSpace;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.storage.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full disks, clients that vanish or stall: nothing half-written ever becomes visible. */
class FailureTest {

    @TempDir
    Path dir;

    /** Number of data files (not directories, not temporaries) under data/HH/HH. */
    private static long dataFiles(Path base) throws Exception {
        try (Stream<Path> s = Files.walk(base.resolve("data"), 3)) {
            return s.filter(Files::isRegularFile).filter(p -> base.resolve("data").relativize(p).getNameCount() == 3).count();
        }
    }

    private static void waitForTempFiles(StorageFixture storage, long count) throws Exception {
        eventually(storage::tempFiles, n -> n == count, count + " temporary upload files");
    }

    @Test
    void trunkCommandsAreNotSupportedAndTheConnectionCarriesOn() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "");
             TestClient c = storage.client()) {
            var alloc = new io.kfdfs.protocol.storage.TrunkAllocRequest(storage.server.identity().group(), 1048, 0);
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.TRUNK_ALLOC_SPACE, alloc).status());
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.TRUNK_GET_BINLOG_SIZE, io.kfdfs.protocol.Body.EMPTY).status());
            assertEquals(0, c.upload(Cmd.UPLOAD_FILE, 0, "txt", "after".getBytes()).status());
        }
    }

    @Test
    void fullDiskAnswersEnospcBeforeWriting() throws Exception {
        AtomicLong freeMb = new AtomicLong(1030);
        DiskSpace nearlyFull = path -> new DiskSpace.Usage(100_000, freeMb.get());
        try (StorageFixture storage = StorageFixture.at(dir).disk(nearlyFull).start();
             TestClient c = storage.client()) {
            storage.server.store().setPolicy(ReservedSpace.ofMegabytes(1024), Store.STORE_PATH_ROUND_ROBIN);
            assertEquals(Status.ENOSPC, c.upload(Cmd.UPLOAD_FILE, 0, "bin", new byte[8 << 20]).status());
            assertEquals(Status.ENOSPC, c.upload(Cmd.UPLOAD_FILE, -1, "bin", new byte[8 << 20]).status());
            assertEquals(0, dataFiles(storage.base));
            assertEquals(0, storage.tempFiles());
            // the connection carries on after the refused body
            assertEquals(0, c.upload(Cmd.UPLOAD_FILE, 0, "bin", new byte[1 << 20]).status());

            storage.server.store().setPolicy(ReservedSpace.ofRatio(0.2), Store.STORE_PATH_ROUND_ROBIN);
            freeMb.set(20_001);
            assertEquals(Status.ENOSPC, c.upload(Cmd.UPLOAD_FILE, -1, "bin", new byte[1 << 20]).status());
            freeMb.set(20_003);
            assertEquals(0, c.upload(Cmd.UPLOAD_FILE, -1, "bin", new byte[1 << 20]).status());
        }
    }

    @Test
    void uploadsInFlightCountAgainstFreeSpace() throws Exception {
        DiskSpace disk = path -> new DiskSpace.Usage(100_000, 1024 + 12);
        try (StorageFixture storage = StorageFixture.at(dir).disk(disk).start();
             TestClient slow = storage.client();
             TestClient c = storage.client()) {
            storage.server.store().setPolicy(ReservedSpace.ofMegabytes(1024), Store.STORE_PATH_ROUND_ROBIN);
            // 8 MB announced but only partly sent (more than one batch, so the file exists): the room stays reserved
            slow.send(new UploadFileRequest(0, 8 << 20, "bin").request(Cmd.UPLOAD_FILE));
            slow.send(new byte[300_000]);
            waitForTempFiles(storage, 1);
            assertEquals(Status.ENOSPC, c.upload(Cmd.UPLOAD_FILE, 0, "bin", new byte[4 << 20]).status());
            slow.send(new byte[(8 << 20) - 300_000]);
            assertEquals(0, slow.read().status());
            assertEquals(0, c.upload(Cmd.UPLOAD_FILE, 0, "bin", new byte[1 << 20]).status(), "room released");
        }
    }

    @Test
    void clientThatDisconnectsMidUploadLeavesNothing() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            try (TestClient c = storage.client()) {
                c.send(new UploadFileRequest(0, 10 << 20, "bin").request(Cmd.UPLOAD_FILE));
                c.send(new byte[300_000]);
                waitForTempFiles(storage, 1);
            }
            waitForTempFiles(storage, 0);
            assertEquals(0, dataFiles(storage.base));
            assertTrue(storage.binlog().isEmpty());
            try (TestClient c = storage.client()) {
                assertEquals(0, c.upload(Cmd.UPLOAD_FILE, 0, "txt", "ok".getBytes()).status());
            }
        }
    }

    @Test
    void stalledClientIsCutOffAfterTheNetworkTimeout() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "network_timeout = 1")) {
            try (TestClient c = storage.client()) {
                c.send(new UploadFileRequest(0, 1 << 20, "bin").request(Cmd.UPLOAD_FILE));
                c.send(new byte[1000]);
                long start = System.nanoTime();
                assertTrue(c.closedWithin(30_000));
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertTrue(seconds < 10, "closed after " + seconds + " s");
            }
            waitForTempFiles(storage, 0);
            assertEquals(0, dataFiles(storage.base));
        }
    }

    @Test
    void lyingAppendLengthIsRefused() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "");
             TestClient c = storage.client()) {
            String name = c.uploadAppender("abc".getBytes(), "txt");
            byte[] body = new io.kfdfs.protocol.storage.AppendFileRequest(name, 10).toBytes();
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(10 + body.length + 3);
            new io.kfdfs.protocol.Header(body.length + 3, Cmd.APPEND_FILE, 0).encodeTo(frame);
            frame.put(body).put("xyz".getBytes());
            c.send(frame.array());
            assertEquals(Status.EINVAL, c.read().status());
            assertEquals("abc", new String(c.download(name)));
        }
    }
}
