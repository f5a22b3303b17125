package io.kfdfs.protocol;

/** Every command code of docs/protocol.md §2.1. Responses always carry {@link #RESP}. */
public final class Cmd {
    public static final int REPORT_SERVER_ID = 9;
    public static final int UPLOAD_FILE = 11;
    public static final int DELETE_FILE = 12;
    public static final int SET_METADATA = 13;
    public static final int DOWNLOAD_FILE = 14;
    public static final int GET_METADATA = 15;
    public static final int SYNC_CREATE_FILE = 16;
    public static final int SYNC_DELETE_FILE = 17;
    public static final int SYNC_UPDATE_FILE = 18;
    public static final int SYNC_CREATE_LINK = 19;
    public static final int CREATE_LINK = 20;
    public static final int UPLOAD_SLAVE_FILE = 21;
    public static final int QUERY_FILE_INFO = 22;
    public static final int UPLOAD_APPENDER_FILE = 23;
    public static final int APPEND_FILE = 24;
    public static final int SYNC_APPEND_FILE = 25;
    public static final int FETCH_ONE_PATH_BINLOG = 26;
    public static final int TRUNK_ALLOC_SPACE = 27;
    public static final int TRUNK_ALLOC_CONFIRM = 28;
    public static final int TRUNK_FREE_SPACE = 29;
    public static final int TRUNK_SYNC_BINLOG = 30;
    public static final int TRUNK_GET_BINLOG_SIZE = 31;
    public static final int TRUNK_DELETE_BINLOG_MARKS = 32;
    public static final int TRUNK_TRUNCATE_BINLOG_FILE = 33;
    public static final int MODIFY_FILE = 34;
    public static final int SYNC_MODIFY_FILE = 35;
    public static final int TRUNCATE_FILE = 36;
    public static final int SYNC_TRUNCATE_FILE = 37;
    public static final int REGENERATE_APPENDER_FILENAME = 38;
    public static final int SYNC_RENAME_FILE = 40;
    public static final int TRACKER_JOIN_LEADER = 58;
    public static final int STORAGE_CHANGE_STATUS = 59;
    public static final int STORAGE_GET_MY_IP = 60;
    public static final int TRACKER_GET_SYS_FILES_START = 61;
    public static final int TRACKER_GET_SYS_FILES_END = 62;
    public static final int TRACKER_GET_ONE_SYS_FILE = 63;
    public static final int TRACKER_GET_STATUS = 64;
    public static final int TRACKER_PING_LEADER = 65;
    public static final int TRACKER_NOTIFY_NEXT_LEADER = 66;
    public static final int TRACKER_COMMIT_NEXT_LEADER = 67;
    public static final int TRACKER_NOTIFY_RESELECT_LEADER = 68;
    public static final int STORAGE_FETCH_STORAGE_IDS = 69;
    public static final int STORAGE_GET_SERVER_ID = 70;
    public static final int STORAGE_GET_STATUS = 71;
    public static final int STORAGE_FETCH_TRUNK_FID = 72;
    public static final int STORAGE_REPORT_TRUNK_FID = 73;
    public static final int STORAGE_REPORT_TRUNK_FREE = 74;
    public static final int STORAGE_PARAMETER_REQ = 75;
    public static final int STORAGE_REPORT_STATUS = 76;
    public static final int STORAGE_CHANGELOG_REQ = 77;
    public static final int STORAGE_REPORT_IP_CHANGED = 78;
    public static final int STORAGE_SYNC_DEST_QUERY = 79;
    public static final int STORAGE_JOIN = 81;
    public static final int QUIT = 82;
    public static final int STORAGE_BEAT = 83;
    public static final int STORAGE_REPORT_DISK_USAGE = 84;
    public static final int STORAGE_REPLICA_CHG = 85;
    public static final int STORAGE_SYNC_SRC_REQ = 86;
    public static final int STORAGE_SYNC_DEST_REQ = 87;
    public static final int STORAGE_SYNC_NOTIFY = 88;
    public static final int STORAGE_SYNC_REPORT = 89;
    public static final int SERVER_LIST_ONE_GROUP = 90;
    public static final int SERVER_LIST_ALL_GROUPS = 91;
    public static final int SERVER_LIST_STORAGE = 92;
    public static final int SERVER_DELETE_STORAGE = 93;
    public static final int SERVER_SET_TRUNK_SERVER = 94;
    public static final int SERVER_GET_LEADER = 95;
    public static final int SERVER_TRACKER_CLUSTER_STAT = 96;
    public static final int SERVER_STORAGE_CLUSTER_STAT = 97;
    public static final int SERVER_STORAGE_VOLUMN_STAT = 98;
    public static final int RESP = 100;
    public static final int SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE = 101;
    public static final int SERVICE_QUERY_FETCH_ONE = 102;
    public static final int SERVICE_QUERY_UPDATE = 103;
    public static final int SERVICE_QUERY_STORE_WITH_GROUP_ONE = 104;
    public static final int SERVICE_QUERY_FETCH_ALL = 105;
    public static final int SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL = 106;
    public static final int SERVICE_QUERY_STORE_WITH_GROUP_ALL = 107;
    public static final int SERVER_DELETE_GROUP = 108;
    public static final int STORAGE_GET_GROUP_NAME = 109;
    public static final int ACTIVE_TEST = 111;

    // kfdfs-only commands (docs/replication.md): codes no FastDFS version defines. A C server answers them
    // EINVAL, which their senders take as "not supported here".
    /** Storage to peer storage, on a sync connection: every record older than the timestamp has been sent. */
    public static final int KFDFS_SYNC_CAUGHT_UP = 240;
    /** Storage to tracker, on its joined connection: it takes no new files or changes (retirement). */
    public static final int KFDFS_STORAGE_READ_ONLY = 241;
    /** Client to storage: retirement steps (read-only and progress, leave, cancel). */
    public static final int KFDFS_RETIRE = 242;
    /** Client to tracker: choose a member for uploads no more, or again (a C member being retired). */
    public static final int KFDFS_DRAIN = 243;

    private Cmd() {
    }

    /** The symbolic name of a command code, or "CMD_<n>" for an undefined one. */
    public static String name(int cmd) {
        return switch (cmd) {
            case REPORT_SERVER_ID -> "REPORT_SERVER_ID";
            case UPLOAD_FILE -> "UPLOAD_FILE";
            case DELETE_FILE -> "DELETE_FILE";
            case SET_METADATA -> "SET_METADATA";
            case DOWNLOAD_FILE -> "DOWNLOAD_FILE";
            case GET_METADATA -> "GET_METADATA";
            case SYNC_CREATE_FILE -> "SYNC_CREATE_FILE";
            case SYNC_DELETE_FILE -> "SYNC_DELETE_FILE";
            case SYNC_UPDATE_FILE -> "SYNC_UPDATE_FILE";
            case SYNC_CREATE_LINK -> "SYNC_CREATE_LINK";
            case CREATE_LINK -> "CREATE_LINK";
            case UPLOAD_SLAVE_FILE -> "UPLOAD_SLAVE_FILE";
            case QUERY_FILE_INFO -> "QUERY_FILE_INFO";
            case UPLOAD_APPENDER_FILE -> "UPLOAD_APPENDER_FILE";
            case APPEND_FILE -> "APPEND_FILE";
            case SYNC_APPEND_FILE -> "SYNC_APPEND_FILE";
            case FETCH_ONE_PATH_BINLOG -> "FETCH_ONE_PATH_BINLOG";
            case TRUNK_ALLOC_SPACE -> "TRUNK_ALLOC_SPACE";
            case TRUNK_ALLOC_CONFIRM -> "TRUNK_ALLOC_CONFIRM";
            case TRUNK_FREE_SPACE -> "TRUNK_FREE_SPACE";
            case TRUNK_SYNC_BINLOG -> "TRUNK_SYNC_BINLOG";
            case TRUNK_GET_BINLOG_SIZE -> "TRUNK_GET_BINLOG_SIZE";
            case TRUNK_DELETE_BINLOG_MARKS -> "TRUNK_DELETE_BINLOG_MARKS";
            case TRUNK_TRUNCATE_BINLOG_FILE -> "TRUNK_TRUNCATE_BINLOG_FILE";
            case MODIFY_FILE -> "MODIFY_FILE";
            case SYNC_MODIFY_FILE -> "SYNC_MODIFY_FILE";
            case TRUNCATE_FILE -> "TRUNCATE_FILE";
            case SYNC_TRUNCATE_FILE -> "SYNC_TRUNCATE_FILE";
            case REGENERATE_APPENDER_FILENAME -> "REGENERATE_APPENDER_FILENAME";
            case SYNC_RENAME_FILE -> "SYNC_RENAME_FILE";
            case TRACKER_JOIN_LEADER -> "TRACKER_JOIN_LEADER";
            case STORAGE_CHANGE_STATUS -> "STORAGE_CHANGE_STATUS";
            case STORAGE_GET_MY_IP -> "STORAGE_GET_MY_IP";
            case TRACKER_GET_SYS_FILES_START -> "TRACKER_GET_SYS_FILES_START";
            case TRACKER_GET_SYS_FILES_END -> "TRACKER_GET_SYS_FILES_END";
            case TRACKER_GET_ONE_SYS_FILE -> "TRACKER_GET_ONE_SYS_FILE";
            case TRACKER_GET_STATUS -> "TRACKER_GET_STATUS";
            case TRACKER_PING_LEADER -> "TRACKER_PING_LEADER";
            case TRACKER_NOTIFY_NEXT_LEADER -> "TRACKER_NOTIFY_NEXT_LEADER";
            case TRACKER_COMMIT_NEXT_LEADER -> "TRACKER_COMMIT_NEXT_LEADER";
            case TRACKER_NOTIFY_RESELECT_LEADER -> "TRACKER_NOTIFY_RESELECT_LEADER";
            case STORAGE_FETCH_STORAGE_IDS -> "STORAGE_FETCH_STORAGE_IDS";
            case STORAGE_GET_SERVER_ID -> "STORAGE_GET_SERVER_ID";
            case STORAGE_GET_STATUS -> "STORAGE_GET_STATUS";
            case STORAGE_FETCH_TRUNK_FID -> "STORAGE_FETCH_TRUNK_FID";
            case STORAGE_REPORT_TRUNK_FID -> "STORAGE_REPORT_TRUNK_FID";
            case STORAGE_REPORT_TRUNK_FREE -> "STORAGE_REPORT_TRUNK_FREE";
            case STORAGE_PARAMETER_REQ -> "STORAGE_PARAMETER_REQ";
            case STORAGE_REPORT_STATUS -> "STORAGE_REPORT_STATUS";
            case STORAGE_CHANGELOG_REQ -> "STORAGE_CHANGELOG_REQ";
            case STORAGE_REPORT_IP_CHANGED -> "STORAGE_REPORT_IP_CHANGED";
            case STORAGE_SYNC_DEST_QUERY -> "STORAGE_SYNC_DEST_QUERY";
            case STORAGE_JOIN -> "STORAGE_JOIN";
            case QUIT -> "QUIT";
            case STORAGE_BEAT -> "STORAGE_BEAT";
            case STORAGE_REPORT_DISK_USAGE -> "STORAGE_REPORT_DISK_USAGE";
            case STORAGE_REPLICA_CHG -> "STORAGE_REPLICA_CHG";
            case STORAGE_SYNC_SRC_REQ -> "STORAGE_SYNC_SRC_REQ";
            case STORAGE_SYNC_DEST_REQ -> "STORAGE_SYNC_DEST_REQ";
            case STORAGE_SYNC_NOTIFY -> "STORAGE_SYNC_NOTIFY";
            case STORAGE_SYNC_REPORT -> "STORAGE_SYNC_REPORT";
            case SERVER_LIST_ONE_GROUP -> "SERVER_LIST_ONE_GROUP";
            case SERVER_LIST_ALL_GROUPS -> "SERVER_LIST_ALL_GROUPS";
            case SERVER_LIST_STORAGE -> "SERVER_LIST_STORAGE";
            case SERVER_DELETE_STORAGE -> "SERVER_DELETE_STORAGE";
            case SERVER_SET_TRUNK_SERVER -> "SERVER_SET_TRUNK_SERVER";
            case SERVER_GET_LEADER -> "SERVER_GET_LEADER";
            case SERVER_TRACKER_CLUSTER_STAT -> "SERVER_TRACKER_CLUSTER_STAT";
            case SERVER_STORAGE_CLUSTER_STAT -> "SERVER_STORAGE_CLUSTER_STAT";
            case SERVER_STORAGE_VOLUMN_STAT -> "SERVER_STORAGE_VOLUMN_STAT";
            case RESP -> "RESP";
            case SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE -> "SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE";
            case SERVICE_QUERY_FETCH_ONE -> "SERVICE_QUERY_FETCH_ONE";
            case SERVICE_QUERY_UPDATE -> "SERVICE_QUERY_UPDATE";
            case SERVICE_QUERY_STORE_WITH_GROUP_ONE -> "SERVICE_QUERY_STORE_WITH_GROUP_ONE";
            case SERVICE_QUERY_FETCH_ALL -> "SERVICE_QUERY_FETCH_ALL";
            case SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL -> "SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL";
            case SERVICE_QUERY_STORE_WITH_GROUP_ALL -> "SERVICE_QUERY_STORE_WITH_GROUP_ALL";
            case SERVER_DELETE_GROUP -> "SERVER_DELETE_GROUP";
            case STORAGE_GET_GROUP_NAME -> "STORAGE_GET_GROUP_NAME";
            case ACTIVE_TEST -> "ACTIVE_TEST";
            case KFDFS_SYNC_CAUGHT_UP -> "KFDFS_SYNC_CAUGHT_UP";
            case KFDFS_STORAGE_READ_ONLY -> "KFDFS_STORAGE_READ_ONLY";
            case KFDFS_RETIRE -> "KFDFS_RETIRE";
            case KFDFS_DRAIN -> "KFDFS_DRAIN";
            default -> "CMD_" + cmd;
        };
    }
}
