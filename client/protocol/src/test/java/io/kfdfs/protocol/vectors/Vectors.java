package io.kfdfs.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames captured between the C FastDFS 6.16.1 programs ({@code testdata/vectors/*.jsonl} at the top
 * of the repository), one {@link VectorFrame} per line. Tests of every module read them through this class.
 */
public final class Vectors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    /** Where the vectors live, relative to the repository's top folder. */
    public static final String IN_REPOSITORY = "testdata/vectors";

    /**
     * The vectors folder: {@code KFDFS_VECTORS} if set (an override, e.g. a newer capture), else the
     * repository's own {@value #IN_REPOSITORY}, found walking up from the working directory (each
     * module's tests run in the module's folder).
     */
    public static Path dir() {
        String env = System.getenv("KFDFS_VECTORS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return inRepository();
    }

    /** The repository's copy, whatever {@code KFDFS_VECTORS} says. */
    public static Path inRepository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(IN_REPOSITORY);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(IN_REPOSITORY + " not found above " + Path.of("").toAbsolutePath()
                + "; run the tests inside the kfdfs repository or set KFDFS_VECTORS");
    }

    /** All frames of one scenario file, e.g. {@code "02_upload.jsonl"}, in capture order. */
    public static List<VectorFrame> load(String file) {
        List<VectorFrame> frames = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir().resolve(file))) {
                if (!line.isBlank()) {
                    frames.add(parse(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    /** Every scenario file's frames. */
    public static Map<String, List<VectorFrame>> all() {
        Map<String, List<VectorFrame>> all = new LinkedHashMap<>();
        for (String f : List.of("01_storage_tracker.jsonl", "02_upload.jsonl", "03_download.jsonl",
                "04_file_info_delete.jsonl", "05_metadata_appender_slave.jsonl", "06_monitor.jsonl",
                "07_storage_sync.jsonl", "07b_client_ops_during_sync.jsonl", "08_errors.jsonl",
                "09_ipmode_all.jsonl")) {
            all.put(f, load(f));
        }
        return all;
    }

    private static VectorFrame parse(JsonNode n) {
        return new VectorFrame(
                n.get("i").asInt(),
                n.get("conn").asInt(),
                n.get("client").asText(),
                n.get("server").asText(),
                n.get("server_role").asText(),
                n.get("kind").asText(),
                "c2s".equals(n.get("dir").asText()),
                n.get("cmd").asInt(),
                n.has("req_cmd") ? n.get("req_cmd").asInt() : -1,
                n.get("status").asInt(),
                n.get("len").asLong(),
                n.path("truncated").asBoolean(false),
                n.path("crafted").asBoolean(false),
                n.path("desc").asText(""),
                HexFormat.of().parseHex(n.get("hex").asText()));
    }
}
