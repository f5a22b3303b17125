package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 98 STORAGE_VOLUMN_STAT (docs/protocol.md §3.10): use_trunk_file u8, count i32, then 59-byte group
 * records.
 */
public record VolumeStat(boolean useTrunkFile, List<Volume> groups) implements Body {

    public static final int RECORD_SIZE = 59;
    private static final int NAME_SIZE = Fields.GROUP_NAME_SIZE + 1;

    /** One group's space in MB; {@code availMb} = free minus reserved. */
    public record Volume(String group, long totalMb, long freeMb, long reservedMb, long availMb,
                         long trunkFreeMb, boolean diskAvailable, boolean trunkAvailable) {
    }

    public VolumeStat {
        groups = List.copyOf(groups);
    }

    public static VolumeStat decode(ByteBuffer body) throws ProtocolException {
        Fields.need(body, 5, "volume stat header");
        boolean useTrunk = body.get() != 0;
        int count = body.getInt();
        if (count < 0 || body.remaining() != (long) count * RECORD_SIZE) {
            throw ProtocolException.invalid("volume stat: count " + count + " does not match "
                    + body.remaining() + " bytes");
        }
        List<Volume> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new Volume(Fields.getFixed(body, NAME_SIZE, "group"), body.getLong(), body.getLong(),
                    body.getLong(), body.getLong(), body.getLong(), body.get() != 0, body.get() != 0));
        }
        return new VolumeStat(useTrunk, list);
    }

    @Override
    public int size() {
        return 5 + groups.size() * RECORD_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Wire.putBool(out, useTrunkFile);
        out.putInt(groups.size());
        for (Volume v : groups) {
            Fields.putFixed(out, v.group(), NAME_SIZE);
            out.putLong(v.totalMb()).putLong(v.freeMb()).putLong(v.reservedMb()).putLong(v.availMb())
                    .putLong(v.trunkFreeMb());
            Wire.putBool(out, v.diskAvailable());
            Wire.putBool(out, v.trunkAvailable());
        }
    }
}
