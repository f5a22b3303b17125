package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 97 STORAGE_CLUSTER_STAT (docs/protocol.md §3.10): use_storage_id u8, use_trunk_file u8, count i32,
 * then 106-byte storage records.
 */
public record StorageClusterStat(boolean useStorageId, boolean useTrunkFile, List<Storage> storages)
        implements Body {

    public static final int RECORD_SIZE = 106;

    /** One storage: {@code host} is "ip:port". */
    public record Storage(String id, String host, boolean trunkServer, int status, int connAlloc,
                          int connCurrent, int connMax, String version, long upTime, long lastHeartBeatTime) {
    }

    public StorageClusterStat {
        storages = List.copyOf(storages);
    }

    public static StorageClusterStat decode(ByteBuffer body) throws ProtocolException {
        Fields.need(body, 6, "storage cluster stat header");
        boolean useId = body.get() != 0;
        boolean useTrunk = body.get() != 0;
        int count = body.getInt();
        if (count < 0 || body.remaining() != (long) count * RECORD_SIZE) {
            throw ProtocolException.invalid("storage cluster stat: count " + count + " does not match "
                    + body.remaining() + " bytes");
        }
        List<Storage> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new Storage(Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "id"),
                    Fields.getFixed(body, Fields.MAX_IP_PORT_SIZE, "host"), body.get() != 0, body.get() & 0xFF,
                    body.getInt(), body.getInt(), body.getInt(),
                    Fields.getFixed(body, Fields.VERSION_SIZE, "version"), body.getLong(), body.getLong()));
        }
        return new StorageClusterStat(useId, useTrunk, list);
    }

    @Override
    public int size() {
        return 6 + storages.size() * RECORD_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Wire.putBool(out, useStorageId);
        Wire.putBool(out, useTrunkFile);
        out.putInt(storages.size());
        for (Storage s : storages) {
            Fields.putFixed(out, s.id(), Fields.STORAGE_ID_SIZE);
            Fields.putFixed(out, s.host(), Fields.MAX_IP_PORT_SIZE);
            Wire.putBool(out, s.trunkServer());
            out.put((byte) s.status());
            out.putInt(s.connAlloc()).putInt(s.connCurrent()).putInt(s.connMax());
            Fields.putFixed(out, s.version(), Fields.VERSION_SIZE);
            out.putLong(s.upTime()).putLong(s.lastHeartBeatTime());
        }
    }
}
