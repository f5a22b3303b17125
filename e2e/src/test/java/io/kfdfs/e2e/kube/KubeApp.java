package io.kfdfs.e2e.kube;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application in the stand-in cluster: the Java client given the trackers' Service name, as the design
 * card says an in-cluster app is configured. It remembers the SHA-256 of every file it uploaded, so every
 * byte can be checked on every member.
 */
final class KubeApp implements AutoCloseable {

    final FdfsClient client;
    /** File ID -> SHA-256 of the content acknowledged. */
    final Map<String, String> files = new ConcurrentHashMap<>();
    private final Random random = new Random(42);

    KubeApp(String trackerService) {
        client = FdfsClient.create(ClientSettings.builder().tracker(trackerService)
                .connectTimeout(Duration.ofSeconds(5)).networkTimeout(Duration.ofSeconds(30)).build());
    }

    /** Uploads {@code count} files of sizes from 0 to ~1 MiB; returns their IDs. */
    List<String> upload(int count) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = switch (i % 4) {
                case 0 -> random.nextInt(100);
                case 1 -> 1024 + random.nextInt(8 * 1024);
                case 2 -> 64 * 1024 + random.nextInt(64 * 1024);
                default -> random.nextInt(1024 * 1024);
            };
            byte[] data = new byte[size];
            random.nextBytes(data);
            String id = client.upload(Content.of(data), "bin");
            files.put(id, sha256(data));
            ids.add(id);
        }
        return ids;
    }

    /** The files (of those uploaded) that {@code member} does not hold byte for byte, with the reason. */
    List<String> missingOn(HostPort member) {
        List<String> bad = new ArrayList<>();
        files.forEach((id, sha) -> {
            try {
                String got = sha256(download(member, id));
                if (!got.equals(sha)) {
                    bad.add(id + " differs");
                }
            } catch (IOException | RuntimeException e) {
                bad.add(id + ": " + e.getMessage());
            }
        });
        return bad;
    }

    byte[] download(HostPort member, String fileId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            client.storage().download(member, FileId.parse(fileId), 0, 0, out::write);
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
