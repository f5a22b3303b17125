package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 105 QUERY_FETCH_ALL (docs/protocol.md §3.4). The 6.16 format carries a port per entry
 * ({@code 16 + n×(S+7)}); the legacy format (C ≤ 6.15, fastdfs-client-java) has one address with the
 * port followed by bare IPs ({@code 16 + (S+7) + (n-1)×(S-1)}), all sharing the first port. Both are
 * identical for one server. There is no negotiation: the reader must know which one to expect.
 */
public record FetchAllReply(String group, List<ServerAddress> servers, int ipSize, boolean legacy)
        implements Body {

    public FetchAllReply {
        Wire.checkIpSize(ipSize);
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("fetch-all reply needs at least one server");
        }
    }

    /** Decodes the 6.16 format. */
    public static FetchAllReply decode(ByteBuffer body) throws ProtocolException {
        int ipSize = Wire.detectIpSize(body.remaining(), Fields.GROUP_NAME_SIZE,
                ServerAddress.size(Fields.IPV4_SIZE), ServerAddress.size(Fields.IPV6_SIZE), false,
                "fetch-all reply");
        int n = (body.remaining() - Fields.GROUP_NAME_SIZE) / ServerAddress.size(ipSize);
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        List<ServerAddress> servers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            servers.add(ServerAddress.decode(body, ipSize));
        }
        return new FetchAllReply(group, servers, ipSize, false);
    }

    /**
     * Decodes the pre-6.16 format. Its length does not tell S apart (two S=46 entries are as long as six
     * S=16 ones), so the reader must know S.
     */
    public static FetchAllReply decodeLegacy(ByteBuffer body, int ipSize) throws ProtocolException {
        Wire.checkIpSize(ipSize);
        int rest = body.remaining() - Fields.GROUP_NAME_SIZE - ServerAddress.size(ipSize);
        if (rest < 0 || rest % (ipSize - 1) != 0) {
            throw ProtocolException.invalid("legacy fetch-all reply: body length " + body.remaining()
                    + " does not fit S=" + ipSize);
        }
        int n = 1 + rest / (ipSize - 1);
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        ServerAddress first = ServerAddress.decode(body, ipSize);
        List<ServerAddress> servers = new ArrayList<>(n);
        servers.add(first);
        for (int i = 1; i < n; i++) {
            servers.add(new ServerAddress(Fields.getFixed(body, ipSize - 1, "ip"), first.port()));
        }
        return new FetchAllReply(group, servers, ipSize, true);
    }

    @Override
    public int size() {
        int entry = ServerAddress.size(ipSize);
        return Fields.GROUP_NAME_SIZE + (legacy ? entry + (servers.size() - 1) * (ipSize - 1) : servers.size() * entry);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        servers.get(0).encodeTo(out, ipSize);
        for (ServerAddress s : servers.subList(1, servers.size())) {
            if (legacy) {
                Fields.putFixed(out, s.ip(), ipSize - 1);
            } else {
                s.encodeTo(out, ipSize);
            }
        }
    }
}
