package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RemoteFilenameTest {

    @Test
    void parsesStorePathAndDirectories() throws ProtocolException {
        RemoteFilename r = RemoteFilename.parse("M0A/3F/FF/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt");
        assertEquals(10, r.storePathIndex());
        assertEquals(0x3F, r.high());
        assertEquals(0xFF, r.low());
        assertEquals("wKgBZGVT8QCAASNFAAAABTYQpoY123.txt", r.name());
        assertEquals("3F/FF/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt", r.dataPath());
        assertEquals("3F/FF/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt-m", r.metadataPath());
    }

    @Test
    void acceptsTheLegacyFormWithoutStorePath() throws ProtocolException {
        RemoteFilename r = RemoteFilename.parse("00/01/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt");
        assertEquals(0, r.storePathIndex());
        assertEquals(1, r.low());
    }

    @Test
    void acceptsSlaveAndMetadataNames() throws ProtocolException {
        RemoteFilename.parse("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_big.txt");
        RemoteFilename.parse("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457.txt-m");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "M00/00/00/",
            "M00/zz/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "M00/0a/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "M0g/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "Mz0/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "M00-00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "M00/00/00/../../../etc/passwd",
            "M00/00/00/..",
            "M00/00/00/a/b",
            "M00/00/00/a\\b",
            "M00/00/00/a\u0000b.txt",
            "M00/00/00/a\nb.txt",
            "M00/00/00/a b.txt",
            "M00/00/00/\u00e9.txt",
            "M00/../00/abc.txt",
            "../00/00/abc.txt",
            "/etc/passwd/x",
            "M00/00/00/abc..txt",
    })
    void rejectsUnsafeOrMalformedNames(String name) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> RemoteFilename.parse(name));
        assertEquals(Status.EINVAL, e.status());
    }

    @Test
    void rejectsNamesOver127Bytes() throws ProtocolException {
        String ok = "M00/00/00/" + "a".repeat(117);
        assertEquals(127, ok.length());
        RemoteFilename.parse(ok);
        assertThrows(ProtocolException.class, () -> RemoteFilename.parse(ok + "a"));
    }
}
