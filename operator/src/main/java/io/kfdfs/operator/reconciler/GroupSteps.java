package io.kfdfs.operator.reconciler;

import io.kfdfs.operator.fdfs.MemberHealth;

import java.util.List;
import java.util.Map;

/**
 * The next thing to do to a group, decided from what was observed, with no I/O: one step per reconcile, so
 * that nothing waits inside a reconcile for a member's peers, a pod's restart or a full sync. Scale-out
 * comes first (new pods take the new template), then a scale-in in progress or due, then the rolling update.
 */
final class GroupSteps {

    /** How far behind its peers (seconds) a member may be and still count as caught up. */
    static final long CAUGHT_UP_SECONDS = 10;

    /** A storage pod: its ordinal, readiness, and whether it runs the StatefulSet's current template. */
    record Pod(int ordinal, String ip, boolean ready, boolean updated) {
    }

    /** A scale-in in progress, as the group's status records it. */
    record Retiring(int ordinal, String storageId, String step) {
        static final String PREPARING = "Preparing";
        static final String LEFT = "Left";
    }

    /**
     * @param desired  the spec's replicas
     * @param current  the StatefulSet's replicas (the spec's when it does not exist yet)
     * @param members  by ordinal, the members the trackers list
     * @param listed   how many ordinals the trackers' storage_ids.conf lists: a storage learns its ID there
     */
    record Observed(int desired, int current, List<Pod> pods, Map<Integer, MemberHealth> members, Retiring retiring,
                    int listed) {

        Pod pod(int ordinal) {
            return pods.stream().filter(p -> p.ordinal() == ordinal).findFirst().orElse(null);
        }
    }

    sealed interface Step {
    }

    /** Nothing to change now; {@code waitingFor} says why (null: the group is as asked). */
    record Hold(String waitingFor) implements Step {
    }

    record ScaleTo(int replicas) implements Step {
    }

    /** Turn the member read-only and ask whether its peers have all its changes; leave once they have. */
    record Prepare(int ordinal) implements Step {
    }

    /** The member left; delete it on every tracker pod, then the scale-in is done. */
    record DeleteOnTrackers(int ordinal) implements Step {
    }

    /** A scale-in called off before the member left: make it writable again. */
    record Cancel(int ordinal) implements Step {
    }

    /** Delete the pod so that the StatefulSet makes it again from the current template. */
    record Replace(int ordinal) implements Step {
    }

    private GroupSteps() {
    }

    static Step next(Observed o) {
        Retiring r = o.retiring();
        if (r != null) {
            if (r.step().equals(Retiring.LEFT)) {
                return o.current() > r.ordinal() ? new ScaleTo(r.ordinal()) : new DeleteOnTrackers(r.ordinal());
            }
            return o.desired() > r.ordinal() ? new Cancel(r.ordinal()) : new Prepare(r.ordinal());
        }
        if (o.desired() > o.current()) {
            return o.listed() < o.desired()
                    ? new Hold("storage_ids.conf to list members up to " + (o.desired() - 1) + " (it lists " + o.listed() + ")")
                    : new ScaleTo(o.desired());
        }
        if (o.desired() < o.current()) {
            int leaving = o.current() - 1;
            // a member no tracker lists holds nothing the others lack (it never joined, or it left already)
            return o.members().containsKey(leaving) ? new Prepare(leaving) : new ScaleTo(leaving);
        }
        return rollingUpdate(o);
    }

    /** One member at a time, the highest ordinal first, only while every member is up and caught up. */
    private static Step rollingUpdate(Observed o) {
        int outdated = -1;
        for (int i = o.current() - 1; i >= 0 && outdated < 0; i--) {
            Pod p = o.pod(i);
            if (p != null && !p.updated()) {
                outdated = i;
            }
        }
        String notReady = firstNotCaughtUp(o);
        if (outdated < 0) {
            return new Hold(notReady);
        }
        return notReady == null ? new Replace(outdated) : new Hold(notReady + " before replacing member " + outdated);
    }

    /** The first reason the group is not whole, or null: every pod ready, every member ACTIVE and caught up. */
    static String firstNotCaughtUp(Observed o) {
        for (int i = 0; i < o.current(); i++) {
            Pod p = o.pod(i);
            if (p == null) {
                return "waiting for pod " + i + " to exist";
            }
            if (!p.ready()) {
                return "waiting for pod " + i + " to be ready";
            }
            MemberHealth m = o.members().get(i);
            if (m == null) {
                return "waiting for member " + i + " to join the trackers";
            }
            if (!m.caughtUp(CAUGHT_UP_SECONDS)) {
                return "waiting for member " + i + " (" + m.id() + ", " + m.state()
                        + (m.syncDelaySeconds() == null ? "" : ", " + m.syncDelaySeconds() + " s behind")
                        + ") to be ACTIVE on every tracker and caught up";
            }
        }
        return null;
    }
}
