package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileIdTest {

    @Test
    void splitsAtTheFirstSlash() throws ProtocolException {
        FileId id = FileId.parse("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt");
        assertEquals("group1", id.group());
        assertEquals("M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt", id.remote().text());
        assertEquals("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt", id.toString());
    }

    @Test
    void acceptsSixteenCharacterGroups() throws ProtocolException {
        FileId.checkGroup("abcdefghijklmnop");
        FileId.checkGroup("G1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "group1-no-slash",
            "/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "abcdefghijklmnopq/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "gr.up/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "gr_up/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "..//M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt",
            "group1/M00/00/0",
            "group1/M00/00/00/x/../../y.txt",
    })
    void rejectsBadIds(String text) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> FileId.parse(text));
        assertEquals(Status.EINVAL, e.status());
    }
}
