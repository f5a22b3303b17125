package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a group: its members as the trackers report them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageGroupStatus {

    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing, Degraded.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Storage ID of ordinal 0; ordinal n has storageIdBase + n.")
    public Integer storageIdBase;

    @JsonPropertyDescription("Store paths per member, as created (it cannot change).")
    public Integer storePathCount;

    @JsonPropertyDescription("Members the StatefulSet has now (kubectl scale reads it).")
    @StatusReplicas
    public int replicas;

    @JsonPropertyDescription("Members ACTIVE on every tracker.")
    public int activeMembers;

    @JsonPropertyDescription("Free space of the group (its smallest member), e.g. 9.5Gi.")
    public String free;

    public List<Member> members = new ArrayList<>();

    @JsonPropertyDescription("The member being retired (scale-in), and how far it got.")
    public Retirement retiring;

    /** Conditions, members and retirement on one line, for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("conditions ");
        conditions.forEach(c -> b.append(c.getType()).append('=').append(c.getStatus()).append('(').append(c.getReason())
                .append(c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage()).append(") "));
        b.append("members");
        members.forEach(m -> b.append(' ').append(m.storageId).append('/').append(m.pod).append('/').append(m.state)
                .append(m.podReady ? "/ready" : "/not-ready").append(m.updated ? "" : "/outdated"));
        if (retiring != null) {
            b.append(" retiring ").append(retiring.storageId).append(' ').append(retiring.step)
                    .append(retiring.waitingFor == null ? "" : ": " + retiring.waitingFor);
        }
        return b.toString();
    }

    /** One storage of the group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Member {
        public String storageId;
        public String pod;
        public String ip;
        @JsonPropertyDescription("FastDFS state as the trackers report it (the worst of them): INIT, WAIT_SYNC,"
                + " SYNCING, OFFLINE, ONLINE, ACTIVE, DELETED, or MISSING when no tracker lists it.")
        public String state;
        public Long freeBytes;
        public Long totalBytes;
        @JsonPropertyDescription("How many seconds of its peers' changes it has not received yet, as the"
                + " trackers compute it (unknown until it has synced something).")
        public Long syncDelaySeconds;
        @JsonPropertyDescription("Its last heartbeat, unix seconds, as the leader tracker saw it.")
        public Long lastHeartbeat;
        public boolean podReady;
        public boolean updated;
    }

    /** A scale-in in progress. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Retirement {
        public String storageId;
        public String pod;
        @JsonPropertyDescription("Preparing (read-only, waiting for its peers), Left (deleted on the trackers"
                + " next), Done.")
        public String step;
        public String waitingFor;
    }
}
