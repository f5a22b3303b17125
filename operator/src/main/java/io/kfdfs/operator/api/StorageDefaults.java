package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every StorageGroup of a cluster gets unless it says otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageDefaults {

    @JsonPropertyDescription("CPU and memory of each storage container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Storage class of the store path volumes; empty: the cluster's default class.")
    public String storageClassName;

    @JsonPropertyDescription("Size of each store path volume (default 10Gi).")
    public String size = "10Gi";

    @JsonPropertyDescription("Store paths (volumes) per storage, M00, M01, ... (default 1).")
    @Min(1)
    @Max(16)
    public int storePathCount = 1;

    @JsonPropertyDescription("storage.conf keys (FastDFS names and meanings). The keys the operator owns"
            + " (group_name, server_id, port, http_port, bind_addr, base_path, store_path*, tracker_server)"
            + " are refused.")
    public Map<String, String> config = new LinkedHashMap<>();

    @JsonPropertyDescription("Labels, annotations and scheduling of the storage pods.")
    public PodOverrides template = new PodOverrides();
}
