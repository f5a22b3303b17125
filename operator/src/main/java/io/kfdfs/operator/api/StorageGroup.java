package io.kfdfs.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One FastDFS group of a {@link FdfsCluster}: a StatefulSet of storages that hold the same files. */
@Group(FdfsCluster.GROUP)
@Version(FdfsCluster.VERSION)
@ShortNames("sg")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(name = "Group", jsonPath = ".spec.groupName")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".status.activeMembers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Free", jsonPath = ".status.free")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class StorageGroup extends CustomResource<StorageGroupSpec, StorageGroupStatus> implements Namespaced {

    @Override
    protected StorageGroupSpec initSpec() {
        return new StorageGroupSpec();
    }
}
