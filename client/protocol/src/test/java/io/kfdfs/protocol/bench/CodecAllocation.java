package io.kfdfs.protocol.bench;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.storage.UploadFileRequest;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Bytes allocated per header + upload-request encode/decode, measured with the JVM's per-thread
 * allocation counter after warm-up (so escape analysis has had its chance). Run with
 * {@code make bench-codec}; it prints one line per case.
 */
public final class CodecAllocation {

    private static final int OPS = 2_000_000;
    private static long sink;

    public static void main(String[] args) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(Header.SIZE + UploadFileRequest.FIXED_SIZE);
        byte[] frame = encode(out).array().clone();
        report("encode header + upload request into a reused buffer", () -> {
            sink += encode(out).get(9);
        });
        report("decode header + upload request from a byte[]", () -> {
            ByteBuffer in = ByteBuffer.wrap(frame);
            Header h = Header.decode(in);
            UploadFileRequest r = UploadFileRequest.decode(in, h.bodyLength());
            sink += r.fileSize();
        });
        report("Body.request(): a fresh frame per request", () -> {
            sink += new UploadFileRequest(0, 5, "txt").request(Cmd.UPLOAD_FILE).limit();
        });
        System.out.println("(sink " + sink + ")");
    }

    private static ByteBuffer encode(ByteBuffer out) {
        out.clear();
        UploadFileRequest req = new UploadFileRequest(0, 5, "txt");
        Header.request(Cmd.UPLOAD_FILE, req.size() + req.contentLength()).encodeTo(out);
        req.encodeTo(out);
        return out.flip();
    }

    interface Op {
        void run() throws ProtocolException;
    }

    private static void report(String name, Op op) throws ProtocolException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < OPS; i++) {
            op.run();
        }
        long before = mx.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            op.run();
        }
        long nanos = System.nanoTime() - start;
        long bytes = mx.getThreadAllocatedBytes(id) - before;
        System.out.printf("%-55s %6.1f bytes/op %7.1f ns/op%n", name, (double) bytes / OPS, (double) nanos / OPS);
    }
}
