package io.kfdfs.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The OpenAPI schemas of the CRDs in {@code crds/}, to check custom resources as the API server does before
 * it stores them (the CEL rules aside). Strict as {@code kubectl apply} is (server-side field validation):
 * a field the schema does not know is an error, where the API server would otherwise drop it silently.
 */
final class CrdSchemas {

    static final Path CRDS = Path.of("..", "crds");

    /** By "group/version/kind". */
    private final Map<String, Schema> schemas = new HashMap<>();

    CrdSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        try (Stream<Path> files = Files.list(CRDS)) {
            for (Path file : files.sorted().toList()) {
                for (Manifests.Doc crd : Manifests.parse(Files.readString(file))) {
                    JsonNode spec = crd.raw().get("spec");
                    String kind = spec.get("names").get("kind").asText();
                    for (JsonNode version : spec.get("versions")) {
                        ObjectNode schema = version.get("schema").get("openAPIV3Schema").deepCopy();
                        // what every object has, which the API server checks itself
                        ObjectNode properties = (ObjectNode) schema.get("properties");
                        properties.putObject("apiVersion").put("type", "string");
                        properties.putObject("kind").put("type", "string");
                        properties.putObject("metadata").put("type", "object");
                        strict(schema);
                        schemas.put(spec.get("group").asText() + "/" + version.get("name").asText() + "/" + kind,
                                registry.getSchema(schema.toString(), InputFormat.JSON));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean knows(Manifests.Doc doc) {
        return schemas.containsKey(key(doc));
    }

    /** What the API server would refuse in {@code doc}: empty when it is valid. */
    List<String> problems(Manifests.Doc doc) {
        Schema schema = schemas.get(key(doc));
        if (schema == null) {
            return List.of("no CRD in crds/ defines " + key(doc));
        }
        return schema.validate(doc.json(), InputFormat.JSON).stream()
                .map(e -> doc + ": " + e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static String key(Manifests.Doc doc) {
        return doc.raw().get("apiVersion").asText() + "/" + doc.kind();
    }

    /** Every object with listed properties refuses others, unless it says it keeps unknown fields. */
    private static void strict(JsonNode schema) {
        if (schema instanceof ObjectNode o && o.has("properties") && !o.has("additionalProperties")
                && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            o.put("additionalProperties", false);
        }
        schema.forEach(CrdSchemas::strict);
    }
}
