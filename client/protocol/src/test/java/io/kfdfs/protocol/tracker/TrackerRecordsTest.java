package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.storage.GroupFile;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips of every tracker record, both IP sizes and legacy layouts, and hostile bodies. */
class TrackerRecordsTest {

    interface Decoder {
        Body decode(ByteBuffer body) throws ProtocolException;
    }

    record Sample(String name, Body body, Decoder decoder) {
    }

    private static final StatBlock STATS = StatBlock.ZERO.with(StatBlock.Counter.TOTAL_UPLOAD_COUNT, 12)
            .with(StatBlock.Counter.SUCCESS_UPLOAD_COUNT, 11).with(StatBlock.Counter.LAST_HEART_BEAT_TIME, 1795633453L);
    private static final StorageBrief BRIEF = new StorageBrief(7, 23200, "100001", "10.0.0.1");

    static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample("group name", new GroupName("group1"), GroupName::decode));
        s.add(new Sample("16-char group", new GroupName("abcdefghijklmnop"), GroupName::decode));
        s.add(new Sample("file query", new GroupFile("group1", "M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt"),
                FileQuery::decode));
        for (int ip : new int[] {Fields.IPV4_SIZE, Fields.IPV6_SIZE}) {
            ServerAddress a = new ServerAddress("192.168.100.200", 23000);
            ServerAddress b = new ServerAddress("10.0.0.2", 23001);
            s.add(new Sample("store reply S=" + ip, new StoreReply("group1", a, 3, ip), StoreReply::decode));
            s.add(new Sample("store-all reply S=" + ip, new StoreAllReply("g", List.of(a, b), 1, ip),
                    StoreAllReply::decode));
            s.add(new Sample("fetch reply S=" + ip, new FetchReply("group1", a, ip), FetchReply::decode));
            s.add(new Sample("fetch-all S=" + ip, new FetchAllReply("group1", List.of(a, b), ip, false),
                    FetchAllReply::decode));
            s.add(new Sample("legacy fetch-all S=" + ip,
                    new FetchAllReply("group1", List.of(a, new ServerAddress("10.0.0.2", 23000),
                            new ServerAddress("10.0.0.3", 23000)), ip, true), in -> FetchAllReply.decodeLegacy(in, ip)));
            StorageStat st = new StorageStat(7, 6, "100001", "fe80::1", "100002", "6.16.1", 1, 2, 300, 200, 60, 10,
                    1, 256, 0, 23000, STATS, true);
            s.add(new Sample("storage stats S=" + ip, new StorageStats(List.of(st, st), ip, false),
                    StorageStats::decode));
        }
        GroupStat g = new GroupStat("group1", 258019, 79236, 51603, 0, 2, -1, 2, 2, 0, 1, 256, -1);
        s.add(new Sample("group stats", new GroupStats(List.of(g, g), false), GroupStats::decode));
        s.add(new Sample("legacy group stats", new GroupStats(List.of(withoutReserved(g)), true),
                GroupStats::decode));
        s.add(new Sample("no groups", new GroupStats(List.of(), false), GroupStats::decode));
        s.add(new Sample("legacy storage stats", new StorageStats(List.of(new StorageStat(7, StorageStat.RW_BOTH,
                "100001", "10.0.0.1", "", "6.16.1", 1, 2, 300, 200, 0, 10, 1, 256, 0, 23000, STATS, false)),
                Fields.IPV4_SIZE, true), StorageStats::decode));
        s.add(new Sample("list storage request", new GroupStorageFilter("group1", "100001"),
                GroupStorageFilter::decode));
        s.add(new Sample("list storage request without id", new GroupStorageFilter("group1", ""),
                GroupStorageFilter::decode));
        s.add(new Sample("trunk server reply", new TrunkServerId("100001"), TrunkServerId::decode));
        s.add(new Sample("text", new TextBody("127.0.0.1:22122"), b -> TextBody.decode(b, 1, 52)));
        s.add(new Sample("tracker cluster stat request", new TrackerClusterStatRequest(3, true, false),
                TrackerClusterStatRequest::decode));
        s.add(new Sample("tracker cluster stat", new TrackerClusterStat(List.of(new TrackerClusterStat.Tracker(
                "10.0.0.9:22122", true, true, 256, 4, 6, "6.16.1", 1795633300, 0))), TrackerClusterStat::decode));
        s.add(new Sample("storage cluster stat request", new StorageClusterStatRequest(2, '=', 7, false),
                StorageClusterStatRequest::decode));
        s.add(new Sample("storage cluster stat", new StorageClusterStat(true, false, List.of(
                new StorageClusterStat.Storage("100001", "127.0.0.1:23200", false, 7, 64, 2, 3, "6.16.1", 5, 6))),
                StorageClusterStat::decode));
        s.add(new Sample("volume stat request", new VolumeStatRequest(5, true, false, true),
                VolumeStatRequest::decode));
        s.add(new Sample("volume stat", new VolumeStat(false, List.of(new VolumeStat.Volume("group1", 258019,
                79201, 51603, 27598, 0, true, false))), VolumeStat::decode));
        s.add(new Sample("join", new JoinRequest("group1", 23200, 2, 256, 10, 1795633334, 1795633335, "6.16.1",
                true, -1, "100001", "127.0.0.1", List.of("127.0.0.1:22122", "10.0.0.1,192.168.0.1:22122")),
                JoinRequest::decode));
        s.add(new Sample("join reply", new JoinReply(1, "100002"), JoinReply::decode));
        s.add(new Sample("stat block", STATS, StatBlock::decode));
        s.add(new Sample("disk usage", new DiskUsage(List.of(new DiskUsage.Path(100, 50), new DiskUsage.Path(9, 1))),
                DiskUsage::decode));
        s.add(new Sample("sync report", new SyncReport(List.of(new SyncReport.Entry("100001", 1795633404),
                new SyncReport.Entry("100002", 0))), SyncReport::decode));
        s.add(new Sample("brief", BRIEF, StorageBrief::decode));
        s.add(new Sample("change notice, all parts", new ChangeNotice(BRIEF, new StorageBrief(0, 0, "", ""),
                List.of(BRIEF, BRIEF), true), ChangeNotice::decode));
        s.add(new Sample("change notice, empty group", new ChangeNotice(null, null, List.of(), true),
                ChangeNotice::decode));
        s.add(new Sample("change notice, none", ChangeNotice.NONE, ChangeNotice::decode));
        s.add(new Sample("replica change", new ReplicaChange(List.of(BRIEF)), ReplicaChange::decode));
        s.add(new Sample("group + storage id", new GroupStorageId("group1", "100002"), GroupStorageId::decode));
        s.add(new Sample("sync source", new SyncSource("100001", 1795633410), SyncSource::decode));
        s.add(new Sample("status report", new StatusReport("group1", new StorageBrief(2, 0, "100002", "127.0.0.1")),
                StatusReport::decode));
        s.add(new Sample("change status", new ChangeStatus(5), ChangeStatus::decode));
        s.add(new Sample("read-only report", new ReadOnlyReport(true), ReadOnlyReport::decode));
        s.add(new Sample("drain", new DrainRequest("group1", true, "10.0.0.7"), DrainRequest::decode));
        s.add(new Sample("undrain", new DrainRequest("group1", false, "100001"), DrainRequest::decode));
        s.add(new Sample("server lookup", new ServerLookup("group1", "[::1]:23000"), ServerLookup::decode));
        s.add(new Sample("my ip", new MyIpRequest("group1", 23200), MyIpRequest::decode));
        s.add(new Sample("group name by port", new GroupNameRequest("", 23200), GroupNameRequest::decode));
        s.add(new Sample("group name by ip", new GroupNameRequest("10.0.0.1", 23200), GroupNameRequest::decode));
        s.add(new Sample("storage ids request", new StorageIdsRequest(2, true), StorageIdsRequest::decode));
        s.add(new Sample("storage ids reply", new StorageIdsReply(3, List.of("100003 group2 10.0.0.3 rw=read")),
                StorageIdsReply::decode));
        s.add(new Sample("empty storage ids", new StorageIdsReply(0, List.of()), StorageIdsReply::decode));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("use_storage_id", "1");
        params.put("reserved_storage_space", "20.00%");
        s.add(new Sample("parameters", new Parameters(params), Parameters::decode));
        s.add(new Sample("ip changed", new IpChangedReport("group1", "10.0.0.1", "10.0.0.2"),
                IpChangedReport::decode));
        s.add(new Sample("tracker status", new TrackerStatus(true, 600, 300), TrackerStatus::decode));
        s.add(new Sample("join leader", new JoinLeaderRequest(1795633300, "6.16.1", 22122),
                JoinLeaderRequest::decode));
        s.add(new Sample("ping leader", new PingLeaderRequest(256, 4, 6), PingLeaderRequest::decode));
        s.add(new Sample("trunk servers", new TrunkServers(List.of(new TrunkServers.Entry("group1", "100001"),
                new TrunkServers.Entry("group2", ""))), TrunkServers::decode));
        s.add(new Sample("sys file request", new SysFileRequest(3, 8181), SysFileRequest::decode));
        s.add(new Sample("sys file chunk", new SysFileChunk(22, "[Global]\ngroup_count=1".getBytes()),
                SysFileChunk::decode));
        return s;
    }

    private static GroupStat withoutReserved(GroupStat g) {
        return new GroupStat(g.group(), g.totalMb(), g.freeMb(), 0, g.trunkFreeMb(), g.storageCount(),
                g.storagePort(), g.readableServerCount(), g.writableServerCount(), g.currentWriteServer(),
                g.storePathCount(), g.subdirCountPerPath(), g.currentTrunkFileId());
    }

    @Test
    void everyRecordRoundTrips() throws Exception {
        for (Sample s : samples()) {
            byte[] bytes = s.body().toBytes();
            assertEquals(s.body().size(), bytes.length, s.name());
            ByteBuffer in = ByteBuffer.wrap(bytes);
            assertEquals(s.body(), s.decoder().decode(in), s.name());
            assertFalse(in.hasRemaining(), s.name() + ": decode must consume the body");
        }
    }

    @Test
    void documentedSizes() {
        assertEquals(40, new StoreReply("g", new ServerAddress("1.2.3.4", 1), 0, 16).size());
        assertEquals(70, new StoreReply("g", new ServerAddress("1.2.3.4", 1), 0, 46).size());
        assertEquals(39, new FetchReply("g", new ServerAddress("1.2.3.4", 1), 16).size());
        assertEquals(69, new FetchReply("g", new ServerAddress("1.2.3.4", 1), 46).size());
        assertEquals(487, StorageStat.size(16, false));
        assertEquals(517, StorageStat.size(46, false));
        assertEquals(612, StorageStat.size(16, true));
        assertEquals(113, GroupStat.size(false));
        assertEquals(105, GroupStat.size(true));
        assertEquals(67, StorageBrief.SIZE);
        assertEquals(83, StatusReport.SIZE);
        assertEquals(108, IpChangedReport.SIZE);
        // 6.16: 16 + n×(S+7); legacy: 16 + (S+7) + (n-1)×(S-1)
        List<ServerAddress> three = List.of(new ServerAddress("a", 1), new ServerAddress("b", 1),
                new ServerAddress("c", 1));
        assertEquals(16 + 3 * 23, new FetchAllReply("g", three, 16, false).size());
        assertEquals(16 + 23 + 2 * 15, new FetchAllReply("g", three, 16, true).size());
        assertEquals(16 + 53 + 2 * 45, new FetchAllReply("g", three, 46, true).size());
    }

    @Test
    void fifteenCharIpFillsTheFieldWithoutNul() throws Exception {
        StoreReply r = new StoreReply("group1", new ServerAddress("192.168.100.200", 23000), 0, 16);
        byte[] b = r.toBytes();
        assertEquals('0', b[16 + 14]);
        assertEquals("192.168.100.200", StoreReply.decode(ByteBuffer.wrap(b)).server().ip());
    }

    @Test
    void legacyStorageStatIsTheV606Layout() throws Exception {
        StorageStat st = new StorageStat(7, StorageStat.RW_BOTH, "100001", "10.0.0.1", "", "6.16.1", 1, 2, 300,
                200, 0, 10, 1, 256, 0, 23000, STATS, true);
        ByteBuffer b = ByteBuffer.wrap(new StorageStats(List.of(st), 16, true).toBytes());
        assertEquals(612, b.remaining());
        assertEquals("10.0.0.1", Fields.getFixed(b.position(17), 16, "ip"));
        assertEquals("6.16.1", Fields.getFixed(b.position(1 + 16 + 16 + 128 + 16), 6, "version"));
        assertEquals(23000, b.getLong(183 + 8 * 8)); // storage_port: the 9th i64 after the 183 bytes of strings
        assertEquals(12, b.getLong(263 + 12)); // total_upload_count of the stat block
        assertEquals(1, b.get(611));
    }

    @Test
    void legacyGroupStatHasNoReservedField() {
        GroupStat g = new GroupStat("group1", 100, 50, 20, 0, 2, 23000, 2, 1, 0, 1, 256, -1);
        ByteBuffer b = ByteBuffer.wrap(new GroupStats(List.of(g), true).toBytes());
        assertEquals(105, b.remaining());
        assertEquals(50, b.getLong(25));
        assertEquals(0, b.getLong(33)); // trunk free
        assertEquals(23000, b.getLong(49));
        assertEquals(1, b.getLong(65)); // "active count" slot = writable servers
    }

    @Test
    void truncatedAndExtendedBodiesFailCleanly() {
        for (Sample s : samples()) {
            byte[] bytes = s.body().toBytes();
            for (int len = 0; len < bytes.length + 40; len++) {
                byte[] b = new byte[len];
                System.arraycopy(bytes, 0, b, 0, Math.min(len, bytes.length));
                decodeOrReject(s, b);
            }
        }
    }

    @Test
    void randomBodiesNeverThrowUnchecked() {
        Random rnd = new Random(42);
        for (Sample s : samples()) {
            int base = s.body().size();
            for (int i = 0; i < 300; i++) {
                byte[] b = new byte[rnd.nextInt(base + 64)];
                rnd.nextBytes(b);
                decodeOrReject(s, b);
            }
        }
    }

    @Test
    void lyingCountsAreRejectedBeforeAllocating() {
        ByteBuffer storages = ByteBuffer.allocate(6).put((byte) 1).put((byte) 0).putInt(Integer.MAX_VALUE).flip();
        assertThrows(ProtocolException.class, () -> StorageClusterStat.decode(storages));
        ByteBuffer volumes = ByteBuffer.allocate(5 + 59).put((byte) 0).putInt(-1).flip();
        assertThrows(ProtocolException.class, () -> VolumeStat.decode(volumes));
        ByteBuffer trackers = ByteBuffer.allocate(1).put((byte) 255).flip();
        assertThrows(ProtocolException.class, () -> TrackerClusterStat.decode(trackers));
        ByteBuffer ids = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).flip();
        assertThrows(ProtocolException.class, () -> StorageIdsReply.decode(ids));
        byte[] join = sampleJoin();
        ByteBuffer.wrap(join).putLong(137, Long.MAX_VALUE);
        assertThrows(ProtocolException.class, () -> JoinRequest.decode(ByteBuffer.wrap(join)));
        ByteBuffer chunk = ByteBuffer.allocate(9).putLong(Long.MAX_VALUE).put((byte) 1).flip();
        assertEquals(1, assertDoesDecode(chunk).data().length);
        ByteBuffer negative = ByteBuffer.allocate(9).putLong(-5).put((byte) 1).flip();
        assertThrows(ProtocolException.class, () -> SysFileChunk.decode(negative));
    }

    @Test
    void badTextIsRejected() {
        assertThrows(ProtocolException.class, () -> Parameters.decode(ByteBuffer.wrap("novalue\n".getBytes())));
        assertThrows(ProtocolException.class, () -> Parameters.decode(ByteBuffer.wrap("a=1".getBytes())));
        byte[] join = sampleJoin();
        join[join.length - 1] = 'x'; // last tracker line loses its newline
        assertThrows(ProtocolException.class, () -> JoinRequest.decode(ByteBuffer.wrap(join)));
        assertThrows(ProtocolException.class, () -> TrunkServerId.decode(ByteBuffer.wrap("100001".getBytes())));
        assertThrows(ProtocolException.class, () -> ChangeNotice.decode(ByteBuffer.wrap(new byte[] {8})));
        // flag 1 promises a leader record that is not there
        assertThrows(ProtocolException.class, () -> ChangeNotice.decode(ByteBuffer.wrap(new byte[] {1})));
        // a 15-byte port-less 60 request (pre-6.16 shape) is refused like the C tracker does
        assertThrows(ProtocolException.class, () -> MyIpRequest.decode(ByteBuffer.wrap(new byte[16])));
    }

    @Test
    void portsOutsideTheTcpRangeAreRejected() {
        byte[] b = new FetchReply("g", new ServerAddress("1.2.3.4", 23000), 16).toBytes();
        ByteBuffer.wrap(b).putLong(31, 70000);
        assertThrows(ProtocolException.class, () -> FetchReply.decode(ByteBuffer.wrap(b)));
    }

    @Test
    void storageClusterFilter() {
        StorageClusterStatRequest active = new StorageClusterStatRequest(2, '=', 7, false);
        assertTrue(active.accepts(7, true));
        assertFalse(active.accepts(5, false));
        StorageClusterStatRequest notActive = new StorageClusterStatRequest(2, '!', 7, false);
        assertTrue(notActive.accepts(5, false));
        assertFalse(new StorageClusterStatRequest(1, 0, 0, true).accepts(7, false));
        assertTrue(new StorageClusterStatRequest(0, 0, 0, false).accepts(1, true));
    }

    private static SysFileChunk assertDoesDecode(ByteBuffer b) {
        try {
            return SysFileChunk.decode(b);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] sampleJoin() {
        return samples().stream().filter(s -> s.body() instanceof JoinRequest).findFirst().orElseThrow().body()
                .toBytes();
    }

    private static void decodeOrReject(Sample s, byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        try {
            Body decoded = s.decoder().decode(in);
            assertFalse(in.hasRemaining(), s.name() + ": accepted " + b.length + " bytes but left some unread");
            assertEquals(b.length, decoded.size(), s.name() + ": accepted a body it cannot re-encode to its size");
        } catch (ProtocolException e) {
            // the expected outcome for a hostile body
        } catch (RuntimeException e) {
            throw new AssertionError(s.name() + ": unchecked " + e + " for a " + b.length + "-byte body", e);
        }
    }
}
