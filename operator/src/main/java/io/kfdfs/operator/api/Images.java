package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

import java.util.ArrayList;
import java.util.List;

/** The pods' images; empty fields take the operator's defaults (the images of its own release). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Images {

    @JsonPropertyDescription("The tracker image; default: the operator's release of kfdfs-tracker.")
    public String tracker;

    @JsonPropertyDescription("The storage image; default: the operator's release of kfdfs-storage."
            + " A StorageGroup may override it.")
    public String storage;

    @JsonPropertyDescription("Always, IfNotPresent (default) or Never.")
    @Pattern("^(Always|IfNotPresent|Never)$")
    public String pullPolicy = "IfNotPresent";

    @JsonPropertyDescription("Names of Secrets in the cluster's namespace to pull the images with.")
    public List<String> pullSecrets = new ArrayList<>();
}
