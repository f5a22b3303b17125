package io.kfdfs.protocol;

/**
 * The version kfdfs servers report (JOIN, the tracker lists, TRACKER_CLUSTER_STAT): the FastDFS version
 * whose protocol they speak, marked with a {@code k} so that a kfdfs server can tell its kfdfs peers from
 * C ones (a C storage closes the connection on a kfdfs-only command) and {@code fdfs migrate status} can
 * tell the members of a mixed group apart. C reads the 8-character field as text only (docs/protocol.md
 * §14.4).
 */
public final class Version {

    /** The FastDFS release whose wire protocol kfdfs speaks. */
    public static final String FASTDFS = "6.16.1";
    /** What kfdfs trackers and storages report. */
    public static final String KFDFS = FASTDFS + "k";

    private Version() {
    }

    /** Whether a reported version is a kfdfs server's. */
    public static boolean isKfdfs(String version) {
        return version != null && version.endsWith("k");
    }
}
