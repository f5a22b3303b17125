package io.kfdfs.storage.stats;

import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.store.FileCounts;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.IniFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <base_path>/data/storage_stat.dat} (docs/protocol.md §10.6): the counters and the round-robin
 * directory position, so a restarted storage carries on where it stopped; kfdfs adds the data file count
 * of each store path ({@code store_path<N>_file_count}, a key FastDFS ignores).
 */
public final class StatFile {

    public static final String NAME = "storage_stat.dat";

    private static final String DIST_HIGH = "dist_path_index_high";
    private static final String DIST_LOW = "dist_path_index_low";
    private static final String DIST_COUNT = "dist_write_file_count";

    private StatFile() {
    }

    /**
     * Loads the saved counters into {@code counters} and the file counts into {@code files} (-1 for a store
     * path the file has no count of); returns the saved directory position.
     */
    public static Naming.DistState load(Path file, Counters counters, FileCounts files) throws IOException {
        Map<String, String> kv = IniFile.read(file);
        for (Counter c : persisted()) {
            counters.set(c, IniFile.getLong(kv, c.key(), 0, file));
        }
        for (int i = 0; i < files.paths(); i++) {
            files.set(i, IniFile.getLong(kv, fileCountKey(i), -1, file));
        }
        return new Naming.DistState((int) IniFile.getLong(kv, DIST_HIGH, 0, file),
                (int) IniFile.getLong(kv, DIST_LOW, 0, file), IniFile.getLong(kv, DIST_COUNT, 0, file));
    }

    public static void save(Path file, Counters counters, Naming.DistState dist, FileCounts files) throws IOException {
        Map<String, Object> kv = new LinkedHashMap<>();
        for (Counter c : persisted()) {
            kv.put(c.key(), counters.get(c));
        }
        kv.put(DIST_HIGH, dist.high());
        kv.put(DIST_LOW, dist.low());
        kv.put(DIST_COUNT, dist.count());
        for (int i = 0; i < files.paths(); i++) {
            kv.put(fileCountKey(i), files.get(i));
        }
        IniFile.write(file, kv);
    }

    private static String fileCountKey(int storePath) {
        return "store_path" + storePath + "_file_count";
    }

    /** Every counter but the two the tracker fills in. */
    private static java.util.List<Counter> persisted() {
        return java.util.Arrays.stream(Counter.values())
                .filter(c -> c != Counter.LAST_SYNCED_TIMESTAMP && c != Counter.LAST_HEART_BEAT_TIME)
                .toList();
    }
}
