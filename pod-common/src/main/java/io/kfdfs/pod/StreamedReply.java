package io.kfdfs.pod;

import io.kfdfs.protocol.Header;

/**
 * A response read by {@link FrameClient#callStreamed}: the header, and a body of exactly
 * {@code header.bodyLength()} bytes read from the socket only as fast as the consumer takes them.
 * The connection serves its next call only after the body has been read to the end (or
 * {@link BodyStream#discard() discarded}).
 */
public record StreamedReply(Header header, BodyStream body) {

    public int status() {
        return header.status();
    }

    public boolean ok() {
        return header.status() == 0;
    }
}
