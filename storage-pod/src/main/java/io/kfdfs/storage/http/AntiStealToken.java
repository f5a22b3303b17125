package io.kfdfs.storage.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The FastDFS anti-steal token of HTTP downloads (docs/protocol.md §12):
 * {@code token = lowercase_hex(md5(remote_filename + secret_key + decimal(ts)))}, where the remote filename
 * is the file ID without its group ({@code M00/00/00/...}), as fastdfs-nginx-module and the Java client's
 * {@code ProtoCommon.getToken} compute it. A URL carries it as {@code ?token=...&ts=...}.
 *
 * <p>The check follows {@code fdfs_http_check_token} except where that is unsafe: a missing, zero or
 * non-numeric {@code ts} never passes (C's {@code atoi} turns garbage into 0, and ts = 0 never expires
 * there, so any token minted once with ts = 0 would be good for ever). A {@code ts} in the future is
 * accepted as C does: only the holder of the secret can mint tokens, and applications that want a longer
 * life pass a later ts. The token is compared in constant time and, as in C, case-sensitively.
 *
 * <p>A failed check is answered 403 Forbidden by {@link FileGateway}, where nginx answers 400 Bad Request:
 * the request is well-formed, the client is just not allowed to read the file, and 403 lets clients and
 * caches tell "link expired or forged" apart from a malformed URL. No FastDFS client interprets the code
 * (they build URLs; browsers and CDNs fetch them), so nothing depends on 400.
 */
public final class AntiStealToken {

    public enum Result { VALID, MISSING, MALFORMED, EXPIRED, WRONG }

    static final int TOKEN_LENGTH = 32;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");

    private final byte[] secret;
    private final long ttlSeconds;
    private final Clock clock;

    /**
     * @param secretKey {@code http.anti_steal.secret_key}
     * @param ttl       {@code http.anti_steal.token_ttl}: how long after {@code ts} a token is accepted
     */
    public AntiStealToken(String secretKey, Duration ttl, Clock clock) {
        if (secretKey.isEmpty()) {
            throw new IllegalArgumentException("the anti-steal secret key must not be empty");
        }
        this.secret = secretKey.getBytes(StandardCharsets.UTF_8);
        this.ttlSeconds = ttl.toSeconds();
        this.clock = clock;
    }

    /** The token for {@code remoteFilename} (no group) at unix time {@code ts}. */
    public static String token(String remoteFilename, String secretKey, long ts) {
        return token(remoteFilename.getBytes(StandardCharsets.UTF_8), secretKey.getBytes(StandardCharsets.UTF_8), ts);
    }

    /** Checks the {@code token} and {@code ts} query parameters (either may be null) of a request for {@code remoteFilename}. */
    public Result check(String remoteFilename, String token, String ts) {
        if (token == null || ts == null || token.isEmpty() || ts.isEmpty()) {
            return Result.MISSING;
        }
        long time = parseTimestamp(ts);
        if (time <= 0 || token.length() != TOKEN_LENGTH) {
            return Result.MALFORMED;
        }
        if (clock.millis() / 1000 - time > ttlSeconds) {
            return Result.EXPIRED;
        }
        byte[] expected = token(remoteFilename.getBytes(StandardCharsets.UTF_8), secret, time)
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8)) ? Result.VALID : Result.WRONG;
    }

    /** A decimal of at most 18 digits (no sign, no spaces), else -1. */
    private static long parseTimestamp(String ts) {
        return DECIMAL.matcher(ts).matches() ? Long.parseLong(ts) : -1;
    }

    private static String token(byte[] remoteFilename, byte[] secret, long ts) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        md5.update(remoteFilename);
        md5.update(secret);
        md5.update(Long.toString(ts).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md5.digest());
    }
}
