package io.kfdfs.protocol;

/** Storage status values (docs/protocol.md §6.1). The order matters: merges keep the larger value. */
public final class StorageStatus {
    public static final int INIT = 0;
    public static final int WAIT_SYNC = 1;
    public static final int SYNCING = 2;
    public static final int IP_CHANGED = 3;
    public static final int DELETED = 4;
    public static final int OFFLINE = 5;
    public static final int ONLINE = 6;
    public static final int ACTIVE = 7;
    public static final int RECOVERY = 9;
    public static final int NONE = 99;

    private StorageStatus() {
    }

    public static String name(int status) {
        return switch (status) {
            case INIT -> "INIT";
            case WAIT_SYNC -> "WAIT_SYNC";
            case SYNCING -> "SYNCING";
            case IP_CHANGED -> "IP_CHANGED";
            case DELETED -> "DELETED";
            case OFFLINE -> "OFFLINE";
            case ONLINE -> "ONLINE";
            case ACTIVE -> "ACTIVE";
            case RECOVERY -> "RECOVERY";
            case NONE -> "NONE";
            default -> "UNKNOWN(" + status + ")";
        };
    }
}
