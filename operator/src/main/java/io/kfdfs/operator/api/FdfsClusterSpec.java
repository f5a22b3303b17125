package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a user asks of a cluster. Every field is optional; the defaults give a working cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    @JsonPropertyDescription("While true the operator changes nothing it manages (status is still written).")
    public boolean paused;
}
