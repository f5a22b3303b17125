package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * One storage-stat record of 92 LIST_STORAGE (docs/protocol.md §3.7): {@code 471 + S} bytes (487 / 517) since
 * 6.13.1, or the 612-byte legacy layout of ≤ 6.10 (Appendix A, V6.06) that fastdfs-client-java ≤ 1.27 and
 * tobato 1.27.2 read: no rw_mode and reserved_mb, a 128-byte domain name and an HTTP port (written empty
 * and 0), a 6-byte version and S = 16.
 */
public record StorageStat(int status, int rwMode, String id, String ip, String srcId, String version,
                          long joinTime, long upTime, long totalMb, long freeMb, long reservedMb,
                          long uploadPriority, long storePathCount, long subdirCountPerPath,
                          long currentWritePath, int storagePort, StatBlock stat, boolean trunkServer) {

    public static final int LEGACY_SIZE = 612;
    /** What a legacy record implies for the fields it lacks: readable and writable. */
    public static final int RW_BOTH = 6;
    private static final int DOMAIN_NAME_SIZE = 128;
    private static final int LEGACY_VERSION_SIZE = 6;

    public static int size(int ipSize, boolean legacy) {
        return legacy ? LEGACY_SIZE : 471 + ipSize;
    }

    static StorageStat decode(ByteBuffer in, int ipSize, boolean legacy) throws ProtocolException {
        Fields.need(in, size(ipSize, legacy), "storage stat");
        int status = in.get() & 0xFF;
        int rwMode = legacy ? RW_BOTH : in.get() & 0xFF;
        String id = Fields.getFixed(in, Fields.STORAGE_ID_SIZE, "id");
        String ip = Fields.getFixed(in, legacy ? Fields.IPV4_SIZE : ipSize, "ip");
        if (legacy) {
            Fields.getFixed(in, DOMAIN_NAME_SIZE, "domain name");
        }
        String srcId = Fields.getFixed(in, Fields.STORAGE_ID_SIZE, "src id");
        String version = Fields.getFixed(in, legacy ? LEGACY_VERSION_SIZE : Fields.VERSION_SIZE, "version");
        long joinTime = in.getLong();
        long upTime = in.getLong();
        long total = in.getLong();
        long free = in.getLong();
        long reserved = legacy ? 0 : in.getLong();
        long priority = in.getLong();
        long paths = in.getLong();
        long subdirs = in.getLong();
        long writePath = in.getLong();
        int port = Wire.getPort(in, "storage port");
        if (legacy) {
            in.getLong(); // storage_http_port: no built-in HTTP server since 6.13
        }
        StatBlock stat = StatBlock.read(in);
        return new StorageStat(status, rwMode, id, ip, srcId, version, joinTime, upTime, total, free, reserved,
                priority, paths, subdirs, writePath, port, stat, in.get() != 0);
    }

    void encodeTo(ByteBuffer out, int ipSize, boolean legacy) {
        out.put((byte) status);
        if (!legacy) {
            out.put((byte) rwMode);
        }
        Fields.putFixed(out, id, Fields.STORAGE_ID_SIZE);
        Fields.putFixed(out, ip, legacy ? Fields.IPV4_SIZE : ipSize);
        if (legacy) {
            Fields.putFixed(out, "", DOMAIN_NAME_SIZE);
        }
        Fields.putFixed(out, srcId, Fields.STORAGE_ID_SIZE);
        Fields.putFixed(out, version, legacy ? LEGACY_VERSION_SIZE : Fields.VERSION_SIZE);
        out.putLong(joinTime).putLong(upTime).putLong(totalMb).putLong(freeMb);
        if (!legacy) {
            out.putLong(reservedMb);
        }
        out.putLong(uploadPriority).putLong(storePathCount).putLong(subdirCountPerPath).putLong(currentWritePath)
                .putLong(storagePort);
        if (legacy) {
            out.putLong(0);
        }
        stat.encodeTo(out);
        Wire.putBool(out, trunkServer);
    }
}
