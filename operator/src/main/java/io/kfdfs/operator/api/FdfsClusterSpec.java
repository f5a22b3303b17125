package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** What a user asks of a cluster. Every field is optional; the defaults give a working cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.join) == has(oldSelf.join)",
        message = "join cannot be added to or removed from a cluster: its storage ID scheme depends on it")
public class FdfsClusterSpec {

    @JsonPropertyDescription("Container images of the pods; by default the operator's own release.")
    public Images image = new Images();

    @JsonPropertyDescription("The trackers: a Deployment behind a ClusterIP Service (clients) and a headless"
            + " Service (storages find every tracker through it).")
    public TrackerSpec trackers = new TrackerSpec();

    @JsonPropertyDescription("Defaults of every StorageGroup of this cluster; a StorageGroup may override each.")
    public StorageDefaults storageDefaults = new StorageDefaults();

    @JsonPropertyDescription("The storages' HTTP file access.")
    public HttpSpec http = new HttpSpec();

    @JsonPropertyDescription("A running FastDFS cluster (C or kfdfs) to join and take over: docs/migration.md.")
    public JoinSpec join;

    @JsonPropertyDescription("While true the operator changes nothing it manages (status is still written).")
    public boolean paused;
}
