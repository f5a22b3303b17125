package io.kfdfs.pod;

/**
 * How the framing layer reads the body of one request, chosen per request by {@link FrameHandler#policy}.
 */
public sealed interface BodyPolicy {

    /** Collect the whole body (at most {@code maxBodyLength} bytes; longer gets EINVAL and a close). */
    static BodyPolicy buffered(long maxBodyLength) {
        return new Buffered(maxBodyLength);
    }

    /** Collect the first {@code prefixLength} bytes, stream the rest with back-pressure. */
    static BodyPolicy streamed(long prefixLength) {
        return new Streamed(prefixLength);
    }

    /** Answer {@code status} without looking at the body (which is drained, or the connection closed if huge). */
    static BodyPolicy reject(int status) {
        return new Reject(status);
    }

    record Buffered(long maxBodyLength) implements BodyPolicy {
    }

    record Streamed(long prefixLength) implements BodyPolicy {
    }

    record Reject(int status) implements BodyPolicy {
    }
}
