package io.kfdfs.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes manifests (several YAML documents) as fabric8 objects, each with the document as written: the
 * typed objects drop fields their classes lack, and validation must see them.
 */
final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One document: what it says, and the object fabric8 makes of it. */
    record Doc(JsonNode raw, HasMetadata object) {

        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }

        String json() {
            return raw.toString();
        }

        <T> T as(Class<T> type) {
            return SERIALIZATION.convertValue(raw, type);
        }

        @Override
        public String toString() {
            return kind() + " " + name();
        }
    }

    private Manifests() {
    }

    static List<Doc> parse(String yaml) {
        List<Doc> docs = new ArrayList<>();
        try {
            for (JsonNode node : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (node == null || node.isNull() || node.isMissingNode() || node.isEmpty()) {
                    continue; // an empty document: a template that rendered nothing
                }
                if (!node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
                    throw new IllegalArgumentException("a document without apiVersion or kind: " + node);
                }
                docs.add(new Doc(node, SERIALIZATION.unmarshal(JSON.writeValueAsString(node), HasMetadata.class)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<Doc> ofKind(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    static Doc one(List<Doc> docs, String kind) {
        List<Doc> found = ofKind(docs, kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found);
        }
        return found.get(0);
    }
}
