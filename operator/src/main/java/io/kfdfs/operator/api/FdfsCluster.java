package io.kfdfs.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A kfdfs cluster: its trackers, and the defaults of its storage groups ({@link StorageGroup}). */
@Group(FdfsCluster.GROUP)
@Version(FdfsCluster.VERSION)
@ShortNames("fdfs")
@AdditionalPrinterColumn(name = "Trackers", jsonPath = ".status.trackersReady")
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader")
@AdditionalPrinterColumn(name = "Groups", jsonPath = ".status.groupsReady")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class FdfsCluster extends CustomResource<FdfsClusterSpec, FdfsClusterStatus> implements Namespaced {

    public static final String GROUP = "kfdfs.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected FdfsClusterSpec initSpec() {
        return new FdfsClusterSpec();
    }
}
