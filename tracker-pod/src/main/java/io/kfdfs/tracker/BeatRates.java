package io.kfdfs.tracker;

import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatBlock.Counter;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Upload and download rates of each storage, from the counters of its successive BEATs: the change of a
 * counter between two beats divided by the seconds between them. Owned by the tracker's event loop.
 */
final class BeatRates {

    /** Per second, averaged over the last interval between two beats. */
    record Rates(double uploads, double downloads, double uploadBytes, double downloadBytes) {
    }

    private record Sample(long beatTime, StatBlock stat, Rates rates) {
    }

    /** By group and storage ID. */
    private final Map<String, Sample> samples = new HashMap<>();

    /** Takes the storages' newest beats in; call it at least as often as storages beat. */
    void update(Iterable<Group> groups) {
        Map<String, Sample> current = new HashMap<>();
        for (Group g : groups) {
            for (StorageNode s : g.storages) {
                String key = g.name + "/" + s.id;
                Sample before = samples.get(key);
                Sample now;
                if (before == null) {
                    now = new Sample(s.lastHeartBeatTime, s.stat, null);
                } else if (s.lastHeartBeatTime > before.beatTime) {
                    now = new Sample(s.lastHeartBeatTime, s.stat,
                            between(before.stat, s.stat, s.lastHeartBeatTime - before.beatTime));
                } else {
                    // another beat within the same second: its counters stand for that second
                    now = new Sample(before.beatTime, s.stat, before.rates);
                }
                current.put(key, now);
            }
        }
        samples.clear();
        samples.putAll(current);
    }

    /** Empty until two beats were seen. */
    Optional<Rates> of(StorageNode s) {
        Sample sample = samples.get(s.group.name + "/" + s.id);
        return sample == null ? Optional.empty() : Optional.ofNullable(sample.rates);
    }

    private static Rates between(StatBlock a, StatBlock b, long seconds) {
        return new Rates(rate(a, b, Counter.SUCCESS_UPLOAD_COUNT, seconds),
                rate(a, b, Counter.SUCCESS_DOWNLOAD_COUNT, seconds),
                rate(a, b, Counter.SUCCESS_UPLOAD_BYTES, seconds),
                rate(a, b, Counter.SUCCESS_DOWNLOAD_BYTES, seconds));
    }

    /** A counter that went down (the storage lost its stat file) counts as no traffic. */
    private static double rate(StatBlock a, StatBlock b, Counter c, long seconds) {
        return Math.max(0, b.get(c) - a.get(c)) / (double) seconds;
    }
}
