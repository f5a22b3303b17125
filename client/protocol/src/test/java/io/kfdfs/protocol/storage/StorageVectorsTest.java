package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every captured storage frame decodes, and re-encodes to the captured bytes. */
class StorageVectorsTest {

    private static List<VectorFrame> storageFrames() {
        List<VectorFrame> all = new ArrayList<>();
        for (List<VectorFrame> frames : Vectors.all().values()) {
            for (VectorFrame f : frames) {
                if (f.serverRole().startsWith("storage") && !f.truncated()) {
                    all.add(f);
                }
            }
        }
        return all;
    }

    @Test
    void everyCapturedRequestRoundTrips() throws ProtocolException {
        int decoded = 0;
        for (VectorFrame f : storageFrames()) {
            if (!f.request() || f.crafted()) {
                continue;
            }
            Body body = StorageBodies.request(f.cmd(), f.status(), f.body());
            if (f.length() == 0) {
                continue;
            }
            assertNotNull(body, f.toString());
            byte[] expected = f.bytes();
            ByteBuffer frame = body instanceof ContentRequest c ? c.frame(f.cmd(), f.status()) : body.frame(f.cmd(), f.status());
            byte[] encoded = new byte[frame.remaining()];
            frame.get(encoded);
            // Content requests encode header + fixed part only; the content follows unchanged.
            byte[] head = Arrays.copyOf(expected, encoded.length);
            assertArrayEquals(mask(head, f.cmd()), mask(encoded, f.cmd()), f.toString());
            assertEquals(f.length(), Header.decode(encoded, 0).bodyLength(), f.toString());
            decoded++;
        }
        assertEquals(232, decoded, "every non-empty captured request");
    }

    @Test
    void everyCapturedReplyDecodes() throws ProtocolException {
        int decoded = 0;
        for (VectorFrame f : storageFrames()) {
            if (f.request() || f.status() != 0 || f.length() == 0) {
                continue;
            }
            Body body = StorageBodies.response(f.reqCmd(), f.body());
            if (f.reqCmd() == Cmd.DOWNLOAD_FILE) {
                continue;
            }
            assertNotNull(body, f.toString());
            ByteBuffer frame = body.response();
            byte[] encoded = new byte[frame.remaining()];
            frame.get(encoded);
            if (f.reqCmd() == Cmd.SYNC_RENAME_FILE) {
                // a C rename reply echoes the request body, junk after the group's NUL included (testdata/vectors/NOTES.md D1)
                assertArrayEquals(mask(f.bytes(), Cmd.SYNC_RENAME_FILE), mask(encoded, Cmd.SYNC_RENAME_FILE), f.toString());
            } else {
                assertArrayEquals(f.bytes(), encoded, f.toString());
            }
            decoded++;
        }
        assertTrue(decoded > 70, "decoded " + decoded);
    }

    @Test
    void queryFileInfoReplyCarriesSignExtendedCrc() throws ProtocolException {
        VectorFrame f = Vectors.load("04_file_info_delete.jsonl").stream()
                .filter(v -> !v.request() && v.reqCmd() == Cmd.QUERY_FILE_INFO && v.status() == 0)
                .filter(v -> v.bytes()[10 + 16] == (byte) 0xFF).findFirst().orElseThrow();
        QueryFileInfoResponse r = QueryFileInfoResponse.decode(f.body());
        assertEquals(70000, r.fileSize());
        assertEquals(0x9fe1c7c1, r.crc32());
        assertEquals("127.0.0.1", r.sourceIp());
        assertEquals(16, r.ipSize());
    }

    /**
     * Each crafted malformed request to a storage fails to decode with the status the C storage
     * answered. Crafted requests that are well-formed (a missing file, an unknown command, a wrong
     * group that only the server can judge) are checked as such.
     */
    @Test
    void craftedErrorsMatchTheCStorage() throws ProtocolException {
        List<VectorFrame> frames = Vectors.load("08_errors.jsonl");
        Set<Integer> semantic = Set.of(Cmd.QUERY_FILE_INFO, Cmd.GET_METADATA);
        int checked = 0;
        for (int i = 0; i < frames.size(); i++) {
            VectorFrame f = frames.get(i);
            if (!f.crafted() || !f.request() || !f.serverRole().startsWith("storage")) {
                continue;
            }
            VectorFrame reply = i + 1 < frames.size() && frames.get(i + 1).conn() == f.conn()
                    && !frames.get(i + 1).request() ? frames.get(i + 1) : null;
            if (f.length() < 0) {
                ProtocolException e = assertThrows(ProtocolException.class, () -> Header.decode(f.bytes(), 0));
                assertTrue(e.closeConnection());
                assertEquals(null, reply, "C closed without reply");
                checked++;
                continue;
            }
            if (reply == null || reply.status() == 0 || f.cmd() == Cmd.QUIT) {
                continue;
            }
            Body body;
            try {
                body = StorageBodies.request(f.cmd(), f.status(), f.body());
            } catch (ProtocolException e) {
                assertEquals(reply.status(), e.status(), f + ": " + e.getMessage());
                checked++;
                continue;
            }
            if (body == null) {
                assertEquals(200, f.cmd(), f.toString());
                assertEquals(Status.EINVAL, reply.status());
            } else if (f.desc().contains("wrong group")) {
                DownloadRequest d = (DownloadRequest) body;
                assertFalse(d.group().equals("group1"));
                assertEquals(Status.EINVAL, reply.status());
            } else {
                assertTrue(semantic.contains(f.cmd()), "should have failed to decode: " + f);
                FileId.of(((GroupFile) body).group(), ((GroupFile) body).filename());
            }
            checked++;
        }
        assertEquals(7, checked);
    }

    /** Zeroes the bytes after the first NUL of the group field (C leaves junk there, testdata/vectors/NOTES.md D4). */
    private static byte[] mask(byte[] frame, int cmd) {
        byte[] copy = frame.clone();
        int start = Header.SIZE + StorageBodies.groupOffset(cmd);
        int end = Math.min(copy.length, start + 16);
        boolean afterNul = false;
        for (int i = start; i < end; i++) {
            if (afterNul) {
                copy[i] = 0;
            } else if (copy[i] == 0) {
                afterNul = true;
            }
        }
        return copy;
    }
}
