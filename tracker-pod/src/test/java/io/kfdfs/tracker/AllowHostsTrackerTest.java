package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tracker.conf allow_hosts: only 127.0.0.2 is served; a client from 127.0.0.1 is closed without a reply. */
class AllowHostsTrackerTest {

    @TempDir
    Path dir;

    private static Socket connect(String from, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void onlyTheAllowedAddressIsServed() throws Exception {
        try (TrackerFixture tracker = new TrackerFixture(dir, "allow_hosts = 127.0.0.[2-3]\n", null)) {
            try (Socket s = connect("127.0.0.2", tracker.port())) {
                s.getOutputStream().write(Header.request(Cmd.SERVER_LIST_ALL_GROUPS, 0).toBytes());
                Header reply = Header.decode(s.getInputStream().readNBytes(Header.SIZE), 0);
                assertEquals(Status.OK, reply.status());
                assertEquals(0, reply.bodyLength(), "no group yet");
            }
            try (Socket s = connect("127.0.0.1", tracker.port())) {
                assertEquals(-1, s.getInputStream().read());
            }
        }
    }
}
