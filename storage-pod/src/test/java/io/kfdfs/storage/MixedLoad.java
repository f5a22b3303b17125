package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.testing.TestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A random mix of every change a client can make to one storage (uploads, appender files and their
 * appends, modifies, truncates and renames, metadata, slaves, deletes), remembering which files exist and
 * which were deleted, and the trees of data files the members end up with.
 */
final class MixedLoad {

    private final Random random;
    final List<String> normals = new ArrayList<>();
    final List<String> appenders = new ArrayList<>();
    final List<String> slaves = new ArrayList<>();
    final Set<String> deleted = new TreeSet<>();
    private int ops;

    MixedLoad(long seed) {
        this.random = new Random(seed);
    }

    /** Runs {@code count} operations on {@code c}; every one must succeed. */
    void run(TestClient c, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            step(c);
        }
    }

    int ops() {
        return ops;
    }

    /** One random operation; a failure (the storage went away) leaves the model as before it. */
    void step(TestClient c) throws IOException {
        int dice = random.nextInt(100);
        ops++;
        if (dice < 25 || normals.isEmpty()) {
            normals.add(c.upload(content(), ext()));
        } else if (dice < 35 || appenders.isEmpty()) {
            appenders.add(c.uploadAppender(content(), ext()));
        } else if (dice < 45) {
            ok(c.append(pick(appenders), content()), "append");
        } else if (dice < 53) {
            String name = pick(appenders);
            long size = c.fileInfo(name, 1).fileSize();
            ok(c.modify(name, size == 0 ? 0 : random.nextLong(size), content()), "modify");
        } else if (dice < 59) {
            String name = pick(appenders);
            long size = c.fileInfo(name, 1).fileSize();
            ok(c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(name, random.nextLong(size + 100))), "truncate");
        } else if (dice < 63) {
            String name = pick(appenders);
            String renamed = TestClient.name(c.call(Cmd.REGENERATE_APPENDER_FILENAME, new RegenerateAppenderRequest(name)));
            appenders.remove(name);
            deleted.add(name);
            normals.add(renamed);
        } else if (dice < 73) {
            List<String> all = new ArrayList<>(normals);
            all.addAll(appenders);
            Metadata md = Metadata.of(Map.of("k" + random.nextInt(5), "v" + random.nextInt(1000)));
            ok(c.setMetadata(pick(all), random.nextBoolean() ? SetMetadataRequest.OVERWRITE : SetMetadataRequest.MERGE, md),
                    "set metadata");
        } else if (dice < 76) {
            ok(c.setMetadata(pick(normals), SetMetadataRequest.OVERWRITE, Metadata.EMPTY), "clear metadata");
        } else if (dice < 82) {
            String master = pick(normals);
            String prefix = "_s" + ops;
            TestClient.Reply r = c.uploadSlave(master, prefix, "jpg", content());
            slaves.add(TestClient.name(r));
        } else {
            List<String> from = switch (random.nextInt(3)) {
                case 0 -> appenders;
                case 1 -> slaves.isEmpty() ? normals : slaves;
                default -> normals;
            };
            if (from.isEmpty()) {
                from = normals;
            }
            String name = pick(from);
            ok(c.delete(name), "delete");
            from.remove(name);
            deleted.add(name);
        }
    }

    /** Every file the load believes exists. */
    List<String> live() {
        List<String> all = new ArrayList<>(normals);
        all.addAll(appenders);
        all.addAll(slaves);
        return all;
    }

    private byte[] content() {
        int size = random.nextInt(20) == 0 ? 256 * 1024 + random.nextInt(256 * 1024) : random.nextInt(4096);
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private String ext() {
        return switch (random.nextInt(3)) {
            case 0 -> "txt";
            case 1 -> "bin";
            default -> "";
        };
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static void ok(TestClient.Reply r, String what) {
        assertEquals(0, r.status(), what);
    }

    /**
     * The data files (with {@code -m} metadata files) under a store path's {@code data} directory: remote
     * name → SHA-256 of the content. Temporary files are left out.
     */
    static Map<String, String> tree(Path storeRoot) throws IOException {
        Path data = storeRoot.resolve("data");
        Map<String, String> tree = new TreeMap<>();
        for (Path high : list(data)) {
            for (Path low : list(high)) {
                for (Path file : list(low)) {
                    if (file.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    try {
                        tree.put("M00/" + data.relativize(file), sha256(Files.readAllBytes(file)));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // deleted while looking: the next look will not see it
                    }
                }
            }
        }
        return tree;
    }

    /** The directory's entries ({@code HH} directories only at the top), none if it is gone. */
    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !dir.getFileName().toString().equals("data") || p.getFileName().toString().length() == 2)
                    .toList();
        } catch (java.nio.file.NoSuchFileException gone) {
            return List.of();
        }
    }

    /** Removes a directory and everything under it (a wiped disk). */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** What a replica's tree lacks, has too many or has different from the source's ("" when none). */
    static String difference(Map<String, String> source, Map<String, String> replica) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        source.forEach((name, hash) -> {
            if (!replica.containsKey(name)) {
                missing.add(name);
            } else if (!replica.get(name).equals(hash)) {
                differ.add(name);
            }
        });
        replica.keySet().stream().filter(n -> !source.containsKey(n)).forEach(extra::add);
        if (missing.isEmpty() && extra.isEmpty() && differ.isEmpty()) {
            return "";
        }
        return "missing " + missing + ", extra " + extra + ", different " + differ;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
