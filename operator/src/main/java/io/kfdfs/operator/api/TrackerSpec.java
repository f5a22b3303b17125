package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.LinkedHashMap;
import java.util.Map;

/** The trackers of a cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrackerSpec {

    @JsonPropertyDescription("How many trackers (default 1). They are peers: one is elected leader; with more"
            + " than one a PodDisruptionBudget keeps all but one up.")
    @Min(1)
    @Max(9)
    public int replicas = 1;

    @JsonPropertyDescription("The FastDFS tracker port (default 22122).")
    @Min(1)
    @Max(65535)
    public int port = 22122;

    @JsonPropertyDescription("The HTTP port: dashboard, /healthz, /readyz, /metrics (default 8080).")
    @Min(1)
    @Max(65535)
    public int httpPort = 8080;

    @JsonPropertyDescription("CPU and memory of each tracker container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("tracker.conf keys (FastDFS names and meanings, e.g. store_lookup, allow_hosts;"
            + " several values of a repeatable key separated by ';'). The keys the operator owns (port,"
            + " http_port, bind_addr, base_path, use_storage_id, storage_ids_filename, id_type_in_filename)"
            + " are refused.")
    public Map<String, String> config = new LinkedHashMap<>();

    @JsonPropertyDescription("Labels, annotations and scheduling of the tracker pods.")
    public PodOverrides template = new PodOverrides();
}
