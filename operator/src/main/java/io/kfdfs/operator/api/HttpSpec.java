package io.kfdfs.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** HTTP file access on the storages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpSpec {

    @JsonPropertyDescription("When set, every HTTP download needs FastDFS's anti-steal token made with this"
            + " secret (http.anti_steal.check_token); the key is read from the Secret into the storages' env.")
    public SecretKeySelector antiStealSecret;

    @JsonPropertyDescription("How long a token is valid, in seconds (default 600).")
    @Min(1)
    public int tokenTtlSeconds = 600;
}
