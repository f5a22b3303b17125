package io.kfdfs.storage.store;

import io.kfdfs.conf.ReservedSpace;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StoreTest {

    @TempDir
    Path dir;

    private final Map<Path, Long> free = new HashMap<>();

    private Store store(boolean secondReadonly) {
        List<StorePath> paths = List.of(new StorePath(0, dir.resolve("a"), false),
                new StorePath(1, dir.resolve("b"), secondReadonly), new StorePath(2, dir.resolve("c"), false));
        for (StorePath p : paths) {
            free.put(p.root(), 5000L);
        }
        Store s = new Store(paths, 2, p -> new DiskSpace.Usage(10_000, free.get(p)));
        s.setPolicy(ReservedSpace.ofMegabytes(1000), Store.STORE_PATH_ROUND_ROBIN);
        return s;
    }

    @Test
    void roundRobinSkipsReadonlyAndFullPaths() throws Exception {
        Store s = store(true);
        assertEquals(0, s.reserve(-1, 10).path().index());
        assertEquals(2, s.reserve(-1, 10).path().index());
        assertEquals(0, s.reserve(-1, 10).path().index());
        assertEquals(2, s.reserve(1, 10).path().index(), "a read-only path is replaced by our choice");
        free.put(dir.resolve("a"), 1001L);
        assertEquals(2, s.reserve(-1, 10 << 20).path().index());
        assertEquals(2, s.reserve(-1, 10 << 20).path().index());
    }

    @Test
    void mostFreePolicyCountsUploadsInFlight() throws Exception {
        Store s = store(false);
        s.setPolicy(ReservedSpace.ofMegabytes(1000), Store.STORE_PATH_MOST_FREE);
        free.put(dir.resolve("b"), 6000L);
        Reservation big = s.reserve(-1, 1500L << 20);
        assertEquals(1, big.path().index());
        assertEquals(0, s.reserve(-1, 1).path().index(), "path b now has 4500 MB left after the reservation");
        big.release();
        assertEquals(1, s.reserve(-1, 1).path().index());
    }

    @Test
    void explicitPathWithoutRoomIsEnospcAndBadIndexIsEinval() {
        Store s = store(false);
        free.put(dir.resolve("c"), 1005L);
        ProtocolException e = assertThrows(ProtocolException.class, () -> s.reserve(2, 10L << 20));
        assertEquals(Status.ENOSPC, e.status());
        assertEquals(Status.EINVAL, assertThrows(ProtocolException.class, () -> s.reserve(3, 1)).status());
        assertEquals(Status.EINVAL, assertThrows(ProtocolException.class, () -> s.reserve(-2, 1)).status());
        free.replaceAll((k, v) -> 1000L);
        assertEquals(Status.ENOSPC, assertThrows(ProtocolException.class, () -> s.reserve(-1, 1)).status());
    }

    @Test
    void ratioReservedSpace() throws Exception {
        Store s = store(false);
        s.setPolicy(ReservedSpace.ofRatio(0.5), Store.STORE_PATH_ROUND_ROBIN);
        assertEquals(Status.ENOSPC, assertThrows(ProtocolException.class, () -> s.reserve(0, 1)).status());
        free.put(dir.resolve("a"), 5002L);
        s.reserve(0, 1);
    }
}
