package io.kfdfs.storage;

import io.kfdfs.storage.commands.ContentWriter;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Content written in batches: exact bytes and CRC however the content arrives, with or without fsync. */
class ContentWriterTest {

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static int crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    void contentArrivingInSmallPiecesSpanningBatchesIsExact() throws Exception {
        byte[] content = random(3 * ContentWriter.BATCH + 777, 1);
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            c.send(new UploadFileRequest(-1, content.length, "bin").request(Cmd.UPLOAD_FILE));
            for (int off = 0; off < content.length; off += 1000) {
                c.send(Arrays.copyOfRange(content, off, Math.min(content.length, off + 1000)));
            }
            TestClient.Reply r = c.read();
            assertEquals(0, r.status());
            String name = new String(r.body(), 16, r.body().length - 16).trim();
            assertEquals(crc(content), FileInfo.decode(RemoteFilename.parse(name)).crc32());
            assertArrayEquals(content, c.download(name));
            assertEquals(0, storage.tempFiles());
        }
    }

    @Test
    void withAnFsyncPolicyUploadsAndAppendsAreExact() throws Exception {
        byte[] first = random(ContentWriter.BATCH * 2 + 5, 2);
        byte[] more = random(ContentWriter.BATCH + 9, 3);
        try (StorageFixture storage = new StorageFixture(dir, "fsync_after_written_bytes = 100000");
             TestClient c = storage.client()) {
            String name = c.uploadAppender(first, "bin");
            assertEquals(0, c.append(name, more).status());
            byte[] both = Arrays.copyOf(first, first.length + more.length);
            System.arraycopy(more, 0, both, first.length, more.length);
            assertArrayEquals(both, c.download(name));
            assertEquals(0, c.upload(Cmd.UPLOAD_FILE, -1, "", new byte[0]).status());
        }
    }
}
