package io.kfdfs.protocol.testing;

import io.kfdfs.conf.HostPort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test servers, taken below Linux's ephemeral range (32768-60999). A port the kernel hands out
 * with {@code bind(0)} is also one it hands out as the source port of an outgoing connection: a server
 * started on it later may find it taken, and a connection to it while nothing listens can connect to
 * itself (TCP simultaneous open) instead of being refused. Neither can happen below that range.
 */
public final class Ports {
    private static final int LOW = 20000;
    private static final int HIGH = 32000;

    private Ports() {
    }

    /** A port on which nothing listens now, on 127.0.0.1 and on the wildcard address. */
    public static int free() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (bindable(port, InetAddress.getByName("127.0.0.1")) && bindable(port, null)) {
                return port;
            }
        }
        throw new IOException("no free port between " + LOW + " and " + HIGH);
    }

    /** An address on 127.0.0.1 where nothing listens: a connection to it is refused. */
    public static HostPort refusing() throws IOException {
        return new HostPort("127.0.0.1", free());
    }

    private static boolean bindable(int port, InetAddress address) {
        try (ServerSocket s = new ServerSocket(port, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
