package io.kfdfs.operator.model;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.PodOverrides;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorePath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A group's effective settings: its own where it sets them, else its cluster's storageDefaults. */
public final class Specs {

    private Specs() {
    }

    /** Whether the cluster runs in IP mode ({@code use_storage_id = false}): only one that joined such a cluster. */
    public static boolean ipMode(FdfsCluster c) {
        return c.getSpec().join != null && c.getSpec().join.storageIds == null;
    }

    /** The trackers of the cluster it joined, none if it joined none. */
    public static List<String> joinedTrackers(FdfsCluster c) {
        return c.getSpec().join == null || c.getSpec().join.trackers == null ? List.of() : c.getSpec().join.trackers;
    }

    public static List<StorePath> storePaths(FdfsCluster c, StorageGroup g) {
        var d = c.getSpec().storageDefaults;
        List<StorePath> paths = new ArrayList<>();
        if (g.getSpec().storePaths == null || g.getSpec().storePaths.isEmpty()) {
            for (int i = 0; i < d.storePathCount; i++) {
                paths.add(new StorePath(d.size, d.storageClassName));
            }
            return paths;
        }
        for (StorePath p : g.getSpec().storePaths) {
            paths.add(new StorePath(p.size != null ? p.size : d.size,
                    p.storageClassName != null ? p.storageClassName : d.storageClassName));
        }
        return paths;
    }

    public static Map<String, String> storageConfig(FdfsCluster c, StorageGroup g) {
        Map<String, String> merged = new LinkedHashMap<>(c.getSpec().storageDefaults.config);
        merged.putAll(g.getSpec().config);
        return merged;
    }

    public static String storageImage(FdfsCluster c, StorageGroup g, Release release) {
        if (g.getSpec().image != null && !g.getSpec().image.isBlank()) {
            return g.getSpec().image;
        }
        String image = c.getSpec().image.storage;
        return image != null && !image.isBlank() ? image : release.storageImage();
    }

    public static String trackerImage(FdfsCluster c, Release release) {
        String image = c.getSpec().image.tracker;
        return image != null && !image.isBlank() ? image : release.trackerImage();
    }

    public static ResourceRequirements storageResources(FdfsCluster c, StorageGroup g) {
        return g.getSpec().resources != null ? g.getSpec().resources : c.getSpec().storageDefaults.resources;
    }

    /** The group's overrides over the cluster's: a set field wins; labels and annotations merge. */
    public static PodOverrides storageTemplate(FdfsCluster c, StorageGroup g) {
        PodOverrides d = c.getSpec().storageDefaults.template;
        PodOverrides o = g.getSpec().template;
        PodOverrides m = new PodOverrides();
        m.labels = merge(d.labels, o.labels);
        m.annotations = merge(d.annotations, o.annotations);
        m.affinity = o.affinity != null ? o.affinity : d.affinity;
        m.tolerations = o.tolerations != null ? o.tolerations : d.tolerations;
        m.nodeSelector = o.nodeSelector != null ? o.nodeSelector : d.nodeSelector;
        m.topologySpreadConstraints = o.topologySpreadConstraints != null ? o.topologySpreadConstraints
                : d.topologySpreadConstraints;
        m.priorityClassName = o.priorityClassName != null ? o.priorityClassName : d.priorityClassName;
        m.securityContext = o.securityContext != null ? o.securityContext : d.securityContext;
        return m;
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> over) {
        if (base == null && over == null) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (base != null) {
            m.putAll(base);
        }
        if (over != null) {
            m.putAll(over);
        }
        return m;
    }
}
