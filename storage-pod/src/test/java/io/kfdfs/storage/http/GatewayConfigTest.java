package io.kfdfs.storage.http;

import io.kfdfs.conf.ConfException;
import io.kfdfs.conf.ConfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {

    @TempDir
    Path dir;

    GatewayConfig parse(String text) {
        return GatewayConfig.from(ConfFile.parse(dir.resolve("storage.conf"), text));
    }

    @Test
    void defaultsServeGroupUrlsWithoutToken() {
        GatewayConfig c = parse("base_path = /tmp\n");
        assertEquals(GatewayConfig.defaults(), c);
        assertTrue(c.urlHaveGroupName());
        assertTrue(c.token().isEmpty());
        assertTrue(c.multiRange());
    }

    @Test
    void readsTheModuleKeys() throws Exception {
        byte[] png = {1, 2, 3};
        Path fail = Files.write(dir.resolve("denied.png"), png);
        GatewayConfig c = parse("""
                url_have_group_name = false
                http.anti_steal.check_token = true
                http.anti_steal.secret_key = FastDFS1234567890
                http.anti_steal.token_ttl = 900
                http.anti_steal.token_check_fail = %s
                http.multi_range.enabled = false
                http.default_content_type = text/plain
                """.formatted(fail));
        assertFalse(c.urlHaveGroupName());
        assertFalse(c.multiRange());
        assertEquals("text/plain", c.defaultContentType());
        assertEquals(AntiStealToken.Result.VALID, c.token().orElseThrow().check(AntiStealTokenTest.REMOTE,
                AntiStealToken.token(AntiStealTokenTest.REMOTE, "FastDFS1234567890", System.currentTimeMillis() / 1000 - 800),
                Long.toString(System.currentTimeMillis() / 1000 - 800)));
        assertEquals("image/png", c.tokenCheckFail().orElseThrow().contentType());
        assertArrayEquals(png, c.tokenCheckFail().orElseThrow().body().getBytes());
    }

    @Test
    void failsAtStartOnUnusableTokenSettings() {
        ConfException noSecret = assertThrows(ConfException.class, () -> parse("http.anti_steal.check_token = true\n"));
        assertTrue(noSecret.getMessage().contains("http.anti_steal.check_token"), noSecret.getMessage());
        ConfException noFile = assertThrows(ConfException.class, () -> parse("""
                http.anti_steal.check_token = true
                http.anti_steal.secret_key = k
                http.anti_steal.token_check_fail = /nonexistent/denied.png
                """));
        assertTrue(noFile.getMessage().contains("http.anti_steal.token_check_fail"), noFile.getMessage());
    }
}
