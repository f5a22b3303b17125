package io.kfdfs.pod;

import io.kfdfs.conf.AllowHosts;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** allow_hosts over real sockets: a client from 127.0.0.2 is served, one from 127.0.0.1 is closed at once. */
class AllowHostsServerTest {

    Vertx vertx;
    FrameServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        FrameHandler handler = new FrameHandler() {
            @Override
            public BodyPolicy policy(Header h) {
                return BodyPolicy.reject(Status.EINVAL);
            }

            @Override
            public void onRequest(FrameConnection c, Header h, Buffer body) {
                c.replyError(Status.EINVAL);
            }
        };
        server = FrameServer.start(vertx, "127.0.0.1", 0, handler, PodLimits.DEFAULT,
                AllowHosts.parse(List.of("127.0.0.2"))).await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private Socket connectFrom(String local) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void anAllowedAddressIsServed() throws Exception {
        try (Socket s = connectFrom("127.0.0.2")) {
            s.getOutputStream().write(Header.request(Cmd.ACTIVE_TEST, 0).toBytes());
            byte[] reply = s.getInputStream().readNBytes(Header.SIZE);
            assertEquals(Header.SIZE, reply.length);
            assertEquals(Status.OK, Header.decode(reply, 0).status());
        }
    }

    @Test
    void anotherAddressIsClosedWithoutAReply() throws Exception {
        try (Socket s = connectFrom("127.0.0.1")) {
            assertEquals(-1, s.getInputStream().read());
        }
    }
}
