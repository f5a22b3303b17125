package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.FetchOnePathBinlogRequest;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FETCH_ONE_PATH_BINLOG (26, §4.14) as a C storage recovering a disk asks for it (capture #1788/#1789). */
class BinlogExportTest {

    @TempDir
    Path dir;

    @Test
    void streamsOneCreationLinePerExistingFileThenTheByteCountAndCloses() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            String kept;
            String metadataOf;
            String renamed;
            try (TestClient c = storage.client()) {
                kept = c.upload("kept".getBytes(), "txt");
                String deleted = c.upload("deleted".getBytes(), "txt");
                assertEquals(0, c.delete(deleted).status());
                metadataOf = c.upload("with metadata".getBytes(), "txt");
                assertEquals(0, c.setMetadata(metadataOf, SetMetadataRequest.OVERWRITE, Metadata.of(Map.of("a", "1"))).status());
                assertEquals(0, c.setMetadata(metadataOf, SetMetadataRequest.MERGE, Metadata.of(Map.of("b", "2"))).status());
                String appender = c.uploadAppender("appender".getBytes(), "log");
                renamed = TestClient.name(c.call(Cmd.REGENERATE_APPENDER_FILENAME, new RegenerateAppenderRequest(appender)));
            }
            try (Socket s = new Socket("127.0.0.1", storage.server.port())) {
                s.getOutputStream().write(new FetchOnePathBinlogRequest("group1", 0).request(Cmd.FETCH_ONE_PATH_BINLOG).array());
                DataInputStream in = new DataInputStream(s.getInputStream());
                Header h = Header.decode(in.readNBytes(Header.SIZE), 0);
                assertEquals(1L << 58, h.bodyLength(), "an endless body, as C announces it");
                assertEquals(Status.OK, h.status());
                byte[] rest = in.readAllBytes();
                String lines = new String(rest, 0, rest.length - 8, StandardCharsets.ISO_8859_1);
                assertEquals(rest.length - 8, ByteBuffer.wrap(Arrays.copyOfRange(rest, rest.length - 8, rest.length)).getLong(),
                        "the trailer counts the line bytes");
                List<String> names = lines.lines().map(l -> {
                    assertTrue(l.matches("\\d+ C M00/.*"), l);
                    return l.substring(l.indexOf(" C ") + 3);
                }).toList();
                assertEquals(List.of(kept, metadataOf, metadataOf + "-m", renamed), names);
            }
        }
    }

    @Test
    void refusesAnotherGroupOrStorePath() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            assertEquals(Status.EINVAL, c.call(Cmd.FETCH_ONE_PATH_BINLOG, new FetchOnePathBinlogRequest("group2", 0)).status());
            assertEquals(Status.EINVAL, c.call(Cmd.FETCH_ONE_PATH_BINLOG, new FetchOnePathBinlogRequest("group1", 1)).status());
        }
    }
}
