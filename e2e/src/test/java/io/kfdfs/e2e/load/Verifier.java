package io.kfdfs.e2e.load;

import io.kfdfs.protocol.Metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares what the members' disks hold with the {@link Ledger}: walks {@code data/HH/HH} of every
 * member's store path (the files, their {@code -m} metadata files, and any temporary file left behind)
 * and checks every ledger file on every member of its group. Reading the disks, not asking the servers,
 * is what finds a file no server would admit to: an orphan, a half-written temporary file.
 */
public final class Verifier {

    /**
     * What one look found, in files: lost (acknowledged, on no member), corrupt (a member holds bytes or
     * metadata the file never had), orphans (on disk but deleted, or never made), temporary files left, and
     * divergent (some member lacks it or holds an earlier state, or members hold different acceptable
     * states); {@link #converged()} when nothing is wrong.
     */
    public record Result(int filesVerified, int lost, int corrupt, int orphans, int tempFiles, int divergent,
                         int unknownUploadsFound, int duplicates, List<String> problems) {
        public boolean converged() {
            return lost == 0 && corrupt == 0 && orphans == 0 && tempFiles == 0 && divergent == 0;
        }

        @Override
        public String toString() {
            return "verified " + filesVerified + " files: lost " + lost + ", corrupt " + corrupt + ", orphans " + orphans
                    + ", temporary files " + tempFiles + ", not on every member or differing " + divergent
                    + (problems.isEmpty() ? "" : "; first problems:\n  " + String.join("\n  ", problems));
        }
    }

    /** A result and how long it took to get there. */
    public record Convergence(Result result, Duration elapsed) {
    }

    private record OnDisk(String sha256, long size, Map<String, String> metadata) {
        FileRecord.State state() {
            return new FileRecord.State(true, sha256, size, metadata);
        }
    }

    private final Ledger ledger;
    /** Group name → the store paths of the members that must hold every file of the group. */
    private final Map<String, List<Path>> stores;
    private final boolean duplicatesAllowed;

    public Verifier(Ledger ledger, Map<String, List<Path>> stores) {
        this(ledger, stores, false);
    }

    private Verifier(Ledger ledger, Map<String, List<Path>> stores, boolean duplicatesAllowed) {
        this.ledger = ledger;
        this.stores = Map.copyOf(stores);
        this.duplicatesAllowed = duplicatesAllowed;
    }

    /**
     * This verifier, but a file nobody was told of whose bytes are those of an acknowledged upload (the
     * client sent the upload again after a failure that it took for "not sent") is counted as a duplicate,
     * not as an orphan.
     */
    public Verifier allowingDuplicates() {
        return new Verifier(ledger, stores, true);
    }

    /**
     * Looks again every half second until the disks match the ledger, for at most {@code timeout}. Its own
     * loop, not Eventually: a scenario that does not converge is a row of the report, with what was found
     * and how long it was given, not an exception.
     */
    public Convergence awaitConverged(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Result r = verify();
            if (r.converged() || System.nanoTime() > deadline) {
                return new Convergence(r, Duration.ofNanos(System.nanoTime() - start));
            }
            Thread.sleep(500);
        }
    }

    public Result verify() throws IOException {
        int verified = 0;
        int lost = 0;
        int corrupt = 0;
        int orphans = 0;
        int temps = 0;
        int divergent = 0;
        Set<String> unknownFound = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Path>> group : new TreeMap<>(stores).entrySet()) {
            List<Map<String, OnDisk>> members = new ArrayList<>();
            for (Path store : group.getValue()) {
                List<String> tempNames = new ArrayList<>();
                members.add(walk(store, tempNames));
                temps += tempNames.size();
                tempNames.stream().limit(3).forEach(t -> problems.add("temporary file left: " + t));
            }
            Set<String> expected = new HashSet<>();
            for (FileRecord r : ledger.files.values()) {
                if (!r.group.equals(group.getKey())) {
                    continue;
                }
                verified++;
                String name = r.remoteName();
                expected.add(name);
                Set<FileRecord.State> ok = r.acceptable();
                boolean mustExist = ok.stream().allMatch(FileRecord.State::exists);
                boolean held = false;
                boolean wrong = false;
                List<String> lacking = new ArrayList<>();
                FileRecord.State first = null;
                for (int m = 0; m < members.size(); m++) {
                    OnDisk d = members.get(m).get(name);
                    FileRecord.State seen = d == null ? FileRecord.State.absent() : d.state();
                    String where = r.fileId + " on " + group.getValue().get(m) + ": " + seen + ", expected "
                            + (ok.size() == 1 ? "" : "one of ") + ok;
                    if (ok.contains(seen)) {
                        held |= seen.exists();
                        if (first == null) {
                            first = seen;
                        } else if (!first.equals(seen)) {
                            divergent++;
                            problems.add("replicas differ on " + r.fileId + ": " + first + " and " + seen);
                        }
                    } else if (!seen.exists()) {
                        lacking.add(where);
                    } else if (ok.stream().noneMatch(FileRecord.State::exists)) {
                        orphans++;
                        problems.add("deleted but present " + where);
                    } else if (r.contentHistory.contains(seen.sha256()) && r.metadataHistory.contains(seen.metadata())) {
                        lacking.add("an earlier state of " + where);
                    } else {
                        wrong = true;
                        problems.add("wrong content or metadata " + where);
                    }
                }
                corrupt += wrong ? 1 : 0;
                if (mustExist && !held && !wrong) {
                    lost++;
                    problems.add("lost everywhere: " + lacking.get(0));
                } else if (!lacking.isEmpty()) {
                    divergent++;
                    problems.add("not on every member: " + lacking.get(0));
                }
            }
            for (int m = 0; m < members.size(); m++) {
                for (Map.Entry<String, OnDisk> e : members.get(m).entrySet()) {
                    if (expected.contains(e.getKey())) {
                        continue;
                    }
                    if (ledger.unknownUploads.contains(e.getValue().sha256())) {
                        unknownFound.add(group.getKey() + "/" + e.getKey());
                        continue;
                    }
                    if (ledger.acknowledgedUploads.contains(e.getValue().sha256())) {
                        duplicates.add(group.getKey() + "/" + e.getKey());
                        if (duplicatesAllowed) {
                            continue;
                        }
                        problems.add("a second copy of an acknowledged upload: " + group.getKey() + "/" + e.getKey());
                    }
                    orphans++;
                    problems.add("orphan " + group.getKey() + "/" + e.getKey() + " on " + group.getValue().get(m)
                            + " (" + e.getValue().size() + " B, not in the ledger)");
                }
            }
        }
        return new Result(verified, lost, corrupt, orphans, temps, divergent, unknownFound.size(), duplicates.size(),
                problems.stream().limit(20).toList());
    }

    /**
     * The files of one store path: {@code M00/HH/HH/name} → content hash, size, metadata; temporary
     * files (names starting with a dot) go to {@code temps}. A file that vanishes while walked is skipped.
     */
    private static Map<String, OnDisk> walk(Path store, List<String> temps) throws IOException {
        Path data = store.resolve("data");
        Map<String, OnDisk> files = new HashMap<>();
        Map<String, Map<String, String>> metadata = new HashMap<>();
        for (Path high : list(data)) {
            if (high.getFileName().toString().length() != 2) {
                continue;
            }
            for (Path low : list(high)) {
                for (Path file : list(low)) {
                    String name = file.getFileName().toString();
                    String remote = "M00/" + data.relativize(file);
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (name.startsWith(".")) {
                        temps.add(file.toString());
                    } else if (name.endsWith(Metadata.FILE_SUFFIX)) {
                        metadata.put(remote.substring(0, remote.length() - Metadata.FILE_SUFFIX.length()),
                                Metadata.parse(bytes).asMap());
                    } else {
                        files.put(remote, new OnDisk(Ledger.sha256(bytes), bytes.length, Map.of()));
                    }
                }
            }
        }
        Map<String, OnDisk> withMetadata = new HashMap<>();
        files.forEach((name, f) -> withMetadata.put(name,
                new OnDisk(f.sha256(), f.size(), metadata.getOrDefault(name, Map.of()))));
        metadata.keySet().stream().filter(n -> !files.containsKey(n))
                .forEach(n -> withMetadata.put(n + Metadata.FILE_SUFFIX, new OnDisk("metadata without its file", 0, Map.of())));
        return withMetadata;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        }
    }
}
