package io.kfdfs.conf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfFileTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static ConfFile conf(String text) {
        return ConfFile.parse(Path.of("/etc/fdfs/t.conf"), text);
    }

    @Test
    void keysValuesCommentsAndBlanks() {
        ConfFile c = conf("""
                # comment
                  port =  22122\s\s

                \tbase_path=/data/fdfs
                run_by_group=
                secret = abc#def
                """);
        assertEquals(Set.of("port", "base_path", "run_by_group", "secret"), c.keys());
        assertEquals("22122", c.getString("port", null));
        assertEquals("/data/fdfs", c.getString("base_path", null));
        assertEquals("", c.getAll("run_by_group").get(0));
        assertEquals("dflt", c.getString("run_by_group", "dflt"), "an empty value counts as absent");
        assertEquals("abc#def", c.getString("secret", null), "no inline comments");
    }

    @Test
    void sectionsPrefixTheirKeys() {
        ConfFile c = conf("""
                enabled = top
                [error-log]
                [access-log]
                enabled = true
                time_precision = us
                """);
        assertEquals("top", c.getString("enabled", null));
        assertTrue(c.getBoolean("access-log.enabled", false));
        assertEquals("us", c.getString("access-log.time_precision", null));
    }

    @Test
    void repeatedKeysKeepAllValuesAndLastWinsForSingleValues() {
        ConfFile c = conf("""
                tracker_server = a:22122
                tracker_server = b:22122
                port = 1
                port = 2
                """);
        assertEquals(List.of("a:22122", "b:22122"), c.getAll("tracker_server"));
        assertEquals(2, c.getInt("port", 0, 1, 65535));
    }

    @Test
    void includeIsRelativeToTheIncludingFile() throws IOException {
        write("sub/common.conf", "[inner]\nx = 1\n#include deeper/more.conf\n");
        write("sub/deeper/more.conf", "y = 2\n");
        Path main = write("main.conf", "a = 0\n#include sub/common.conf\nb = 3\n");
        ConfFile c = ConfFile.load(main);
        assertEquals("1", c.getString("inner.x", null));
        assertEquals("2", c.getString("y", null), "an included file starts outside any section");
        assertEquals("3", c.getString("b", null), "the include does not leak its section");
        assertEquals(main, c.path());
    }

    @Test
    void includeCycleIsAnError() throws IOException {
        write("a.conf", "x = 1\n#include b.conf\n");
        write("b.conf", "\n#include a.conf\n");
        ConfException e = assertThrows(ConfException.class, () -> ConfFile.load(dir.resolve("a.conf")));
        assertTrue(e.getMessage().contains("b.conf:2"), e.getMessage());
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());

        write("self.conf", "#include ./self.conf\n");
        assertThrows(ConfException.class, () -> ConfFile.load(dir.resolve("self.conf")));
    }

    @Test
    void includingTheSameFileTwiceIsNotACycle() throws IOException {
        write("common.conf", "x = 1\n");
        ConfFile c = ConfFile.load(write("m.conf", "#include common.conf\n#include common.conf\n"));
        assertEquals(List.of("1", "1"), c.getAll("x"));
    }

    @Test
    void missingIncludeNamesTheIncludingLine() throws IOException {
        Path main = write("main.conf", "a = 1\n#include http.conf\n");
        ConfException e = assertThrows(ConfException.class, () -> ConfFile.load(main));
        assertTrue(e.getMessage().contains(main + ":2"), e.getMessage());
        assertTrue(e.getMessage().contains("http.conf"), e.getMessage());
    }

    @Test
    void doubleHashIncludeIsAComment() {
        assertTrue(conf("##include fdht_servers.conf\n").keys().isEmpty());
    }

    @Test
    void missingFileIsAnError() {
        ConfException e = assertThrows(ConfException.class, () -> ConfFile.load(dir.resolve("nope.conf")));
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }

    @Test
    void badLinesNameFileAndLine() {
        ConfException e = assertThrows(ConfException.class, () -> conf("a = 1\njust words\n"));
        assertTrue(e.getMessage().startsWith("/etc/fdfs/t.conf:2: "), e.getMessage());
        assertThrows(ConfException.class, () -> conf("= 1\n"));
        assertThrows(ConfException.class, () -> conf("two words = 1\n"));
        assertThrows(ConfException.class, () -> conf("[ ]\n"));
    }

    @Test
    void invalidValueNamesFileLineAndKey() {
        ConfFile c = conf("a = 1\nport = abc\n");
        ConfException e = assertThrows(ConfException.class, () -> c.getInt("port", 1, 1, 65535));
        assertEquals("/etc/fdfs/t.conf:2: invalid value for port \"abc\": expected an integer", e.getMessage());
        e = assertThrows(ConfException.class, () -> conf("port = 0").getInt("port", 1, 1, 65535));
        assertTrue(e.getMessage().contains("between 1 and 65535"), e.getMessage());
    }

    @Test
    void booleans() {
        for (String t : List.of("true", "TRUE", "yes", "On", "1")) {
            assertTrue(conf("b = " + t).getBoolean("b", false), t);
        }
        for (String f : List.of("false", "No", "OFF", "0")) {
            assertFalse(conf("b = " + f).getBoolean("b", true), f);
        }
        assertTrue(conf("").getBoolean("b", true));
        ConfException e = assertThrows(ConfException.class, () -> conf("b = maybe").getBoolean("b", true));
        assertTrue(e.getMessage().contains("b \"maybe\""), e.getMessage());
    }

    @Test
    void sizes() {
        long max = Long.MAX_VALUE;
        assertEquals(256 * 1024, conf("s = 256KB").getBytes("s", 0, 0, max));
        assertEquals(4L << 30, conf("s = 4GB").getBytes("s", 0, 0, max));
        assertEquals(10L << 20, conf("s = 10M").getBytes("s", 0, 0, max));
        assertEquals(8 * 1024, conf("s = 8k").getBytes("s", 0, 0, max));
        assertEquals(1L << 40, conf("s = 1T").getBytes("s", 0, 0, max));
        assertEquals(20L << 30, conf("s = 20G").getBytes("s", 0, 0, max));
        assertEquals(1024, conf("s = 1024").getBytes("s", 0, 0, max));
        assertEquals(7, conf("").getBytes("s", 7, 0, max));
        assertThrows(ConfException.class, () -> conf("s = 12X").getBytes("s", 0, 0, max));
        assertThrows(ConfException.class, () -> conf("s = -1").getBytes("s", 0, 0, max));
        assertThrows(ConfException.class, () -> conf("s = 99999999999T").getBytes("s", 0, 0, max));
    }

    @Test
    void secondsAndTimes() {
        assertEquals(30, conf("t = 30").getSeconds("t", 0, 0, 86400));
        assertEquals(300, conf("t = 5m").getSeconds("t", 0, 0, 86400));
        assertEquals(7200, conf("t = 2h").getSeconds("t", 0, 0, 86400));
        assertEquals(86400, conf("t = 1d").getSeconds("t", 0, 0, 86400));
        assertThrows(ConfException.class, () -> conf("t = 2d").getSeconds("t", 0, 0, 86400));
        assertThrows(ConfException.class, () -> conf("t = soon").getSeconds("t", 0, 0, 86400));
        assertEquals(LocalTime.of(1, 30), conf("t = 01:30").getTime("t", null));
        assertEquals(LocalTime.of(2, 0), conf("t = 2:00").getTime("t", null));
        assertThrows(ConfException.class, () -> conf("t = 25:00").getTime("t", null));
    }

    @Test
    void requiredKey() {
        ConfException e = assertThrows(ConfException.class, () -> conf("base_path =").requireString("base_path"));
        assertTrue(e.getMessage().contains("/etc/fdfs/t.conf") && e.getMessage().contains("base_path"));
    }

    @Test
    void envNames() {
        assertEquals("KFDFS_PORT", ConfFile.envName("port"));
        assertEquals("KFDFS_BASE_PATH", ConfFile.envName("base_path"));
        assertEquals("KFDFS_STORE_PATH0", ConfFile.envName("store_path0"));
        assertEquals("KFDFS_HTTP_ANTI_STEAL_SECRET_KEY", ConfFile.envName("http.anti_steal.secret_key"));
        assertEquals("KFDFS_ACCESS_LOG_ENABLED", ConfFile.envName("access-log.enabled"));
    }

    @Test
    void envOverridesReplaceFileValues() {
        ConfFile c = conf("""
                port = 23000
                tracker_server = old:22122
                tracker_server = old2:22122
                """).withEnv(Map.of(
                        "KFDFS_PORT", "23001",
                        "KFDFS_BASE_PATH", " /data ",
                        "KFDFS_TRACKER_SERVER", "t-0.svc:22122; 10.0.0.1,192.168.0.1:22122 ;[::1]:22122;",
                        "KFDFS_VECTORS", "/unrelated"),
                List.of("port", "base_path", "tracker_server"));
        assertEquals(23001, c.getInt("port", 0, 1, 65535));
        assertEquals("/data", c.getString("base_path", null), "declared keys absent from the file are overridable");
        assertEquals(List.of(new HostPort("t-0.svc", 22122), new HostPort(List.of("10.0.0.1", "192.168.0.1"), 22122),
                new HostPort("::1", 22122)), c.getHostPorts("tracker_server", 22122));
        assertFalse(c.contains("vectors"));
    }

    @Test
    void envOverrideErrorsNameTheVariable() {
        ConfFile c = conf("port = 1").withEnv(Map.of("KFDFS_PORT", "x"), List.of());
        ConfException e = assertThrows(ConfException.class, () -> c.getInt("port", 0, 1, 65535));
        assertTrue(e.getMessage().startsWith("environment variable KFDFS_PORT: invalid value for port"),
                e.getMessage());
    }

    @Test
    void nonRepeatableOverridesAreNotSplit() {
        ConfFile c = conf("").withEnv(Map.of("KFDFS_SECRET", "a;b"), List.of("secret"));
        assertEquals("a;b", c.getString("secret", null));
    }

    @Test
    void unknownKeys() {
        ConfFile c = conf("port = 1\nprot = 2\n[x]\ny = 3\n");
        assertEquals(List.of("prot", "x.y"), List.copyOf(c.unknownKeys(Set.of("port"))));
        assertEquals(Set.of("prot", "x.y"), c.warnUnknownKeys(Set.of("port")));
    }
}
