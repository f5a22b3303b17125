package io.kfdfs.cli.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A socket that is full every other write and takes at most 100 000 bytes when it is not. */
final class Trickle implements GatheringByteChannel {

    private final ByteArrayOutputStream got = new ByteArrayOutputStream();
    private boolean full;

    /** File {@code file}'s content as its sender writes it after a 12-byte head, which must come first and whole. */
    static byte[] content(Payload p, int file) throws IOException {
        Payload.Sender sender = p.sender(file);
        Trickle channel = new Trickle();
        ByteBuffer head = ByteBuffer.wrap("request head".getBytes(StandardCharsets.US_ASCII));
        int calls = 0;
        while (!sender.writeTo(channel, head)) {
            calls++;
        }
        assertTrue(calls > p.size() / 100_000, "a full channel stops the sender: " + calls);
        assertTrue(sender.writeTo(channel, head), "a sent file stays sent");
        byte[] all = channel.got.toByteArray();
        assertEquals("request head", new String(all, 0, 12, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(all, 12, all.length);
    }

    @Override
    public int write(ByteBuffer src) {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        full = !full;
        if (full) {
            return 0;
        }
        int room = 100_000;
        for (int i = offset; i < offset + length && room > 0; i++) {
            byte[] b = new byte[Math.min(srcs[i].remaining(), room)];
            srcs[i].get(b);
            got.writeBytes(b);
            room -= b.length;
        }
        return 100_000 - room;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
