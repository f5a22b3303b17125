package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * One group-stat record of 90/91 (docs/protocol.md §3.6): 113 bytes since 6.13.1, or the 105-byte legacy
 * layout that fastdfs-client-java ≤ 1.27 and tobato 1.27.2 read. The legacy layout is the 6.13.0 one
 * (Appendix A): no reserved_mb, readable and writable counts in the slots where ≤ 6.12 had
 * storage_http_port and active_count, so old clients see the writable count as "active".
 */
public record GroupStat(String group, long totalMb, long freeMb, long reservedMb, long trunkFreeMb,
                        long storageCount, int storagePort, long readableServerCount,
                        long writableServerCount, long currentWriteServer, long storePathCount,
                        long subdirCountPerPath, long currentTrunkFileId) {

    public static final int SIZE = 113;
    public static final int LEGACY_SIZE = 105;
    private static final int NAME_SIZE = Fields.GROUP_NAME_SIZE + 1;

    public static int size(boolean legacy) {
        return legacy ? LEGACY_SIZE : SIZE;
    }

    static GroupStat decode(ByteBuffer in, boolean legacy) throws ProtocolException {
        Fields.need(in, size(legacy), "group stat");
        String group = Fields.getFixed(in, NAME_SIZE, "group");
        long total = in.getLong();
        long free = in.getLong();
        long reserved = legacy ? 0 : in.getLong();
        long trunkFree = in.getLong();
        long storageCount = in.getLong();
        int port = Wire.getPort(in, "storage port");
        return new GroupStat(group, total, free, reserved, trunkFree, storageCount, port, in.getLong(),
                in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
    }

    void encodeTo(ByteBuffer out, boolean legacy) {
        Fields.putFixed(out, group, NAME_SIZE);
        out.putLong(totalMb).putLong(freeMb);
        if (!legacy) {
            out.putLong(reservedMb);
        }
        out.putLong(trunkFreeMb).putLong(storageCount).putLong(storagePort).putLong(readableServerCount)
                .putLong(writableServerCount).putLong(currentWriteServer).putLong(storePathCount)
                .putLong(subdirCountPerPath).putLong(currentTrunkFileId);
    }
}
