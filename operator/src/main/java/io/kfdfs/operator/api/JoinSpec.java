package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/**
 * A running FastDFS cluster (the C FastDFS or kfdfs, outside the operator) that this cluster joins to take its
 * files over (docs/migration.md): the storages list its trackers beside the operator's, so the trackers become
 * peers, and a StorageGroup with the name of one of its groups full-syncs from that group's members. The
 * storage IDs stay that cluster's scheme: IP mode, or its storage_ids.conf with the operator's IDs after it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.storageIds) == has(oldSelf.storageIds)",
        message = "join.storageIds cannot be added or removed: IP mode or storage IDs is the joined cluster's for good")
public class JoinSpec {

    @JsonPropertyDescription("host:port of each of its trackers (its tracker_server lines). Empty once its"
            + " storages are retired and its trackers stopped.")
    public List<String> trackers = new ArrayList<>();

    @JsonPropertyDescription("The text of its trackers' storage_ids.conf when it runs with use_storage_id = true;"
            + " its IDs are kept and the operator gives its own members IDs above them. Unset: it runs in IP"
            + " mode (use_storage_id = false), and so does this cluster, for good.")
    @ValidationRule(value = "self == oldSelf", message = "join.storageIds is immutable: file IDs carry the scheme")
    public String storageIds;

    @JsonPropertyDescription("Its id_type_in_filename (id or ip) when storageIds is set; default id.")
    @Pattern("^(id|ip)$")
    @ValidationRule(value = "self == oldSelf", message = "join.idTypeInFilename is immutable: file IDs carry it")
    public String idTypeInFilename = "id";
}
