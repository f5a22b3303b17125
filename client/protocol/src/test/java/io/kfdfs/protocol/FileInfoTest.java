package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileInfoTest {

    @Test
    void normalFileWithServerId() throws ProtocolException {
        FileInfo i = FileInfo.decode(FileId.parse("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt"));
        assertEquals(new FileInfo(FileInfo.Type.NORMAL, 100001, "", 1795633364L, 5, 0x3610a686), i);
    }

    @Test
    void normalFileWithIpv4() throws ProtocolException {
        FileInfo i = FileInfo.decode(FileId.parse("group1/M00/00/00/fwAAAWsHMhWANdsfAAERcJ_hx8E661.bin"));
        assertEquals(new FileInfo(FileInfo.Type.NORMAL, 0, "127.0.0.1", 1795633685L, 70000, 0x9fe1c7c1), i);
    }

    @Test
    void appenderAndSlaveSizesAreUnknown() throws ProtocolException {
        FileInfo a = FileInfo.decode(FileId.parse("group1/M00/00/00/oYYBAGsHMPWEHhIwAAAAADYQpoY512.txt"));
        assertEquals(FileInfo.Type.APPENDER, a.type());
        assertEquals(-1, a.size());
        FileInfo s = FileInfo.decode(FileId.parse("group1/M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_big.txt"));
        assertEquals(FileInfo.Type.SLAVE, s.type());
        assertEquals(-1, s.size());
        assertEquals(0x3610a686, s.crc32());
    }

    @Test
    void shortNamesAreInvalid() {
        assertThrows(ProtocolException.class,
                () -> FileInfo.decode(RemoteFilename.parse("M00/00/00/oYYBAGsHMOuACWuoAAAABTYQ.txt")));
    }
}
