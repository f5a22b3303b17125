package io.kfdfs.operator.model;

import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every label the operator sets: the app.kubernetes.io set and kfdfs.io's own, from one place. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String VERSION = "app.kubernetes.io/version";
    /** The StorageGroup a storage pod belongs to (its resource name). */
    public static final String STORAGE_GROUP = "kfdfs.io/storage-group";
    /** The FastDFS group name. */
    public static final String GROUP = "kfdfs.io/group";
    public static final String TRACKER = "tracker";
    public static final String STORAGE = "storage";
    public static final String OPERATOR = "kfdfs-operator";
    /** Pod template annotation: the hash of the pod's config, so that a config change rolls the pods. */
    public static final String CONFIG_HASH = "kfdfs.io/config-hash";
    /** Set by the StatefulSet controller on each pod: the revision the pod was made from. */
    public static final String REVISION = "controller-revision-hash";

    private Labels() {
    }

    /** What selects a cluster's trackers (never changes once created: a Deployment's selector is immutable). */
    public static Map<String, String> trackerSelector(FdfsCluster c) {
        return Map.of(NAME, "kfdfs", INSTANCE, c.getMetadata().getName(), COMPONENT, TRACKER);
    }

    public static Map<String, String> tracker(FdfsCluster c, String version) {
        return all(trackerSelector(c), version);
    }

    public static Map<String, String> groupSelector(StorageGroup g) {
        return Map.of(NAME, "kfdfs", INSTANCE, g.getSpec().cluster, COMPONENT, STORAGE, STORAGE_GROUP,
                g.getMetadata().getName());
    }

    public static Map<String, String> group(StorageGroup g, String version) {
        Map<String, String> labels = all(groupSelector(g), version);
        labels.put(GROUP, g.getSpec().groupName);
        return labels;
    }

    /** Everything a cluster made, its groups' objects included. */
    public static Map<String, String> cluster(String cluster) {
        return Map.of(NAME, "kfdfs", INSTANCE, cluster);
    }

    private static Map<String, String> all(Map<String, String> selector, String version) {
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(PART_OF, "kfdfs");
        labels.put(VERSION, version);
        return labels;
    }
}
