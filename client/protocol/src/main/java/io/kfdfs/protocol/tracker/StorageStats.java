package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reply of 92 LIST_STORAGE: n {@link StorageStat} records in one layout. */
public record StorageStats(List<StorageStat> storages, int ipSize, boolean legacy) implements Body {

    public StorageStats {
        Wire.checkIpSize(ipSize);
        storages = List.copyOf(storages);
    }

    /**
     * Decodes whichever layout the length fits, trying 487, 517 and 612 bytes per record in that order
     * (the clients' order; docs/protocol.md Appendix C.5 on the ambiguity).
     */
    public static StorageStats decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len % StorageStat.size(Fields.IPV4_SIZE, false) == 0) {
            return decode(body, Fields.IPV4_SIZE, false);
        }
        if (len % StorageStat.size(Fields.IPV6_SIZE, false) == 0) {
            return decode(body, Fields.IPV6_SIZE, false);
        }
        return decode(body, Fields.IPV4_SIZE, true);
    }

    public static StorageStats decode(ByteBuffer body, int ipSize, boolean legacy) throws ProtocolException {
        int n = Wire.count(body, StorageStat.size(ipSize, legacy), true, "storage stats");
        List<StorageStat> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(StorageStat.decode(body, ipSize, legacy));
        }
        return new StorageStats(list, legacy ? Fields.IPV4_SIZE : ipSize, legacy);
    }

    @Override
    public int size() {
        return storages.size() * StorageStat.size(ipSize, legacy);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (StorageStat s : storages) {
            s.encodeTo(out, ipSize, legacy);
        }
    }
}
