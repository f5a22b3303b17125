package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** The StatefulSet's PVC retention policy, with kfdfs's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PvcRetention {

    @JsonPropertyDescription("Delete (default: a retired member's files live on its peers) or Retain.")
    @Pattern("^(Delete|Retain)$")
    public String whenScaled = "Delete";

    @JsonPropertyDescription("Retain (default: deleting the group keeps its files) or Delete.")
    @Pattern("^(Delete|Retain)$")
    public String whenDeleted = "Retain";
}
