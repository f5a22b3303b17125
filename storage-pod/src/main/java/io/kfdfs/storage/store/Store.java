package io.kfdfs.storage.store;

import io.kfdfs.conf.ReservedSpace;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store paths of this storage: where a file of a remote filename lives, and which path a new upload
 * goes to. Space is checked against the reserved space the tracker prescribes, counting the bytes of
 * uploads still in flight, so concurrent uploads cannot together overrun a disk.
 */
public final class Store {

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    /** tracker.conf {@code store_path}: 0 round robin, 2 the path with the most free space. */
    public static final int STORE_PATH_ROUND_ROBIN = 0;
    public static final int STORE_PATH_MOST_FREE = 2;

    private final List<StorePath> paths;
    private final int subdirCount;
    private final DiskSpace disk;
    private final long[] inFlight;
    private final FileCounts fileCounts;
    private volatile ReservedSpace reserved = ReservedSpace.DEFAULT;
    private volatile int storePathPolicy = STORE_PATH_ROUND_ROBIN;
    private int cursor;

    public Store(List<StorePath> paths, int subdirCount, DiskSpace disk) {
        this.paths = List.copyOf(paths);
        this.subdirCount = subdirCount;
        this.disk = disk;
        this.inFlight = new long[paths.size()];
        this.fileCounts = new FileCounts(paths.size());
    }

    public List<StorePath> paths() {
        return paths;
    }

    public int subdirCount() {
        return subdirCount;
    }

    /** Data files per store path: whoever creates or deletes one says so here. */
    public FileCounts fileCounts() {
        return fileCounts;
    }

    public DiskSpace disk() {
        return disk;
    }

    /** Applies the tracker's {@code reserved_storage_space} and {@code store_path} (PARAMETER_REQ). */
    public void setPolicy(ReservedSpace reserved, int storePathPolicy) {
        this.reserved = reserved;
        this.storePathPolicy = storePathPolicy;
    }

    public ReservedSpace reserved() {
        return reserved;
    }

    /** The store path of a remote filename; EINVAL if its {@code Mxx} is not one of ours. */
    public StorePath pathOf(RemoteFilename name) throws ProtocolException {
        if (name.storePathIndex() >= paths.size()) {
            throw ProtocolException.invalid("store path index " + name.storePathIndex() + " of " + name
                    + " >= store_path_count " + paths.size());
        }
        return paths.get(name.storePathIndex());
    }

    public Path dataFile(RemoteFilename name) throws ProtocolException {
        return pathOf(name).data().resolve(name.dataPath());
    }

    public Path metadataFile(RemoteFilename name) throws ProtocolException {
        return pathOf(name).data().resolve(name.metadataPath());
    }

    /** A new temporary file name in {@code path}'s data directory (same file system as the final name). */
    public static Path tempFile(StorePath path) {
        return path.data().resolve(tempName());
    }

    /**
     * A new temporary file name in {@code data/HH/HH} of {@code dir}, for an upload whose file will be
     * renamed within that directory. Creating every upload in {@code data/} itself serialises them on
     * that directory's lock, piles their inodes into one ext4 group (whose allocator then crawls past
     * recently deleted ones) and makes each rename cross directories (one file-system-wide lock).
     */
    public static Path tempFile(StorePath path, Naming.Dir dir) {
        return dataDir(path, dir).resolve(tempName());
    }

    /** {@code data/HH/HH} of {@code dir} in {@code path}. */
    public static Path dataDir(StorePath path, Naming.Dir dir) {
        return path.data().resolve(FileName.hex2(dir.high())).resolve(FileName.hex2(dir.low()));
    }

    /**
     * This process's start time and a counter: unique without a random UUID (whose SecureRandom cost
     * microseconds on every upload). A crash's leftovers are removed at the next start ({@link #prepare}).
     */
    private static String tempName() {
        return StorePath.TEMP_PREFIX + TEMP_RUN + TEMP_SEQ.incrementAndGet() + StorePath.TEMP_SUFFIX;
    }

    private static final String TEMP_RUN = Long.toString(System.currentTimeMillis(), 36) + "-";
    private static final AtomicLong TEMP_SEQ = new AtomicLong();

    /**
     * Reserves room for {@code size} bytes (§4.1): in {@code requested}, or, for -1 or a read-only path,
     * in a path of our choosing. Blocking (reads free space): call it off the event loop.
     *
     * @throws ProtocolException EINVAL for a bad index, ENOSPC if no path has room
     */
    public Reservation reserve(int requested, long size) throws ProtocolException, IOException {
        if (requested < -1 || requested >= paths.size()) {
            throw ProtocolException.invalid("store path index " + requested + " out of range, store_path_count "
                    + paths.size());
        }
        if (requested >= 0 && !paths.get(requested).readonly()) {
            return reserveIn(paths.get(requested), size);
        }
        DiskSpace.Usage[] usage = new DiskSpace.Usage[paths.size()];
        for (StorePath p : paths) {
            usage[p.index()] = p.readonly() ? null : disk.usage(p.root());
        }
        synchronized (this) {
            int chosen = -1;
            if (storePathPolicy == STORE_PATH_MOST_FREE) {
                long best = Long.MIN_VALUE;
                for (StorePath p : paths) {
                    long free = usage[p.index()] == null ? Long.MIN_VALUE : available(p, usage[p.index()]);
                    if (usage[p.index()] != null && free > best && hasRoom(p, usage[p.index()], size)) {
                        best = free;
                        chosen = p.index();
                    }
                }
            } else {
                for (int i = 0; i < paths.size() && chosen < 0; i++) {
                    int candidate = (cursor + i) % paths.size();
                    if (usage[candidate] != null && hasRoom(paths.get(candidate), usage[candidate], size)) {
                        chosen = candidate;
                    }
                }
                if (chosen >= 0) {
                    cursor = (chosen + 1) % paths.size();
                }
            }
            if (chosen < 0) {
                throw new ProtocolException(Status.ENOSPC, "no writable store path has room for " + size
                        + " bytes above the reserved space " + reserved.toParameter());
            }
            inFlight[chosen] += size;
            return new Reservation(this, paths.get(chosen), size);
        }
    }

    /** Reserves {@code size} bytes in a given path (slaves go beside their master). */
    public Reservation reserveIn(StorePath path, long size) throws ProtocolException, IOException {
        DiskSpace.Usage u = disk.usage(path.root());
        synchronized (this) {
            if (!hasRoom(path, u, size)) {
                throw new ProtocolException(Status.ENOSPC, "store path " + path.index() + " has no room for " + size
                        + " bytes: " + u.freeMb() + " MB free, reserved " + reserved.toParameter());
            }
            inFlight[path.index()] += size;
            return new Reservation(this, path, size);
        }
    }

    synchronized void release(StorePath path, long size) {
        inFlight[path.index()] -= size;
    }

    /** Free MB minus what uploads in flight will take. Caller holds the lock. */
    private long available(StorePath p, DiskSpace.Usage u) {
        return u.freeMb() - ceilMb(inFlight[p.index()]);
    }

    private boolean hasRoom(StorePath p, DiskSpace.Usage u, long size) {
        return available(p, u) - ceilMb(size) > reserved.reservedMb(u.totalMb());
    }

    private static long ceilMb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /**
     * Creates the {@code data/HH/HH} directories on first start and removes temporary files a crash left
     * behind. Blocking: run it off the event loop.
     *
     * @return the paths whose directories had to be created (new, or emptied since the last start)
     */
    public List<StorePath> prepare() throws IOException {
        List<StorePath> created = new ArrayList<>();
        for (StorePath p : paths) {
            Files.createDirectories(p.data());
            String last = FileName.hex2(subdirCount - 1) + "/" + FileName.hex2(subdirCount - 1);
            if (!Files.isDirectory(p.data().resolve(last))) {
                LOG.log(System.Logger.Level.INFO, "creating " + subdirCount + "x" + subdirCount
                        + " data directories under " + p.data());
                createSubdirs(p.data());
                created.add(p);
            }
            removeTempFiles(p);
        }
        return created;
    }

    /** One plain mkdir per directory: Files.createDirectories would re-check every parent 65536 times. */
    private void createSubdirs(Path data) throws IOException {
        for (int high = 0; high < subdirCount; high++) {
            File top = data.resolve(FileName.hex2(high)).toFile();
            top.mkdir();
            for (int low = 0; low < subdirCount; low++) {
                File dir = new File(top, FileName.hex2(low));
                if (!dir.mkdir() && !dir.isDirectory()) {
                    throw new IOException("cannot create data directory " + dir);
                }
            }
        }
    }

    /** Temporary files live in {@code data/} and in the {@code data/HH/HH} directories. */
    private void removeTempFiles(StorePath p) throws IOException {
        removeTempFiles(p.data());
        for (int high = 0; high < subdirCount; high++) {
            Path top = p.data().resolve(FileName.hex2(high));
            for (int low = 0; low < subdirCount; low++) {
                removeTempFiles(top.resolve(FileName.hex2(low)));
            }
        }
    }

    private static void removeTempFiles(Path dir) throws IOException {
        String[] names = dir.toFile().list((d, name) -> name.startsWith(StorePath.TEMP_PREFIX)
                && name.endsWith(StorePath.TEMP_SUFFIX));
        for (String name : names == null ? new String[0] : names) {
            Path leftover = dir.resolve(name);
            LOG.log(System.Logger.Level.INFO, "removing leftover temporary file " + leftover);
            Files.deleteIfExists(leftover);
        }
    }
}
