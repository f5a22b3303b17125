package io.kfdfs.tracker;

/** Per connection to the tracker: the storage or follower tracker it is, and what it has been sent. */
final class Session {
    /** The storage that joined on this connection (81), or null. */
    StorageNode storage;
    long groupVersionSent = -1;
    long leaderVersionSent = -1;
    /** The tracker that joined this leader on this connection (65), or null. */
    Leadership.Follower follower;
    /** The data files as they were at GET_SYS_FILES_START (61), for a peer tracker copying them. */
    byte[][] sysFiles;
}
