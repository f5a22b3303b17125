package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One FastDFS group. Null fields take the cluster's {@link StorageDefaults}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.storePaths) || (has(self.storePaths) && size(self.storePaths) == size(oldSelf.storePaths))",
        message = "the number of storePaths cannot change once the group exists")
public class StorageGroupSpec {

    @JsonPropertyDescription("Name of the FdfsCluster (same namespace) this group belongs to.")
    @Required
    @ValidationRule(value = "self == oldSelf", message = "cluster is immutable")
    public String cluster;

    @JsonPropertyDescription("The FastDFS group name, written into every file ID: 1-16 letters or digits.")
    @Required
    @Pattern("^[A-Za-z0-9]{1,16}$")
    @ValidationRule(value = "self == oldSelf", message = "groupName is immutable")
    public String groupName;

    @JsonPropertyDescription("Storages in the group (default 2); each holds every file of the group. Scale-in"
            + " retires the highest ordinals first, without losing a file.")
    @Min(1)
    @Max(100)
    @SpecReplicas
    public int replicas = 2;

    @JsonPropertyDescription("The store paths (M00, M01, ...), a volume each; default: the cluster's"
            + " storePathCount volumes of its size and class. Their number cannot change once created.")
    public List<StorePath> storePaths;

    @JsonPropertyDescription("Override of the cluster's storage image.")
    public String image;

    public ResourceRequirements resources;

    @JsonPropertyDescription("storage.conf keys, over the cluster's storageDefaults.config.")
    public Map<String, String> config = new LinkedHashMap<>();

    @JsonPropertyDescription("Over the cluster's storageDefaults.template.")
    public PodOverrides template = new PodOverrides();

    @JsonPropertyDescription("What happens to the store path volumes (PVCs) of members that go.")
    public PvcRetention pvcRetention = new PvcRetention();
}
