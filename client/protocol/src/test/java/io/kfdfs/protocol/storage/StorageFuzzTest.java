package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random and mutated bodies either decode or fail with a ProtocolException, never anything else. */
class StorageFuzzTest {

    private static final int[] CMDS = {9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 34, 35,
            36, 37, 38, 40};

    @Test
    void randomBodies() {
        Random r = new Random(7);
        for (int i = 0; i < 4_000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            decodeAll(b, r.nextInt(3) == 0 ? 17 : 0);
        }
    }

    @Test
    void mutatedCapturedBodies() {
        List<byte[]> seeds = new ArrayList<>();
        for (List<VectorFrame> frames : Vectors.all().values()) {
            for (VectorFrame f : frames) {
                if (f.serverRole().startsWith("storage") && f.length() > 0 && f.bytes().length < 4096) {
                    seeds.add(f.bodyBytes());
                }
            }
        }
        Random r = new Random(11);
        for (int i = 0; i < 4_000; i++) {
            byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
            if (b.length == 0) {
                continue;
            }
            switch (r.nextInt(4)) {
                case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
                case 2 -> {
                    // a length field set to an extreme value
                    int at = r.nextInt(Math.max(1, Math.min(b.length, 24) - 7));
                    long v = r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE + r.nextInt(10);
                    if (at + 8 <= b.length) {
                        ByteBuffer.wrap(b).putLong(at, v);
                    }
                }
                default -> b = java.util.Arrays.copyOf(b, b.length + r.nextInt(40));
            }
            decodeAll(b, 0);
        }
    }

    private static void decodeAll(byte[] b, int status) {
        for (int cmd : CMDS) {
            try {
                StorageBodies.request(cmd, status, ByteBuffer.wrap(b));
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
            try {
                StorageBodies.response(cmd, ByteBuffer.wrap(b));
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        }
    }
}
