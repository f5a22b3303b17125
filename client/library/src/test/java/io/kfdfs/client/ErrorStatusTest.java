package io.kfdfs.client;

import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status replies become typed exceptions naming the server; bad replies close the connection. */
class ErrorStatusTest {

    private static final String ID = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt";

    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();
    private FdfsClient client;

    @BeforeEach
    void client() {
        client = cluster.client();
    }

    @ParameterizedTest
    @CsvSource({
        "2, io.kfdfs.client.NoSuchFileException, no such file or group (ENOENT)",
        "28, io.kfdfs.client.NoSpaceException, no space left (ENOSPC)",
        "17, io.kfdfs.client.FileExistsException, already exists (EEXIST)",
        "22, io.kfdfs.client.InvalidArgumentException, invalid argument (EINVAL)",
        "16, io.kfdfs.client.FdfsException, busy (EBUSY)",
    })
    void aStorageStatusBecomesItsTypedExceptionAndTheConnectionStaysPooled(int status, Class<?> type, String text) {
        cluster.storage.fail(Cmd.DELETE_FILE, status);
        FdfsException e = assertThrows(FdfsException.class, () -> client.delete(ID));
        assertEquals(type, e.getClass());
        assertEquals(status, e.status());
        String server = "127.0.0.1:" + cluster.storageServer.port();
        assertEquals(server, e.server());
        assertEquals(ID + ": " + text + " from " + server, e.getMessage());

        assertThrows(FdfsException.class, () -> client.delete(ID));
        assertEquals(1, cluster.storageServer.connections());
        assertEquals(1, cluster.trackerServer.connections());
    }

    @Test
    void aTrackerStatusNamesTheTracker() throws Exception {
        try (FakeServer full = FakeServer.start(r -> FakeServer.Reply.error(Status.ENOSPC));
             FdfsClient c = FdfsClient.create(ClientSettings.builder().tracker(full.address()).build())) {
            NoSpaceException e = assertThrows(NoSpaceException.class, () -> c.upload(new byte[1], "txt"));
            assertEquals("127.0.0.1:" + full.port(), e.server());
            assertTrue(e.getMessage().startsWith("upload: no space left (ENOSPC)"), e.getMessage());
        }
    }

    @Test
    void anErrorReplyWithABodyIsABadReplyAndItsConnectionIsClosed() throws Exception {
        byte[] errorWithBody = {0, 0, 0, 0, 0, 0, 0, 1, 100, 2, 0};
        try (FakeServer odd = FakeServer.start(r -> FakeServer.Reply.raw(errorWithBody));
             FdfsClient c = FdfsClient.create(ClientSettings.builder().tracker(odd.address()).build())) {
            ConnectionException e = assertThrows(ConnectionException.class, () -> c.listGroups());
            assertEquals(Status.EIO, e.status());
            assertThrows(ConnectionException.class, () -> c.listGroups());
            assertEquals(2, odd.connections());
        }
    }

    @Test
    void aReplyThatIsNotARespIsRejected() throws Exception {
        byte[] notResp = Header.request(Cmd.ACTIVE_TEST, 0).toBytes();
        try (FakeServer odd = FakeServer.start(r -> FakeServer.Reply.raw(notResp));
             FdfsClient c = FdfsClient.create(ClientSettings.builder().tracker(odd.address()).build())) {
            ConnectionException e = assertThrows(ConnectionException.class, () -> c.listGroups());
            assertTrue(e.getMessage().contains("not FastDFS"), e.getMessage());
            assertTrue(e.requestSent());
        }
    }

    @Test
    void aMissingMetadataIsNoSuchFile() throws Exception {
        String id = client.upload(new byte[3], "bin");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> client.getMetadata(id));
        assertFalse(e.getMessage().isEmpty());
        client.setMetadata(id, Map.of("a", "1"), MetadataMode.MERGE);
        assertEquals(Map.of("a", "1"), client.getMetadata(id));
    }
}
