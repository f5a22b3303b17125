package io.kfdfs.operator.model;

import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;

/** The names of everything the operator makes, and the DNS names inside the configs. */
public final class Names {

    public static final String TRACKER_CONF = "tracker.conf";
    public static final String STORAGE_CONF = "storage.conf";
    public static final String STORAGE_IDS_CONF = "storage_ids.conf";
    /** Where the configs are mounted: a ConfigMap as a directory (a subPath mount would never update). */
    public static final String CONF_DIR = "/etc/kfdfs";
    /** storage_ids.conf has a ConfigMap and a mount of its own: it changes with every scale-out, and the
     * trackers reload it in place instead of restarting. */
    public static final String IDS_DIR = "/etc/kfdfs/ids";
    public static final String DATA_DIR = "/var/lib/kfdfs";
    public static final int STORAGE_PORT = 23000;
    public static final int STORAGE_HTTP_PORT = 8888;

    private Names() {
    }

    public static String tracker(FdfsCluster c) {
        return c.getMetadata().getName() + "-tracker";
    }

    public static String trackerHeadless(FdfsCluster c) {
        return tracker(c) + "-headless";
    }

    public static String trackerConfig(FdfsCluster c) {
        return tracker(c) + "-config";
    }

    public static String storageIds(FdfsCluster c) {
        return c.getMetadata().getName() + "-storage-ids";
    }

    /** The group's StatefulSet, headless Service and PodDisruptionBudget. */
    public static String group(StorageGroup g) {
        return g.getMetadata().getName();
    }

    public static String groupConfig(StorageGroup g) {
        return group(g) + "-config";
    }

    public static String pod(StorageGroup g, int ordinal) {
        return group(g) + "-" + ordinal;
    }

    /** A storage pod's stable DNS name through its group's headless Service. */
    public static String podHost(StorageGroup g, int ordinal, String clusterDomain) {
        return pod(g, ordinal) + "." + group(g) + "." + g.getMetadata().getNamespace() + ".svc." + clusterDomain;
    }

    /** The name every storage puts in tracker_server: it resolves to every tracker pod. */
    public static String trackerHeadlessHost(FdfsCluster c, String clusterDomain) {
        return trackerHeadless(c) + "." + c.getMetadata().getNamespace() + ".svc." + clusterDomain;
    }

    /** The name applications give the client: the ClusterIP Service spreads them over the trackers. */
    public static String trackerServiceHost(FdfsCluster c, String clusterDomain) {
        return tracker(c) + "." + c.getMetadata().getNamespace() + ".svc." + clusterDomain;
    }

    public static String storePathVolume(int index) {
        return "store" + index;
    }

    public static String storePathDir(int index) {
        return DATA_DIR + "/" + storePathVolume(index);
    }

    /** A store path PVC of a StatefulSet member, as the StatefulSet controller names it. */
    public static String storePathClaim(StorageGroup g, int index, int ordinal) {
        return storePathVolume(index) + "-" + pod(g, ordinal);
    }
}
