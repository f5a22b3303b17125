package io.kfdfs.storage.store;

import io.kfdfs.protocol.FileName;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses {@code HH/HH} for new files (docs/protocol.md §7.4) and builds their names (§7). Mode 0 fills each
 * directory with {@code rotateCount} files before moving on (state saved in storage_stat.dat); mode 1
 * hashes a provisional name. Names being written are held until {@link #release} so two uploads in the
 * same second cannot be handed the same name.
 */
public final class Naming {

    /** The round-robin position, persisted as {@code dist_path_index_high/low}, {@code dist_write_file_count}. */
    public record DistState(int high, int low, long count) {
        public static final DistState START = new DistState(0, 0, 0);
    }

    public record Dir(int high, int low) {
    }

    private final int mode;
    private final int rotateCount;
    private final int subdirCount;
    private final RandomGenerator random;
    private final Set<String> reserved = new HashSet<>();
    private DistState state;

    public Naming(int mode, int rotateCount, int subdirCount, RandomGenerator random, DistState initial) {
        this.mode = mode;
        this.rotateCount = rotateCount;
        this.subdirCount = subdirCount;
        this.random = random;
        this.state = new DistState(initial.high() % subdirCount, initial.low() % subdirCount, initial.count());
    }

    public synchronized DistState state() {
        return state;
    }

    /** The directory for the next new file. */
    public synchronized Dir nextDir(FileName.Block block) {
        if (mode == 1) {
            FileName.Block provisional = new FileName.Block(block.source(), block.timestamp(), block.sizeField(),
                    random.nextInt());
            int n = pjwHash(provisional.base64()) & 0xFFFF;
            return new Dir(((n >> 8) & 0xFF) % subdirCount, (n & 0xFF) % subdirCount);
        }
        Dir dir = new Dir(state.high(), state.low());
        long count = state.count() + 1;
        int high = state.high();
        int low = state.low();
        if (count % rotateCount == 0) {
            low++;
            if (low >= subdirCount) {
                low = 0;
                high = (high + 1) % subdirCount;
            }
        }
        state = new DistState(high, low, count);
        return dir;
    }

    /** The 23 random bits of a size field. */
    public synchronized int randomBits() {
        return random.nextInt();
    }

    /**
     * A fresh remote filename for {@code block} in {@code dir}, not handed out before and not yet
     * released. Returns null if ten tries all collided (C answers EBUSY then).
     */
    public synchronized String newName(int storePath, Dir dir, FileName.Block block, String ext) {
        FileName.Block b = block;
        for (int attempt = 0; attempt < 10; attempt++) {
            String name = FileName.remoteFilename(storePath, dir.high(), dir.low(), b, FileName.extensionTail(ext, random));
            if (reserved.add(name)) {
                return name;
            }
            b = new FileName.Block(b.source(), b.timestamp(),
                    b.sizeField() < 0 ? withNewRandom(b.sizeField()) : b.sizeField(), b.crc32());
        }
        return null;
    }

    /** Marks {@code name} as taken while its file is being created (by a rename or a slave upload). */
    public synchronized boolean reserve(String name) {
        return reserved.add(name);
    }

    public synchronized void release(String name) {
        reserved.remove(name);
    }

    /** Sizes of 4 GiB and more carry no random bits (§7.2); the others get new ones. */
    private long withNewRandom(long sizeField) {
        long r = 0x80000000L | (random.nextInt() & 0x007FFFFFL);
        return (r << 32) | (sizeField & 0xFFFFFFFFL) | (sizeField & FileName.APPENDER_FLAG);
    }

    /** libfastcommon's PJWHash; the shift is arithmetic, as gcc compiles the C {@code int} version. */
    static int pjwHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = (h << 4) + (s.charAt(i) & 0xFF);
            int high = h & 0xF0000000;
            if (high != 0) {
                h = (h ^ (high >> 24)) & ~0xF0000000;
            }
        }
        return h;
    }
}
