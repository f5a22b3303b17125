package io.kfdfs.protocol.bench;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.UploadFileRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The codec's per-request work, in ns/op and (with {@code -prof gc}, as {@code make bench-codec} runs it)
 * bytes allocated per op: what every upload costs the client and the storage before any I/O.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {

    private final ByteBuffer out = ByteBuffer.allocate(Header.SIZE + UploadFileRequest.FIXED_SIZE);
    private final byte[] frame = encode(ByteBuffer.allocate(Header.SIZE + UploadFileRequest.FIXED_SIZE)).array();
    private final FileName.Block block = new FileName.Block(0x7F000001, 1_795_000_000L,
            FileName.sizeField(4096, false, 0x1234567), 0xCAFEBABE);
    private final String name = "M00/00/84/fwAAAWsHaaeAS-OTAAAQAJOYTXg1015955.txt";

    private static ByteBuffer encode(ByteBuffer out) {
        out.clear();
        UploadFileRequest req = new UploadFileRequest(0, 4096, "txt");
        Header.request(Cmd.UPLOAD_FILE, req.size() + req.contentLength()).encodeTo(out);
        req.encodeTo(out);
        return out.flip();
    }

    /** The client's side of an upload: header and fixed part into a reused buffer. */
    @Benchmark
    public ByteBuffer encodeUploadRequest() {
        return encode(out);
    }

    /** The storage's side: header and fixed part from the bytes received. */
    @Benchmark
    public long decodeUploadRequest() throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(frame);
        Header h = Header.decode(in);
        return UploadFileRequest.decode(in, h.bodyLength()).fileSize();
    }

    /** A fresh frame per request, as {@code Body.request()} builds it. */
    @Benchmark
    public ByteBuffer freshRequestFrame() {
        return new UploadFileRequest(0, 4096, "txt").request(Cmd.UPLOAD_FILE);
    }

    /** Naming a new file: the 20-byte block in FastDFS base64, directories and extension. */
    @Benchmark
    public String newRemoteFilename() {
        return FileName.remoteFilename(0, 0x12, 0x34, block, "015955.txt");
    }

    /** Checking a file name a request carries, and its path below the store path. */
    @Benchmark
    public String parseRemoteFilename() throws ProtocolException {
        return RemoteFilename.parse(name).dataPath();
    }
}
