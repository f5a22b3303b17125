package io.kfdfs.tracker;

import io.kfdfs.protocol.StorageStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as Prometheus gauges: {@code kfdfs_tracker_storages{group,state}} (every state, 0 included,
 * so sums and alerts see stable series), {@code kfdfs_tracker_group_total_bytes{group}} and
 * {@code kfdfs_tracker_group_free_bytes{group}} (the group's space as listings report it), and
 * {@code kfdfs_tracker_leader}. {@link #update} runs on the tracker's event loop and publishes an immutable
 * snapshot; the gauges read only that, since Prometheus scrapes on another thread.
 */
final class ClusterMeters {

    private static final int[] STATES = {StorageStatus.INIT, StorageStatus.WAIT_SYNC, StorageStatus.SYNCING,
            StorageStatus.IP_CHANGED, StorageStatus.DELETED, StorageStatus.OFFLINE, StorageStatus.ONLINE,
            StorageStatus.ACTIVE, StorageStatus.RECOVERY};

    private record GroupNumbers(long[] byState, long totalBytes, long freeBytes) {
    }

    private record Snapshot(boolean leader, Map<String, GroupNumbers> groups) {
    }

    private final MultiGauge storages;
    private final MultiGauge totalBytes;
    private final MultiGauge freeBytes;
    private volatile Snapshot snapshot = new Snapshot(false, Map.of());
    private Set<String> registeredGroups = Set.of();

    ClusterMeters(MeterRegistry registry) {
        storages = MultiGauge.builder("kfdfs.tracker.storages")
                .description("Storages by group and state, as this tracker sees them").register(registry);
        totalBytes = MultiGauge.builder("kfdfs.tracker.group.total").baseUnit(BaseUnits.BYTES)
                .description("A group's capacity: that of its writable member with the least free space")
                .register(registry);
        freeBytes = MultiGauge.builder("kfdfs.tracker.group.free").baseUnit(BaseUnits.BYTES)
                .description("A group's free space: that of its writable member with the least free space")
                .register(registry);
        Gauge.builder("kfdfs.tracker.leader", () -> snapshot.leader ? 1 : 0)
                .description("1 while this tracker is the leader").register(registry);
    }

    void update(Iterable<Group> groups, boolean leader) {
        Map<String, GroupNumbers> numbers = new HashMap<>();
        for (Group g : groups) {
            long[] byState = new long[STATES.length];
            for (StorageNode s : g.storages) {
                for (int i = 0; i < STATES.length; i++) {
                    if (STATES[i] == s.status) {
                        byState[i]++;
                    }
                }
            }
            Group.Space space = g.space();
            numbers.put(g.name, new GroupNumbers(byState, space.totalMb() << 20, space.freeMb() << 20));
        }
        snapshot = new Snapshot(leader, Map.copyOf(numbers));
        if (!numbers.keySet().equals(registeredGroups)) {
            registeredGroups = Set.copyOf(numbers.keySet());
            register();
        }
    }

    /** One row per group (and state); rows of groups that are gone are removed. */
    private void register() {
        List<MultiGauge.Row<?>> byState = new ArrayList<>();
        List<MultiGauge.Row<?>> total = new ArrayList<>();
        List<MultiGauge.Row<?>> free = new ArrayList<>();
        for (String group : registeredGroups) {
            for (int i = 0; i < STATES.length; i++) {
                int state = i;
                byState.add(MultiGauge.Row.of(Tags.of("group", group, "state", StorageStatus.name(STATES[i])),
                        () -> group(group).map(n -> n.byState[state]).orElse(0L)));
            }
            total.add(MultiGauge.Row.of(Tags.of("group", group), () -> group(group).map(n -> n.totalBytes).orElse(0L)));
            free.add(MultiGauge.Row.of(Tags.of("group", group), () -> group(group).map(n -> n.freeBytes).orElse(0L)));
        }
        // a scrape may come between these calls: the rows by state, which readers wait for, come last
        totalBytes.register(total, false);
        freeBytes.register(free, false);
        storages.register(byState, false);
    }

    private Optional<GroupNumbers> group(String name) {
        return Optional.ofNullable(snapshot.groups.get(name));
    }
}
