package io.kfdfs.e2e;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.abuse.HostileClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 9: file names that point elsewhere, over the binary protocol and over HTTP, against a storage
 * of each of two groups: traversal, absolute paths, NUL bytes, over-long names, another group's file. Each
 * is refused (a non-zero status, a closed connection, an HTTP error), and nothing outside the store paths
 * is read or written: a secret file beside the cluster never shows in an answer, and no file changes
 * anywhere but in the pods' own data and logs.
 */
@Tag("long")
class PathAbuseTest {

    private static final String SECRET = "kfdfs-e2e-secret-content";

    @Test
    void namesThatPointElsewhereAreRefused() throws Exception {
        String scenario = "9 path and name abuse";
        Path dir = Scenario.dir("9-path-abuse");
        Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        try (LocalCluster cluster = LocalCluster.builder(dir).trackers(1).groups(2).members(1).build().start();
             FdfsClient client = cluster.client()) {
            Ledger ledger = new Ledger();
            byte[] one = "the file of group1".getBytes(StandardCharsets.UTF_8);
            byte[] two = "the file of group2".getBytes(StandardCharsets.UTF_8);
            String f1 = client.upload("group1", Content.of(one), "txt", Map.of());
            String f2 = client.upload("group2", Content.of(two), "txt", Map.of());
            ledger.acknowledgedUpload(f1, one, Map.of());
            ledger.acknowledgedUpload(f2, two, Map.of());
            FileTime start = FileTime.fromMillis(System.currentTimeMillis());
            List<String> violations = new ArrayList<>();
            int attempts = 0;

            Node m1 = cluster.group(1).get(0);
            String remote2 = f2.substring(f2.indexOf('/') + 1);
            List<byte[]> names = new ArrayList<>();
            for (String n : List.of("M00/00/00/../../../../secret.txt", "M00/00/00/../../../../../secret.txt",
                    "M00/../../../secret.txt", "../../../../secret.txt", secret.toString(), "/etc/passwd",
                    "M00/00/00/" + "a".repeat(200), "M00/00/00/abcdefghijk\0/../../../../secret.txt", "M01/00/00/abcdefghijkl",
                    "M00/00/00/..", "M00/00/00/", "M00/00/zz/abcdefghijkl", remote2)) {
                names.add(n.getBytes(StandardCharsets.ISO_8859_1));
            }
            for (Node m : List.of(m1, cluster.group(2).get(0))) {
                HostileClient raw = new HostileClient(m.hostPort(), HostileClient.Target.STORAGE, m.group());
                for (byte[] name : names) {
                    if (m != m1 && new String(name, StandardCharsets.ISO_8859_1).equals(remote2)) {
                        continue; // group2's own file on group2's storage: not an abuse
                    }
                    byte[] file = HostileClient.fileRequest(m.group(), name);
                    for (int cmd : new int[]{14, 15, 22, 12, 13}) {
                        attempts++;
                        byte[] body = switch (cmd) {
                            case 14 -> HostileClient.concat(ByteBuffer.allocate(16).putLong(0).putLong(0).array(), file);
                            case 13 -> HostileClient.concat(ByteBuffer.allocate(17).putLong(name.length).putLong(3)
                                    .put((byte) 'O').array(), HostileClient.fileRequest(m.group(), name),
                                    "a\u0002b".getBytes(StandardCharsets.ISO_8859_1));
                            default -> file;
                        };
                        HostileClient.Answer a = raw.call(cmd, body);
                        if (a.status() == 0 || new String(a.body(), StandardCharsets.ISO_8859_1).contains(SECRET)) {
                            violations.add(m.name() + " cmd " + cmd + " on \"" + printable(name) + "\" answered status "
                                    + a.status() + " with " + a.body().length + " bytes");
                        }
                    }
                }
            }
            attempts++;
            HostileClient.Answer otherGroup = new HostileClient(m1.hostPort(), HostileClient.Target.STORAGE, "group1")
                    .call(15, HostileClient.fileRequest("group2", remote2.getBytes(StandardCharsets.ISO_8859_1)));
            if (otherGroup.status() == 0) {
                violations.add(m1.name() + " served group2's metadata");
            }

            String remote1 = f1.substring(f1.indexOf('/') + 1);
            for (String path : List.of("/group1/M00/00/00/../../../../secret.txt", "/group1/M00/../../../secret.txt",
                    "/group1/M00/00/00/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt", "/group1/M00/00/00/..%2f..%2f..%2f..%2fsecret.txt",
                    "/group1/../../../../" + secret, "/group1/M00/00/00/a%00b", "//etc/passwd", "/../../../../etc/passwd",
                    "/group1/M00/00/00/" + "a".repeat(300), "/group2/" + remote2, "/group1/" + remote2,
                    "/group1/M00/00/00/%2e%2e%5c%2e%2e%5csecret.txt")) {
                attempts++;
                String answer = http(m1, path);
                String status = answer.isEmpty() ? "closed" : answer.substring(0, answer.indexOf('\n') < 0 ? answer.length()
                        : answer.indexOf('\n')).strip();
                if (status.contains(" 200 ") || answer.contains(SECRET) || answer.contains("root:")) {
                    violations.add("HTTP GET " + path + " on " + m1.name() + ": " + status);
                }
            }
            String control = http(m1, "/group1/" + remote1);
            boolean controlOk = control.contains(" 200 ") && control.endsWith("the file of group1");

            if (!Files.readString(secret).equals(SECRET)) {
                violations.add("the secret file changed");
            }
            violations.addAll(changedOutsideData(dir, cluster, start));
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(30));
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, violations.isEmpty() && controlOk,
                    attempts + " abusive requests" + (controlOk ? "" : "; the control download over HTTP failed: " + control)
                            + (violations.isEmpty() ? "" : "; VIOLATIONS: " + violations));
            assertTrue(result.passed(), violations + "; control " + controlOk + "; " + c.result());
        }
    }

    private static String printable(byte[] name) {
        String s = new String(name, StandardCharsets.ISO_8859_1).replace("\0", "\\0");
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** A GET with the path exactly as given (no client normalises it); the whole answer, "" if closed. */
    private static String http(Node n, String path) throws IOException {
        try (Socket s = new Socket(n.address(), n.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + n.address() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Files created or modified since {@code since} anywhere in the cluster's folder except where pods keep
     * their own state: a store path's data, a base path's data, the logs.
     */
    private static List<String> changedOutsideData(Path dir, LocalCluster cluster, FileTime since) throws IOException {
        List<Path> allowed = new ArrayList<>(List.of(dir.resolve("logs")));
        for (Node n : cluster.nodes()) {
            allowed.add(n.base().resolve("data"));
            if (n.store() != null) {
                allowed.add(n.store().resolve("data"));
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> allowed.stream().noneMatch(p::startsWith))
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).compareTo(since) > 0;
                        } catch (IOException gone) {
                            return false;
                        }
                    }).map(p -> "changed outside the data folders: " + p).toList();
        }
    }
}
