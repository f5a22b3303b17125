package io.kfdfs.protocol;

import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileNameTest {

    private static final Pattern CHECK_LINE = Pattern.compile(
            "#\\d+ cmd=(\\d+) (\\S+) src=(server_id|ip) (\\S+) ts=(\\d+) size_field=0x(\\p{XDigit}+) crc=0x(\\p{XDigit}+) OK");

    @Test
    void decodesAndReencodesEveryCapturedName() throws IOException, ProtocolException {
        List<String> lines = Files.readAllLines(Vectors.dir().resolve("out/check_names.txt"));
        int checked = 0;
        for (String line : lines) {
            Matcher m = CHECK_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            RemoteFilename remote = RemoteFilename.parse(m.group(2));
            FileName.Block b = FileName.blockOf(remote);
            if (m.group(3).equals("server_id")) {
                assertEquals(Integer.parseInt(m.group(4)), b.serverId(), line);
                assertEquals("", b.ipv4());
            } else {
                assertEquals(m.group(4), b.ipv4(), line);
                assertEquals(0, b.serverId());
            }
            assertEquals(Long.parseLong(m.group(5)), b.timestamp(), line);
            assertEquals(Long.parseUnsignedLong(m.group(6), 16), b.sizeField(), line);
            assertEquals((int) Long.parseLong(m.group(7), 16), b.crc32(), line);
            assertEquals(m.group(1).equals("23"), b.isAppender(), line);
            assertEquals(remote.name().substring(0, FileName.BASE64_LENGTH), b.base64(), line);
            checked++;
        }
        assertEquals(29, checked);
    }

    @Test
    void buildsTheWorkedExampleName() {
        int random = 0x012345;
        FileName.Block ip = new FileName.Block(FileName.sourceOfIpv4("192.168.1.100"), 1700000000L,
                FileName.sizeField(5, false, random), 0x3610A686);
        assertEquals("M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt", FileName.remoteFilename(0, 0, 0, ip, "123.txt"));
        FileName.Block id = new FileName.Block(FileName.sourceOfServerId(100001), 1700000000L,
                FileName.sizeField(5, false, random), 0x3610A686);
        assertEquals("oYYBAGVT8QCAASNFAAAABTYQpoY", id.base64());
        FileName.Block appender = new FileName.Block(FileName.sourceOfIpv4("192.168.1.100"), 1700000000L,
                FileName.sizeField(5, true, random), 0x3610A686);
        assertEquals("wKgBZGVT8QCEASNFAAAAADYQpoY", appender.base64());
        assertTrue(appender.isAppender());
    }

    @Test
    void capturedServerIdNameDecodes() throws ProtocolException {
        FileName.Block b = FileName.blockOf(RemoteFilename.parse("M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt"));
        assertEquals(100001, b.serverId());
        assertEquals(5, b.size());
        assertEquals(0x3610a686, b.crc32());
        assertFalse(b.isAppender());
    }

    @Test
    void sizeFieldFollowsTheRules() {
        assertEquals(0x8001234500000005L, FileName.sizeField(5, false, 0x012345));
        assertEquals(0x807FFFFF00000005L, FileName.sizeField(5, false, 0xFFFFFFFF));
        assertEquals(5L << 32, FileName.sizeField(5L << 32, false, 0x012345));
        assertEquals(0x8401234500000000L, FileName.sizeField(99, true, 0x012345));
        FileName.Block big = new FileName.Block(1, 0, FileName.sizeField(5L << 32, false, 7), 0);
        assertEquals(5L << 32, big.size());
    }

    @Test
    void extensionTailIsSevenCharacters() {
        Random r = new Random(1);
        for (String ext : List.of("", "t", "txt", "jpeg", "abcdef")) {
            String tail = FileName.extensionTail(ext, r);
            assertEquals(FileName.TAIL_LENGTH, tail.length(), tail);
            if (ext.isEmpty()) {
                assertTrue(tail.chars().allMatch(Character::isDigit), tail);
            } else {
                assertTrue(tail.endsWith("." + ext), tail);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FileName.extensionTail("t/x", r));
        assertThrows(IllegalArgumentException.class, () -> FileName.extensionTail("abcdefg", r));
    }

    @Test
    void slaveNamesFollowSection75() throws ProtocolException {
        String master = "M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457.txt";
        assertEquals("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_big.txt", FileName.slaveName(master, "_big", "txt"));
        assertEquals("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_big.jpg", FileName.slaveName(master, "_big", ".jpg"));
        assertEquals("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_s", FileName.slaveName(master, "_s", ""));
        String noExt = "M00/00/00/oYYBAGsHMNSAAC5KAAAAAAAAAAA4933030";
        assertEquals(noExt + "_s.txt", FileName.slaveName(noExt, "_s", "txt"));
        assertThrows(ProtocolException.class, () -> FileName.slaveName(master, "-m", ""));
        assertThrows(ProtocolException.class, () -> FileName.slaveName(master, "", "txt"));
    }

    @Test
    void regeneratedAppenderKeepsDirectoryAndTail() throws ProtocolException {
        RemoteFilename appender = RemoteFilename.parse("M00/00/00/oYYBAGsHMPWEHhIwAAAAADYQpoY512.txt");
        FileName.Block block = new FileName.Block(FileName.sourceOfServerId(100001), 1795633404L,
                0x800c2c5d0000000aL, 0xf58c9768);
        assertEquals("M00/00/00/oYYBAGsHMPyADCxdAAAACvWMl2g512.txt", FileName.regenerated(appender, block));
    }

    @Test
    void slaveDetectionMatchesC() throws ProtocolException {
        FileName.Block normal = FileName.blockOf(RemoteFilename.parse("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457.txt"));
        assertFalse(FileName.isSlave(44, normal));
        assertTrue(FileName.isSlave(48, normal));
        FileName.Block trunk = new FileName.Block(1, 0, FileName.TRUNK_FLAG | 5, 0);
        assertFalse(FileName.isSlave(60, trunk));
        assertTrue(FileName.isSlave(61, trunk));
    }

    @Test
    void rejectsBadSources() {
        assertThrows(IllegalArgumentException.class, () -> FileName.sourceOfServerId(0));
        assertThrows(IllegalArgumentException.class, () -> FileName.sourceOfServerId(16777216));
        assertThrows(IllegalArgumentException.class, () -> FileName.sourceOfIpv4("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> FileName.sourceOfIpv4("1.2.3.256"));
    }

    @Test
    void lastOctetZeroDecodesAsServerId() {
        FileName.Block b = new FileName.Block(FileName.sourceOfIpv4("10.1.2.0"), 0, 0, 0);
        assertTrue(b.isServerId());
    }
}
