package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Request of 85 STORAGE_REPLICA_CHG (docs/protocol.md §5.2): 1 … 32 storage briefs. */
public record ReplicaChange(List<StorageBrief> storages) implements Body {

    public static final int MAX_STORAGES = 32;

    public ReplicaChange {
        storages = List.copyOf(storages);
    }

    public static ReplicaChange decode(ByteBuffer body) throws ProtocolException {
        int n = Wire.count(body, StorageBrief.SIZE, false, "replica change");
        if (n > MAX_STORAGES) {
            throw ProtocolException.invalid("replica change: " + n + " storages > " + MAX_STORAGES);
        }
        List<StorageBrief> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(StorageBrief.read(body));
        }
        return new ReplicaChange(list);
    }

    @Override
    public int size() {
        return storages.size() * StorageBrief.SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (StorageBrief b : storages) {
            b.encodeTo(out);
        }
    }
}
