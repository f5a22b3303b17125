package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SET_METADATA / GET_METADATA rules of §4.4 and §4.6. */
class MetadataTest {

    @TempDir
    Path dir;

    /** A buffer below the 70 000 bytes of the largest metadata here (the default, 256 KiB, would take it). */
    static final String CONF = "buff_size = 65546";

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void overwriteSortsMergeOverridesEmptyOverwriteDeletes() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF); TestClient c = storage.client()) {
            String name = c.upload("hello".getBytes(), "txt");
            assertEquals(Status.ENOENT, c.getMetadata(name).status());

            assertEquals(0, c.setMetadata(name, 'O', Metadata.parse("width\u00021024\u0001height\u0002768")).status());
            assertEquals("height\u0002768\u0001width\u00021024", text(c.getMetadata(name).body()));
            assertTrue(storage.binlog().contains(" C " + name + "-m\n"));

            assertEquals(0, c.setMetadata(name, 'M', Metadata.parse("color\u0002red\u0001width\u0002800")).status());
            assertEquals("color\u0002red\u0001height\u0002768\u0001width\u0002800", text(c.getMetadata(name).body()));
            assertTrue(storage.binlog().contains(" U " + name + "-m\n"));

            assertEquals(0, c.setMetadata(name, 'M', Metadata.EMPTY).status());
            assertEquals("color\u0002red\u0001height\u0002768\u0001width\u0002800", text(c.getMetadata(name).body()));

            assertEquals(0, c.setMetadata(name, 'O', Metadata.parse("k\u0002v")).status());
            assertEquals("k\u0002v", text(c.getMetadata(name).body()));

            assertEquals(0, c.setMetadata(name, 'O', Metadata.EMPTY).status());
            assertFalse(Files.exists(storage.file(name + "-m")));
            assertEquals(Status.ENOENT, c.getMetadata(name).status());
            assertTrue(storage.binlog().contains(" D " + name + "-m\n"));
        }
    }

    @Test
    void mergeIntoNothingCreates() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF); TestClient c = storage.client()) {
            String name = c.upload("x".getBytes(), "");
            assertEquals(0, c.setMetadata(name, 'M', Metadata.parse("b\u00022\u0001a\u00021")).status());
            assertEquals("a\u00021\u0001b\u00022", text(c.getMetadata(name).body()));
        }
    }

    @Test
    void errors() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF); TestClient c = storage.client()) {
            String name = c.upload("hello".getBytes(), "txt");
            String missing = name.replace(".txt", ".bin");
            assertEquals(Status.ENOENT, c.setMetadata(missing, 'O', Metadata.parse("a\u0002b")).status());
            assertEquals(Status.EINVAL, c.call(Cmd.SET_METADATA,
                    new SetMetadataRequest(name, 'X', "group1", "a\u0002b")).status());
            assertEquals(Status.EINVAL, c.call(Cmd.SET_METADATA,
                    new SetMetadataRequest(name, 'O', "group2", "a\u0002b")).status());
        }
    }

    @Test
    void metadataBeyondTheBufferIsRefusedAndTheConnectionClosed() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF)) {
            try (TestClient c = storage.client()) {
                String name = c.upload("hello".getBytes(), "txt");
                String huge = "k\u0002" + "v".repeat(70_000);
                SetMetadataRequest req = new SetMetadataRequest(name, 'O', "group1", huge);
                c.send(req.request(Cmd.SET_METADATA));
                TestClient.Reply r = c.read();
                assertEquals(Status.EINVAL, r.status());
                assertTrue(c.closedWithin(30_000));
            }
            try (TestClient c = storage.client()) {
                assertEquals(0, c.call(Cmd.ACTIVE_TEST, io.kfdfs.protocol.Body.EMPTY).status(), "server still serves");
            }
        }
    }

    @Test
    void longNamesAndValuesAreTruncatedAsInC() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF); TestClient c = storage.client()) {
            String name = c.upload("hello".getBytes(), "txt");
            String packed = "n".repeat(80) + "\u0002" + "v".repeat(300);
            assertEquals(0, c.call(Cmd.SET_METADATA, new SetMetadataRequest(name, 'O', "group1", packed)).status());
            assertEquals("n".repeat(64) + "\u0002" + "v".repeat(256), text(c.getMetadata(name).body()));
        }
    }

    @Test
    void headerLengthIsChecked() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, CONF); TestClient c = storage.client()) {
            String name = c.upload("hello".getBytes(), "txt");
            byte[] body = new SetMetadataRequest(name, 'O', "group1", "a\u0002b").toBytes();
            byte[] frame = new byte[Header.SIZE + body.length - 1];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(frame);
            new Header(body.length - 1, Cmd.SET_METADATA, 0).encodeTo(b);
            b.put(body, 0, body.length - 1);
            c.send(frame);
            assertEquals(Status.EINVAL, c.read().status());
        }
    }
}
