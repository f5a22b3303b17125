package io.kfdfs.storage.http;

import io.kfdfs.storage.http.AntiStealToken.Result;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AntiStealTokenTest {

    static final String REMOTE = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt";
    static final String SECRET = "FastDFS1234567890";
    static final long TS = 1700000000L;
    /** docs/protocol.md §13.8. */
    static final String TOKEN = "c303d54a616197a9913eff94f0b74429";

    static AntiStealToken at(long nowSeconds) {
        return new AntiStealToken(SECRET, Duration.ofSeconds(600), Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC));
    }

    @Test
    void computesTheWorkedExample() {
        assertEquals(TOKEN, AntiStealToken.token(REMOTE, SECRET, TS));
    }

    @Test
    void computesHandCheckedMd5s() {
        // md5("M01/0A/FF/CgAAAmVT8QCAASNFAAAABTYQpoY_150x150.jpg" + "s3cr3t" + "1234567890"), by Python's hashlib
        assertEquals("518ce53f2e4484f0071fead7ad48edb8",
                AntiStealToken.token("M01/0A/FF/CgAAAmVT8QCAASNFAAAABTYQpoY_150x150.jpg", "s3cr3t", 1234567890L));
    }

    @Test
    void acceptsAFreshTokenUntilTheTtlHasPassed() {
        assertEquals(Result.VALID, at(TS).check(REMOTE, TOKEN, "1700000000"));
        assertEquals(Result.VALID, at(TS + 600).check(REMOTE, TOKEN, "1700000000"));
        assertEquals(Result.EXPIRED, at(TS + 601).check(REMOTE, TOKEN, "1700000000"));
    }

    @Test
    void acceptsATimestampInTheFutureAsFastDfsDoes() {
        assertEquals(Result.VALID, at(TS - 86_400).check(REMOTE, TOKEN, "1700000000"));
    }

    @Test
    void rejectsWrongTokens() {
        AntiStealToken t = at(TS);
        assertEquals(Result.WRONG, t.check(REMOTE, "d303d54a616197a9913eff94f0b74429", "1700000000"));
        assertEquals(Result.WRONG, t.check(REMOTE, TOKEN.toUpperCase(), "1700000000"));
        assertEquals(Result.WRONG, t.check(REMOTE, TOKEN, "1700000001"));
        assertEquals(Result.WRONG, t.check("M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY124.txt", TOKEN, "1700000000"));
        // fdfs_test's token over the file ID with its group (docs/protocol.md Appendix C.11)
        assertEquals(Result.WRONG, t.check(REMOTE, "eda2a20353609bb0fc9e24f59a9300d6", "1700000000"));
        assertEquals(Result.WRONG, new AntiStealToken("other", Duration.ofSeconds(600),
                Clock.fixed(Instant.ofEpochSecond(TS), ZoneOffset.UTC)).check(REMOTE, TOKEN, "1700000000"));
    }

    @Test
    void rejectsMissingZeroAndMalformedParameters() {
        AntiStealToken t = at(TS);
        assertEquals(Result.MISSING, t.check(REMOTE, TOKEN, null));
        assertEquals(Result.MISSING, t.check(REMOTE, null, "1700000000"));
        assertEquals(Result.MISSING, t.check(REMOTE, "", ""));
        // ts = 0 never expires in C; here it never passes, even with the matching token
        assertEquals(Result.MALFORMED, t.check(REMOTE, AntiStealToken.token(REMOTE, SECRET, 0), "0"));
        assertEquals(Result.MALFORMED, t.check(REMOTE, TOKEN, "1700000000x"));
        assertEquals(Result.MALFORMED, t.check(REMOTE, TOKEN, "-1700000000"));
        assertEquals(Result.MALFORMED, t.check(REMOTE, TOKEN, "99999999999999999999"));
        assertEquals(Result.MALFORMED, t.check(REMOTE, TOKEN.substring(1), "1700000000"));
        assertEquals(Result.MALFORMED, t.check(REMOTE, TOKEN + "0", "1700000000"));
    }

    @Test
    void refusesAnEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new AntiStealToken("", Duration.ofSeconds(1), Clock.systemUTC()));
    }
}
