package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One store path volume of each member; null fields take the cluster's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorePath {

    @JsonPropertyDescription("Volume size, e.g. 100Gi.")
    public String size;

    public String storageClassName;

    public StorePath() {
    }

    public StorePath(String size, String storageClassName) {
        this.size = size;
        this.storageClassName = storageClassName;
    }
}
