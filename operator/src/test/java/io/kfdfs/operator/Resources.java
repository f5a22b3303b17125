package io.kfdfs.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Defaults;
import io.kfdfs.operator.model.Release;

/** Custom resources as a user writes them, for tests. */
public final class Resources {

    public static final Defaults DEFAULTS = new Defaults(new Release("1.2.3", "reg/kfdfs-tracker:1.2.3",
            "reg/kfdfs-storage:1.2.3", "reg/kfdfs-operator:1.2.3"), "cluster.local");

    private Resources() {
    }

    public static FdfsCluster cluster(String namespace, String name) {
        FdfsCluster c = new FdfsCluster();
        c.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid("uid-" + name)
                .withGeneration(1L).build());
        return c;
    }

    public static StorageGroup group(FdfsCluster cluster, String name, String groupName, int replicas) {
        StorageGroup g = new StorageGroup();
        g.setMetadata(new ObjectMetaBuilder().withNamespace(cluster.getMetadata().getNamespace()).withName(name)
                .withUid("uid-" + name).withGeneration(1L).build());
        g.getSpec().cluster = cluster.getMetadata().getName();
        g.getSpec().groupName = groupName;
        g.getSpec().replicas = replicas;
        return g;
    }
}
