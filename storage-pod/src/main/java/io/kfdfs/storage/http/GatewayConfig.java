package io.kfdfs.storage.http;

import io.kfdfs.conf.ConfFile;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The file gateway's settings: the keys of fastdfs-nginx-module's {@code mod_fastdfs.conf} and
 * {@code http.conf} that still mean something here (docs/protocol.md §12), read from storage.conf (which may
 * {@code #include http.conf}); {@code StorageConfig.KEYS} declares them.
 *
 * @param urlHaveGroupName {@code url_have_group_name}: URLs are {@code /group1/M00/...} (kfdfs default
 *                         true, the form its docs and the dashboard use) or {@code /M00/...}
 * @param token            {@code http.anti_steal.check_token} with {@code secret_key} and {@code token_ttl}
 * @param tokenCheckFail   {@code http.anti_steal.token_check_fail}: answered with 200 instead of 403
 * @param multiRange       {@code http.multi_range.enabled}: answer several ranges as multipart/byteranges
 * @param defaultContentType {@code http.default_content_type}, for extensions not in the built-in table
 */
public record GatewayConfig(boolean urlHaveGroupName, Optional<AntiStealToken> token,
                            Optional<FailPage> tokenCheckFail, boolean multiRange, String defaultContentType) {

    /** What a request with a bad token gets instead of 403. */
    public record FailPage(Buffer body, String contentType) {
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(true, Optional.empty(), Optional.empty(), true, "application/octet-stream");
    }

    /** Reads the keys; the token_check_fail file is loaded now, so a bad path fails at start with its key named. */
    public static GatewayConfig from(ConfFile c) {
        String defaultType = c.getString("http.default_content_type", "application/octet-stream");
        Optional<AntiStealToken> token = Optional.empty();
        Optional<FailPage> failPage = Optional.empty();
        if (c.getBoolean("http.anti_steal.check_token", false)) {
            String secret = c.getString("http.anti_steal.secret_key", "");
            if (secret.isEmpty()) {
                throw c.invalid("http.anti_steal.check_token", "check_token = true needs http.anti_steal.secret_key");
            }
            int ttl = c.getSeconds("http.anti_steal.token_ttl", 600, 1, Integer.MAX_VALUE);
            token = Optional.of(new AntiStealToken(secret, Duration.ofSeconds(ttl), Clock.systemUTC()));
            String failFile = c.getString("http.anti_steal.token_check_fail", "");
            if (!failFile.isEmpty()) {
                try {
                    failPage = Optional.of(new FailPage(Buffer.buffer(Files.readAllBytes(Path.of(failFile))),
                            ContentTypes.of(failFile, defaultType)));
                } catch (IOException e) {
                    throw c.invalid("http.anti_steal.token_check_fail", "cannot read " + failFile + ": " + e);
                }
            }
        }
        return new GatewayConfig(c.getBoolean("url_have_group_name", true), token, failPage,
                c.getBoolean("http.multi_range.enabled", true), defaultType);
    }
}
