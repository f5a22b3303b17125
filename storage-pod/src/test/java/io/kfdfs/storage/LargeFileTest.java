package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.UploadFileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A 256 MiB file up and down through a storage whose heap is 48 MB: content streams through, it is
 * never held in memory.
 */
class LargeFileTest {

    private static final long SIZE = 256L << 20;

    @TempDir
    Path dir;

    /** Deterministic content: byte i is a function of i, generated chunk by chunk. */
    private static void fill(byte[] chunk, long offset) {
        for (int i = 0; i < chunk.length; i++) {
            long p = offset + i;
            chunk[i] = (byte) (p * 31 + (p >>> 13));
        }
    }

    @Test
    void quarterGigabyteThroughA48MegabyteHeap() throws Exception {
        try (ChildStorage storage = new ChildStorage(dir, "", "48m")) {
            CRC32 sent = new CRC32();
            String name;
            try (Socket s = new Socket("127.0.0.1", storage.port)) {
                OutputStream out = s.getOutputStream();
                out.write(bytes(new UploadFileRequest(0, SIZE, "bin").request(Cmd.UPLOAD_FILE)));
                byte[] chunk = new byte[1 << 20];
                for (long off = 0; off < SIZE; off += chunk.length) {
                    fill(chunk, off);
                    sent.update(chunk);
                    out.write(chunk);
                }
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] h = new byte[Header.SIZE];
                in.readFully(h);
                Header header = Header.decode(h, 0);
                assertEquals(0, header.status(), storage.log());
                byte[] body = new byte[(int) header.bodyLength()];
                in.readFully(body);
                name = GroupFile.decode(ByteBuffer.wrap(body)).filename();
            }
            FileInfo info = FileInfo.decode(RemoteFilename.parse(name));
            assertEquals(SIZE, info.size());
            assertEquals((int) sent.getValue(), info.crc32());
            assertEquals(SIZE, Files.size(dir.resolve("data").resolve(name.substring(4))));

            try (Socket s = new Socket("127.0.0.1", storage.port)) {
                s.getOutputStream().write(bytes(new DownloadRequest(0, 0, "group1", name).request(Cmd.DOWNLOAD_FILE)));
                InputStream in = s.getInputStream();
                byte[] h = new DataInputStream(in).readNBytes(Header.SIZE);
                assertEquals(SIZE, Header.decode(h, 0).bodyLength());
                CRC32 received = new CRC32();
                byte[] buf = new byte[1 << 20];
                long total = 0;
                while (total < SIZE) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, SIZE - total));
                    if (n < 0) {
                        break;
                    }
                    received.update(buf, 0, n);
                    total += n;
                }
                assertEquals(SIZE, total);
                assertEquals(sent.getValue(), received.getValue());
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
