package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;
import java.util.Map;

/**
 * What a user may set on the pods the operator makes. Null fields leave the operator's choice; in a
 * StorageGroup a set field replaces the cluster's default of the same field, and labels and annotations
 * are merged (the group's win).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodOverrides {

    @JsonPropertyDescription("Extra pod labels (the operator's own app.kubernetes.io/* labels cannot be replaced).")
    public Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations.")
    public Map<String, String> annotations;

    public Affinity affinity;

    public List<Toleration> tolerations;

    public Map<String, String> nodeSelector;

    public List<TopologySpreadConstraint> topologySpreadConstraints;

    public String priorityClassName;

    @JsonPropertyDescription("Pod security context; default: non-root user 10001, fsGroup 10001.")
    public PodSecurityContext securityContext;
}
