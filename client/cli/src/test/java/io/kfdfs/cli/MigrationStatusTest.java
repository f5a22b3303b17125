package io.kfdfs.cli;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageStat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationStatusTest {

    private static final long T = 1_800_000_000L;

    private static StorageStat member(String id, String version, int status, String srcId, long lastChange,
                                      long receivedUpTo) {
        StatBlock stat = StatBlock.ZERO.with(Counter.LAST_SOURCE_UPDATE, lastChange)
                .with(Counter.LAST_SYNCED_TIMESTAMP, receivedUpTo);
        return new StorageStat(status, StorageStat.RW_BOTH, id, "127.0.0." + id.charAt(id.length() - 1), srcId, version,
                T - 1000, T - 1000, 1000, 500, 0, 0, 1, 256, 0, 23000, stat, false);
    }

    private static String retire(List<MigrationStatus.Member> members, String id) {
        return members.stream().filter(m -> m.stat().id().equals(id)).findFirst().orElseThrow().retire();
    }

    @Test
    void aCMemberMayGoOnceEveryActiveKfdfsMemberHasItsChanges() {
        List<MigrationStatus.Member> members = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.ACTIVE, "", T, T - 5),
                member("100002", Version.FASTDFS, StorageStatus.ACTIVE, "", T - 100, T),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "100001", 0, T + 1),
                member("100004", Version.KFDFS, StorageStatus.ACTIVE, "100001", 0, T - 50)), T + 60);
        assertTrue(retire(members, "100001").startsWith("no: 100004 has received its changes up to"),
                retire(members, "100001"));
        assertEquals("yes", retire(members, "100002"), "both kfdfs members are past its last change");
        assertNull(retire(members, "100003"), "kfdfs members are not retired this way");
        assertEquals(List.of(false, false, true, true), members.stream().map(MigrationStatus.Member::kfdfs).toList());
    }

    @Test
    void notWhileANewMemberCopiesFromItOrNoKfdfsMemberIsActive() {
        List<MigrationStatus.Member> copying = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.ACTIVE, "", T - 100, T),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "", 0, T),
                member("100004", Version.KFDFS, StorageStatus.SYNCING, "100001", 0, 0)), T + 60);
        assertEquals("no: 100004 is still copying the group from it", retire(copying, "100001"));

        List<MigrationStatus.Member> stopped = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.OFFLINE, "", T - 100, T),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "", 0, T + 50)), T + 60);
        assertEquals("no: it is OFFLINE; start it again, to send what it has", retire(stopped, "100001"),
                "a stopped member may hold uploads it never sent");

        List<MigrationStatus.Member> none = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.ACTIVE, "", T - 100, T),
                member("100003", Version.KFDFS, StorageStatus.OFFLINE, "", 0, T)), T + 60);
        assertEquals("no: no kfdfs member of the group is ACTIVE", retire(none, "100001"));
    }

    /**
     * A drained C member (100002) sends nothing more, so every member's oldest source stays at its last change;
     * what each kfdfs member received from 100001 alone, from the tracker's storage_sync_timestamp.dat, decides.
     */
    @Test
    void eachKfdfsMemberIsJudgedByWhatItReceivedFromThatMemberAlone() {
        List<StorageStat> listed = List.of(
                member("100001", Version.FASTDFS, StorageStatus.ACTIVE, "", T - 20, T - 30),
                member("100002", Version.FASTDFS, StorageStatus.ACTIVE, "", T - 30, T - 20),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "100001", 0, T - 30),
                member("100004", Version.KFDFS, StorageStatus.ACTIVE, "100001", 0, T - 30));
        assertTrue(retire(MigrationStatus.of(listed, T + 60), "100001").startsWith("no: 100003"),
                "by the oldest source alone, 100002's quiet holds it back");
        String file = "group1,100001,0,0,0,0\ngroup1,100002,0,0,0,0\ngroup1,100003,0,0,0,0\ngroup1,100004,0,0,0,0\n"
                .replace("group1,100001,0,0,0,0", "group1,100001,0," + (T - 20) + "," + (T - 20) + "," + (T - 20))
                + "group2,100009,0\n";
        MigrationStatus.Received got = MigrationStatus.Received.parse(file, "group1");
        assertEquals("yes", retire(MigrationStatus.of(listed, T + 60, got), "100001"));
        MigrationStatus.Received behind = MigrationStatus.Received.parse(
                file.replace("group1,100001,0," + (T - 20) + "," + (T - 20) + "," + (T - 20),
                        "group1,100001,0," + (T - 20) + "," + (T - 20) + "," + (T - 21)), "group1");
        assertTrue(retire(MigrationStatus.of(listed, T + 60, behind), "100001").startsWith("no: 100004 has received its"
                + " changes up to"), retire(MigrationStatus.of(listed, T + 60, behind), "100001"));
        assertEquals(MigrationStatus.Received.NONE, MigrationStatus.Received.parse("group1,100001,x\n", "group1"),
                "a file that does not parse is not used");
    }

    /** A C tracker lists deleted members until it restarts: they are gone, neither counted nor to be retired. */
    @Test
    void deletedMembersAreLeftOut() {
        List<MigrationStatus.Member> members = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.DELETED, "", 0, 0),
                member("100002", Version.FASTDFS, StorageStatus.IP_CHANGED, "", 0, 0),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "", 0, T)), T + 60);
        assertEquals(List.of("100003"), members.stream().map(m -> m.stat().id()).toList());
    }

    @Test
    void notWhileItStillTakesUploads() {
        List<MigrationStatus.Member> busy = MigrationStatus.of(List.of(
                member("100001", Version.FASTDFS, StorageStatus.ACTIVE, "", T, T),
                member("100003", Version.KFDFS, StorageStatus.ACTIVE, "", 0, T + 5)), T + 3);
        assertEquals("no: it still takes uploads (its last change 3 s ago); drain it first (fdfs migrate drain)",
                retire(busy, "100001"), "received past its last change, but it may take another upload now");
        assertEquals("yes", retire(MigrationStatus.of(busy.stream().map(MigrationStatus.Member::stat).toList(),
                T + MigrationStatus.QUIET_SECONDS), "100001"));
    }

    @Test
    void aKfdfsMemberThatJoinedBeforeVersionsWereMarkedCountsAsC() {
        List<MigrationStatus.Member> members = MigrationStatus.of(List.of(
                member("100001", "6.16.1", StorageStatus.ACTIVE, "", T, T)), T + 60);
        assertEquals("no: no kfdfs member of the group is ACTIVE", retire(members, "100001"));
    }
}
