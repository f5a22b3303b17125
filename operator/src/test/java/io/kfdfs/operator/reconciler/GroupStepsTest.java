package io.kfdfs.operator.reconciler;

import io.kfdfs.operator.fdfs.MemberHealth;
import io.kfdfs.operator.reconciler.GroupSteps.Observed;
import io.kfdfs.operator.reconciler.GroupSteps.Pod;
import io.kfdfs.operator.reconciler.GroupSteps.Retiring;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupStepsTest {

    private static MemberHealth active(int ordinal, Long delay) {
        return new MemberHealth(String.valueOf(100001 + ordinal), "127.0.0." + (ordinal + 1), "ACTIVE", true, 900, 1000,
                delay, 0);
    }

    private static MemberHealth state(int ordinal, String state) {
        return new MemberHealth(String.valueOf(100001 + ordinal), "127.0.0." + (ordinal + 1), state, false, 900, 1000,
                null, 0);
    }

    /** {@code n} pods, all ready and updated, all members ACTIVE and caught up. */
    private static Observed whole(int desired, int n) {
        List<Pod> pods = new ArrayList<>();
        Map<Integer, MemberHealth> members = new HashMap<>();
        for (int i = 0; i < n; i++) {
            pods.add(new Pod(i, "127.0.0." + (i + 1), true, true));
            members.put(i, active(i, 0L));
        }
        return new Observed(desired, n, pods, members, null, Math.max(desired, n));
    }

    private static Observed with(Observed o, int ordinal, Pod pod, MemberHealth member) {
        List<Pod> pods = new ArrayList<>(o.pods());
        pods.removeIf(p -> p.ordinal() == ordinal);
        if (pod != null) {
            pods.add(pod);
        }
        Map<Integer, MemberHealth> members = new HashMap<>(o.members());
        members.remove(ordinal);
        if (member != null) {
            members.put(ordinal, member);
        }
        return new Observed(o.desired(), o.current(), pods, members, o.retiring(), o.listed());
    }

    @Test
    void aWholeGroupHoldsWithNothingToWaitFor() {
        assertEquals(new GroupSteps.Hold(null), GroupSteps.next(whole(3, 3)));
    }

    @Test
    void scaleOutComesFirstEvenDuringARollingUpdate() {
        Observed o = with(whole(4, 3), 1, new Pod(1, "127.0.0.2", true, false), active(1, 0L));
        assertEquals(new GroupSteps.ScaleTo(4), GroupSteps.next(o));
    }

    @Test
    void newMembersWaitUntilStorageIdsListsThem() {
        Observed o = whole(4, 3);
        Observed unlisted = new Observed(4, 3, o.pods(), o.members(), null, 3);
        GroupSteps.Step step = GroupSteps.next(unlisted);
        assertTrue(step instanceof GroupSteps.Hold h && h.waitingFor().contains("storage_ids.conf to list members up to 3"),
                step.toString());
    }

    @Test
    void scaleInRetiresTheHighestOrdinalFirst() {
        assertEquals(new GroupSteps.Prepare(2), GroupSteps.next(whole(1, 3)));
    }

    @Test
    void aMemberNoTrackerListsIsDroppedWithoutRetirement() {
        Observed o = with(whole(2, 3), 2, new Pod(2, null, false, true), null);
        assertEquals(new GroupSteps.ScaleTo(2), GroupSteps.next(o));
    }

    @Test
    void retirementGoesPrepareThenShrinkThenDeleteOnTrackers() {
        Observed preparing = new Observed(2, 3, whole(3, 3).pods(), whole(3, 3).members(),
                new Retiring(2, "100003", Retiring.PREPARING), 3);
        assertEquals(new GroupSteps.Prepare(2), GroupSteps.next(preparing));
        Observed left = new Observed(2, 3, preparing.pods(), preparing.members(), new Retiring(2, "100003", Retiring.LEFT), 3);
        assertEquals(new GroupSteps.ScaleTo(2), GroupSteps.next(left), "shrink at once: a retired storage exits");
        Observed shrunk = new Observed(2, 2, preparing.pods(), preparing.members(), new Retiring(2, "100003", Retiring.LEFT), 3);
        assertEquals(new GroupSteps.DeleteOnTrackers(2), GroupSteps.next(shrunk));
    }

    @Test
    void aScaleInCalledOffBeforeTheMemberLeftIsCancelled() {
        Observed o = new Observed(3, 3, whole(3, 3).pods(), whole(3, 3).members(), new Retiring(2, "100003", Retiring.PREPARING), 3);
        assertEquals(new GroupSteps.Cancel(2), GroupSteps.next(o));
        Observed left = new Observed(3, 3, whole(3, 3).pods(), whole(3, 3).members(), new Retiring(2, "100003", Retiring.LEFT), 3);
        assertEquals(new GroupSteps.ScaleTo(2), GroupSteps.next(left),
                "once left, the retirement is finished first: the member comes back only as a new one");
    }

    @Test
    void rollingUpdateReplacesTheHighestOutdatedMemberOnlyWhenAllAreCaughtUp() {
        Observed o = with(whole(3, 3), 0, new Pod(0, "127.0.0.1", true, false), active(0, 0L));
        o = with(o, 2, new Pod(2, "127.0.0.3", true, false), active(2, 0L));
        assertEquals(new GroupSteps.Replace(2), GroupSteps.next(o));

        Observed behind = with(o, 1, new Pod(1, "127.0.0.2", true, true), active(1, 60L));
        GroupSteps.Step held = GroupSteps.next(behind);
        assertTrue(held instanceof GroupSteps.Hold h && h.waitingFor().contains("member 1 (100002, ACTIVE, 60 s behind)"), held.toString());

        Observed restarting = with(o, 2, new Pod(2, "127.0.0.3", false, true), state(2, "OFFLINE"));
        GroupSteps.Step wait = GroupSteps.next(restarting);
        assertTrue(wait instanceof GroupSteps.Hold h && h.waitingFor().contains("pod 2 to be ready"), wait.toString());

        Observed syncing = with(o, 2, new Pod(2, "127.0.0.3", true, true), state(2, "WAIT_SYNC"));
        assertTrue(GroupSteps.next(syncing) instanceof GroupSteps.Hold h && h.waitingFor().contains("WAIT_SYNC"));

        Observed missing = with(o, 1, null, null);
        assertTrue(GroupSteps.next(missing) instanceof GroupSteps.Hold h && h.waitingFor().contains("pod 1 to exist"));
    }

    @Test
    void aMemberThatHasNotSyncedAnythingYetCountsAsCaughtUpOnlyWhenActive() {
        assertTrue(active(0, null).caughtUp(GroupSteps.CAUGHT_UP_SECONDS));
        assertTrue(!state(0, "SYNCING").caughtUp(GroupSteps.CAUGHT_UP_SECONDS));
        assertTrue(!active(0, GroupSteps.CAUGHT_UP_SECONDS + 1).caughtUp(GroupSteps.CAUGHT_UP_SECONDS));
    }
}
