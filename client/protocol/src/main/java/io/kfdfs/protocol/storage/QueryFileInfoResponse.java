package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * The QUERY_FILE_INFO (22) reply, §4.7: size, create time, CRC-32 sign-extended to 8 bytes, source IP
 * {@code str[S]} with S = 16 or 46 (40 or 70 bytes).
 */
public record QueryFileInfoResponse(long fileSize, long createTime, int crc32, String sourceIp, int ipSize)
        implements Body {

    /** Header status flag: do not compute the CRC of appender and slave files. */
    public static final int FLAG_NOT_CALC_CRC32 = 1;
    /** Header status flag: no server log line for a missing file. */
    public static final int FLAG_KEEP_SILENCE = 2;

    public QueryFileInfoResponse {
        if (ipSize != Fields.IPV4_SIZE && ipSize != Fields.IPV6_SIZE) {
            throw new IllegalArgumentException("IP field size must be 16 or 46: " + ipSize);
        }
    }

    public static QueryFileInfoResponse decode(ByteBuffer body) throws ProtocolException {
        int ipSize = body.remaining() - 24;
        if (ipSize != Fields.IPV4_SIZE && ipSize != Fields.IPV6_SIZE) {
            throw ProtocolException.invalid("file info reply must be 40 or 70 bytes, got " + body.remaining());
        }
        long size = body.getLong();
        long time = body.getLong();
        int crc = (int) body.getLong();
        return new QueryFileInfoResponse(size, time, crc, Fields.getFixed(body, ipSize, "source ip"), ipSize);
    }

    @Override
    public int size() {
        return 24 + ipSize;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(fileSize).putLong(createTime).putLong(crc32);
        Fields.putFixed(out, sourceIp, ipSize);
    }
}
