package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * A storage address in client replies: IP {@code str[S-1]} + port i64 (S+7 bytes). The IP field is one
 * byte short of S, so a 15-character IPv4 address fills it without a NUL (docs/protocol.md §3.1).
 */
public record ServerAddress(String ip, int port) {

    public static int size(int ipSize) {
        return ipSize - 1 + 8;
    }

    static ServerAddress decode(ByteBuffer in, int ipSize) throws ProtocolException {
        String ip = Fields.getFixed(in, ipSize - 1, "ip");
        return new ServerAddress(ip, Wire.getPort(in, "port"));
    }

    void encodeTo(ByteBuffer out, int ipSize) {
        Fields.putFixed(out, ip, ipSize - 1);
        out.putLong(port);
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
