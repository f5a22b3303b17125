package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Which record decodes the body of each tracker command, as a client or a storage would read it. Shared
 * by the codec tests here and by tracker-pod tests (through the test-jar).
 */
public final class TrackerCodecs {

    private TrackerCodecs() {
    }

    /** Decodes a request body sent to a tracker; commands with no body must have none. */
    public static Body request(int cmd, ByteBuffer body) throws ProtocolException {
        return switch (cmd) {
            case Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL,
                    Cmd.SERVER_LIST_ONE_GROUP, Cmd.SERVER_DELETE_GROUP -> GroupName.decode(body);
            case Cmd.SERVICE_QUERY_FETCH_ONE, Cmd.SERVICE_QUERY_UPDATE, Cmd.SERVICE_QUERY_FETCH_ALL ->
                    FileQuery.decode(body);
            case Cmd.SERVER_LIST_STORAGE, Cmd.SERVER_DELETE_STORAGE, Cmd.SERVER_SET_TRUNK_SERVER ->
                    GroupStorageFilter.decode(body);
            case Cmd.SERVER_TRACKER_CLUSTER_STAT -> TrackerClusterStatRequest.decode(body);
            case Cmd.SERVER_STORAGE_CLUSTER_STAT -> StorageClusterStatRequest.decode(body);
            case Cmd.SERVER_STORAGE_VOLUMN_STAT -> VolumeStatRequest.decode(body);
            case Cmd.STORAGE_JOIN -> JoinRequest.decode(body);
            case Cmd.STORAGE_BEAT -> body.hasRemaining() ? StatBlock.decode(body) : Body.EMPTY;
            case Cmd.STORAGE_REPORT_DISK_USAGE -> DiskUsage.decode(body);
            case Cmd.STORAGE_SYNC_REPORT -> SyncReport.decode(body);
            case Cmd.STORAGE_REPLICA_CHG -> ReplicaChange.decode(body);
            case Cmd.STORAGE_SYNC_SRC_REQ -> GroupStorageId.decode(body);
            case Cmd.STORAGE_CHANGELOG_REQ -> body.hasRemaining() ? GroupStorageId.decode(body) : Body.EMPTY;
            case Cmd.STORAGE_SYNC_NOTIFY -> SyncSource.decode(body);
            case Cmd.STORAGE_REPORT_STATUS -> StatusReport.decode(body);
            case Cmd.STORAGE_CHANGE_STATUS -> ChangeStatus.decode(body);
            case Cmd.STORAGE_GET_SERVER_ID, Cmd.STORAGE_GET_STATUS -> ServerLookup.decode(body);
            case Cmd.STORAGE_GET_MY_IP -> MyIpRequest.decode(body);
            case Cmd.STORAGE_GET_GROUP_NAME -> GroupNameRequest.decode(body);
            case Cmd.STORAGE_FETCH_STORAGE_IDS -> StorageIdsRequest.decode(body);
            case Cmd.STORAGE_REPORT_IP_CHANGED -> IpChangedReport.decode(body);
            case Cmd.TRACKER_JOIN_LEADER -> JoinLeaderRequest.decode(body);
            case Cmd.TRACKER_PING_LEADER -> body.hasRemaining() ? PingLeaderRequest.decode(body) : Body.EMPTY;
            case Cmd.TRACKER_NOTIFY_NEXT_LEADER, Cmd.TRACKER_COMMIT_NEXT_LEADER ->
                    TextBody.decode(body, 1, Fields.MAX_IP_PORT_SIZE);
            case Cmd.TRACKER_GET_ONE_SYS_FILE -> SysFileRequest.decode(body);
            default -> empty(body);
        };
    }

    /** Decodes the body of a successful reply to {@code cmd}. */
    public static Body reply(int cmd, ByteBuffer body) throws ProtocolException {
        return switch (cmd) {
            case Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE ->
                    StoreReply.decode(body);
            case Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL ->
                    StoreAllReply.decode(body);
            case Cmd.SERVICE_QUERY_FETCH_ONE, Cmd.SERVICE_QUERY_UPDATE -> FetchReply.decode(body);
            case Cmd.SERVICE_QUERY_FETCH_ALL -> FetchAllReply.decode(body);
            case Cmd.SERVER_LIST_ONE_GROUP, Cmd.SERVER_LIST_ALL_GROUPS -> GroupStats.decode(body);
            case Cmd.SERVER_LIST_STORAGE -> StorageStats.decode(body);
            case Cmd.SERVER_SET_TRUNK_SERVER -> TrunkServerId.decode(body);
            case Cmd.SERVER_GET_LEADER, Cmd.STORAGE_GET_SERVER_ID, Cmd.STORAGE_GET_MY_IP, Cmd.STORAGE_CHANGELOG_REQ ->
                    TextBody.decode(body, 0, Integer.MAX_VALUE);
            case Cmd.SERVER_TRACKER_CLUSTER_STAT -> TrackerClusterStat.decode(body);
            case Cmd.SERVER_STORAGE_CLUSTER_STAT -> StorageClusterStat.decode(body);
            case Cmd.SERVER_STORAGE_VOLUMN_STAT -> VolumeStat.decode(body);
            case Cmd.STORAGE_JOIN -> JoinReply.decode(body);
            case Cmd.STORAGE_BEAT, Cmd.STORAGE_REPORT_DISK_USAGE, Cmd.STORAGE_SYNC_REPORT -> ChangeNotice.decode(body);
            case Cmd.STORAGE_SYNC_SRC_REQ, Cmd.STORAGE_SYNC_DEST_REQ, Cmd.STORAGE_SYNC_DEST_QUERY ->
                    body.hasRemaining() ? SyncSource.decode(body) : Body.EMPTY;
            case Cmd.STORAGE_GET_STATUS -> StorageBrief.decode(body);
            case Cmd.STORAGE_GET_GROUP_NAME -> GroupName.decode(body);
            case Cmd.STORAGE_FETCH_STORAGE_IDS -> StorageIdsReply.decode(body);
            case Cmd.STORAGE_PARAMETER_REQ -> Parameters.decode(body);
            case Cmd.TRACKER_GET_STATUS -> TrackerStatus.decode(body);
            case Cmd.TRACKER_PING_LEADER -> TrunkServers.decode(body);
            case Cmd.TRACKER_GET_ONE_SYS_FILE -> SysFileChunk.decode(body);
            default -> empty(body);
        };
    }

    private static Body empty(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, 0, "body");
        return Body.EMPTY;
    }
}
