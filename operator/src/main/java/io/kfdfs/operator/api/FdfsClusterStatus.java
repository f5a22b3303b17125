package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operator observed of a cluster, from Kubernetes and from the trackers themselves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FdfsClusterStatus {

    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing, Degraded.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The tracker pods and what each says of itself.")
    public List<TrackerState> trackers = new ArrayList<>();

    @JsonPropertyDescription("The leader tracker's address, as the trackers report it.")
    public String leader;

    @JsonPropertyDescription("Ready trackers / desired, e.g. 3/3.")
    public String trackersReady;

    @JsonPropertyDescription("Groups whose members are all ACTIVE / groups.")
    public String groupsReady;

    public List<GroupSummary> groups = new ArrayList<>();

    @JsonPropertyDescription("Storage ID blocks by FastDFS group name: a group's members have the IDs"
            + " 100001 + 100 x block + ordinal. A block is never given to another group, so IDs (written into"
            + " file names) never change or collide as groups come and go.")
    public Map<String, Integer> storageIdBlocks = new LinkedHashMap<>();

    /** Conditions and trackers on one line, for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("conditions ");
        conditions.forEach(c -> b.append(c.getType()).append('=').append(c.getStatus()).append('(').append(c.getReason())
                .append(c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage()).append(") "));
        b.append("leader ").append(leader).append(" trackers");
        trackers.forEach(t -> b.append(' ').append(t.pod).append('/').append(t.ip).append(t.leader ? "/leader" : "")
                .append(t.ready ? "/ready" : "/not-ready").append(t.error == null ? "" : "/" + t.error));
        return b.append(" groups ").append(groupsReady).toString();
    }

    /** One tracker pod. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TrackerState {
        public String pod;
        public String ip;
        public boolean ready;
        public boolean leader;
        @JsonPropertyDescription("Why the operator could not read this tracker, if it could not.")
        public String error;
    }

    /** One group as the trackers report it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class GroupSummary {
        public String name;
        public String storageGroup;
        public int activeMembers;
        public int desiredMembers;
        public Long freeBytes;
        public Long totalBytes;
    }
}
