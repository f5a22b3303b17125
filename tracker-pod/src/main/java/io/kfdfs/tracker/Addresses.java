package io.kfdfs.tracker;

import io.kfdfs.protocol.FdfsBase64;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/** Storage identities and addresses as FastDFS derives them from IP text. */
final class Addresses {

    private Addresses() {
    }

    /**
     * The storage ID of a storage without storage_ids.conf: its IP, or for IPv6 the 12-character short
     * code (CRC-32 without the final XOR, as a little-endian i64, padded base64; docs/protocol.md §7.3).
     */
    static String storageIdOfIp(String ip) {
        if (!ip.contains(":")) {
            return ip;
        }
        CRC32 crc = new CRC32();
        crc.update(ip.getBytes(StandardCharsets.ISO_8859_1));
        long raw = ~crc.getValue() & 0xFFFFFFFFL;
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(raw).array();
        return FdfsBase64.encodePadded(b);
    }

    /**
     * Of a storage's addresses, the one a client should use: the first whose "IP type" (10.x, 172.16-31.x,
     * 192.168.x, anything else) equals the client's, else the first (docs/protocol.md §3).
     */
    static String forClient(List<String> addresses, String clientIp) {
        int type = ipType(clientIp);
        return addresses.stream().filter(a -> ipType(a) == type).findFirst().orElse(addresses.get(0));
    }

    private static int ipType(String ip) {
        if (ip.startsWith("10.")) {
            return 1;
        }
        if (ip.startsWith("192.168.")) {
            return 3;
        }
        if (ip.startsWith("172.")) {
            String[] p = ip.split("\\.");
            if (p.length > 1 && p[1].matches("[0-9]{1,3}")) {
                int second = Integer.parseInt(p[1]);
                if (second >= 16 && second <= 31) {
                    return 2;
                }
            }
        }
        return 0;
    }
}
