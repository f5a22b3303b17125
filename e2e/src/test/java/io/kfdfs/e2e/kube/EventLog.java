package io.kfdfs.e2e.kube;

import java.util.ArrayList;
import java.util.List;

/**
 * What the stand-in did, in order, with times: pods created, started, ready, stopped, killed; claims made and
 * deleted; evictions; garbage collection. Scenarios assert on it (e.g. at most one storage down at a time).
 */
public final class EventLog {

    /** One thing that happened to {@code subject} (a pod or claim name). */
    public record Entry(long millis, String subject, String what) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%tT.%<tL %s: %s", millis, subject, what);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void record(String subject, String what) {
        entries.add(new Entry(System.currentTimeMillis(), subject, what));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<Entry> of(String subjectPrefix) {
        return entries.stream().filter(e -> e.subject().startsWith(subjectPrefix)).toList();
    }

    /**
     * The most of {@code members} (pod names starting with {@code prefix}) that were down at the same moment,
     * from the kubelet's entries: a pod is down from its "stopping" or "not ready" until its "ready".
     */
    public synchronized int mostDownAtOnce(String prefix, List<String> members) {
        List<String> down = new ArrayList<>();
        int most = 0;
        for (Entry e : entries) {
            if (!e.subject().startsWith(prefix) || !members.contains(e.subject())) {
                continue;
            }
            if ((e.what().equals(Kubelet.NOT_READY) || e.what().equals(Kubelet.STOPPING)) && !down.contains(e.subject())) {
                down.add(e.subject());
            } else if (e.what().equals(Kubelet.READY)) {
                down.remove(e.subject());
            }
            most = Math.max(most, down.size());
        }
        return most;
    }
}
