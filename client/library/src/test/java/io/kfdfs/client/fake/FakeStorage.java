package io.kfdfs.client.fake;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * An in-memory storage for tests, with the answers of docs/protocol.md §4: real file names (§7) carrying
 * {@code serverId}, ENOENT/EEXIST/EINVAL where the C storage gives them. It checks nothing a test does
 * not need (no store paths, no binlog).
 */
public final class FakeStorage implements FakeServer.Handler {

    private final String group;
    private final int serverId;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Metadata> metadata = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Random random = new Random(42);
    private volatile int failCmd = -1;
    private volatile int failStatus;

    public FakeStorage(String group, int serverId) {
        this.group = group;
        this.serverId = serverId;
    }

    /** Answers every request with {@code cmd} with {@code status} from now on. */
    public FakeStorage fail(int cmd, int status) {
        failCmd = cmd;
        failStatus = status;
        return this;
    }

    public byte[] content(String fileId) {
        return files.get(remote(fileId));
    }

    public Map<String, String> metadata(String fileId) {
        Metadata m = metadata.get(remote(fileId));
        return m == null ? null : m.asMap();
    }

    public boolean exists(String fileId) {
        return files.containsKey(remote(fileId));
    }

    /** Stores a file under a given ID, as if another storage had synced it here. */
    public void put(String fileId, byte[] content) {
        files.put(remote(fileId), content);
    }

    private String remote(String fileId) {
        return fileId.substring(fileId.indexOf('/') + 1);
    }

    @Override
    public FakeServer.Reply handle(FakeServer.Request r) throws Exception {
        int cmd = r.header().cmd();
        if (cmd == failCmd) {
            return FakeServer.Reply.error(failStatus);
        }
        ByteBuffer body = r.bodyBuffer();
        return switch (cmd) {
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE -> upload(body, cmd == Cmd.UPLOAD_APPENDER_FILE);
            case Cmd.UPLOAD_SLAVE_FILE -> uploadSlave(body);
            case Cmd.DELETE_FILE -> delete(GroupFile.decode(body));
            case Cmd.SET_METADATA -> setMetadata(SetMetadataRequest.decode(body));
            case Cmd.GET_METADATA -> getMetadata(GroupFile.decode(body));
            case Cmd.DOWNLOAD_FILE -> download(DownloadRequest.decode(body));
            case Cmd.QUERY_FILE_INFO -> fileInfo(GroupFile.decode(body));
            case Cmd.APPEND_FILE -> append(body);
            case Cmd.MODIFY_FILE -> modify(body);
            case Cmd.TRUNCATE_FILE -> truncate(TruncateFileRequest.decode(body));
            case Cmd.REGENERATE_APPENDER_FILENAME -> regenerate(RegenerateAppenderRequest.decode(body));
            case Cmd.ACTIVE_TEST -> FakeServer.Reply.ok();
            default -> FakeServer.Reply.error(Status.EINVAL);
        };
    }

    private FakeServer.Reply upload(ByteBuffer body, boolean appender) throws ProtocolException {
        UploadFileRequest req = UploadFileRequest.decode(body);
        byte[] content = rest(body);
        String name = FileName.remoteFilename(0, 0, 0, block(content, appender),
                FileName.extensionTail(req.ext(), random));
        files.put(name, content);
        return FakeServer.Reply.of(new GroupFile(group, name));
    }

    private FakeServer.Reply uploadSlave(ByteBuffer body) throws ProtocolException {
        UploadSlaveRequest req = UploadSlaveRequest.decode(body);
        if (!files.containsKey(req.masterFilename())) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        String name = FileName.slaveName(req.masterFilename(), req.prefix(), req.ext());
        if (files.putIfAbsent(name, rest(body)) != null) {
            return FakeServer.Reply.error(Status.EEXIST);
        }
        return FakeServer.Reply.of(new GroupFile(group, name));
    }

    private FakeServer.Reply delete(GroupFile f) {
        metadata.remove(f.filename());
        return files.remove(f.filename()) == null ? FakeServer.Reply.error(Status.ENOENT) : FakeServer.Reply.ok();
    }

    private FakeServer.Reply setMetadata(SetMetadataRequest req) {
        if (!files.containsKey(req.filename())) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        Metadata update = req.metadata();
        if (req.flag() == SetMetadataRequest.OVERWRITE) {
            if (update.isEmpty()) {
                metadata.remove(req.filename());
            } else {
                metadata.put(req.filename(), update.sorted());
            }
        } else if (!update.isEmpty()) {
            metadata.merge(req.filename(), update.sorted(), Metadata::merge);
        }
        return FakeServer.Reply.ok();
    }

    private FakeServer.Reply getMetadata(GroupFile f) {
        Metadata m = metadata.get(f.filename());
        return m == null || !files.containsKey(f.filename()) ? FakeServer.Reply.error(Status.ENOENT)
                : FakeServer.Reply.of(m);
    }

    private FakeServer.Reply download(DownloadRequest req) {
        byte[] content = files.get(req.filename());
        if (content == null) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        if (req.offset() >= content.length) {
            return FakeServer.Reply.error(Status.EINVAL);
        }
        long remaining = content.length - req.offset();
        int n = (int) (req.length() == 0 ? remaining : Math.min(req.length(), remaining));
        ByteBuffer frame = ByteBuffer.allocate(Header.SIZE + n);
        Header.response(n).encodeTo(frame);
        frame.put(content, (int) req.offset(), n);
        return FakeServer.Reply.raw(frame.array());
    }

    private FakeServer.Reply fileInfo(GroupFile f) throws ProtocolException {
        byte[] content = files.get(f.filename());
        if (content == null) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        long created = FileName.blockOf(RemoteFilename.parse(f.filename())).timestamp();
        return FakeServer.Reply.of(new QueryFileInfoResponse(content.length, created, crc(content), "127.0.0.1",
                Fields.IPV4_SIZE));
    }

    private FakeServer.Reply append(ByteBuffer body) throws ProtocolException {
        AppendFileRequest req = AppendFileRequest.decode(body);
        return change(req.filename(), old -> concat(old, rest(body)));
    }

    private FakeServer.Reply modify(ByteBuffer body) throws ProtocolException {
        ModifyFileRequest req = ModifyFileRequest.decode(body);
        byte[] data = rest(body);
        return change(req.filename(), old -> {
            if (req.offset() > old.length) {
                return null;
            }
            byte[] next = Arrays.copyOf(old, (int) Math.max(old.length, req.offset() + data.length));
            System.arraycopy(data, 0, next, (int) req.offset(), data.length);
            return next;
        });
    }

    private FakeServer.Reply truncate(TruncateFileRequest req) {
        return change(req.filename(), old -> Arrays.copyOf(old, (int) req.newSize()));
    }

    private FakeServer.Reply regenerate(RegenerateAppenderRequest req) throws ProtocolException {
        RemoteFilename old = RemoteFilename.parse(req.filename());
        byte[] content = files.get(req.filename());
        if (content == null) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        if (!FileName.blockOf(old).isAppender()) {
            return FakeServer.Reply.error(Status.EINVAL);
        }
        String name = FileName.regenerated(old, block(content, false));
        files.remove(req.filename());
        files.put(name, content);
        return FakeServer.Reply.of(new GroupFile(group, name));
    }

    private interface Change {
        byte[] apply(byte[] old);
    }

    /** Applies a change to an appender file: ENOENT if missing, EINVAL if not an appender or refused. */
    private FakeServer.Reply change(String name, Change change) {
        byte[] old = files.get(name);
        if (old == null) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        try {
            if (!FileName.blockOf(RemoteFilename.parse(name)).isAppender()) {
                return FakeServer.Reply.error(Status.EINVAL);
            }
        } catch (ProtocolException e) {
            return FakeServer.Reply.error(Status.EINVAL);
        }
        byte[] next = change.apply(old);
        if (next == null) {
            return FakeServer.Reply.error(Status.EINVAL);
        }
        files.put(name, next);
        return FakeServer.Reply.ok();
    }

    private FileName.Block block(byte[] content, boolean appender) {
        long time = 1_795_633_364L + sequence.incrementAndGet();
        return new FileName.Block(FileName.sourceOfServerId(serverId), time,
                FileName.sizeField(content.length, appender, random.nextInt()), crc(content));
    }

    private static int crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return (int) crc.getValue();
    }

    private static byte[] rest(ByteBuffer body) {
        byte[] b = new byte[body.remaining()];
        body.get(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
