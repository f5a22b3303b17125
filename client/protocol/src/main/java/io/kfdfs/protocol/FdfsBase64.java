package io.kfdfs.protocol;

import java.io.ByteArrayOutputStream;

/**
 * FastDFS' base64 variant (docs/protocol.md §7.3): URL-safe alphabet ({@code -} = 62, {@code _} = 63) and
 * {@code .} as the pad character. File names use the unpadded form (20 bytes → 27 characters).
 */
public final class FdfsBase64 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final char PAD = '.';
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private FdfsBase64() {
    }

    /** Encodes without padding, as file names carry it. */
    public static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 4 + 2) / 3);
        for (int i = 0; i < data.length; i += 3) {
            int n = Math.min(3, data.length - i);
            int v = (data[i] & 0xFF) << 16;
            if (n > 1) {
                v |= (data[i + 1] & 0xFF) << 8;
            }
            if (n > 2) {
                v |= data[i + 2] & 0xFF;
            }
            for (int k = 0; k <= n; k++) {
                sb.append(ALPHABET[(v >> (18 - 6 * k)) & 0x3F]);
            }
        }
        return sb.toString();
    }

    /** Encodes with {@code .} padding to a multiple of 4 characters (IPv6 short codes). */
    public static String encodePadded(byte[] data) {
        StringBuilder sb = new StringBuilder(encode(data));
        while (sb.length() % 4 != 0) {
            sb.append(PAD);
        }
        return sb.toString();
    }

    /** True if {@code c} belongs to the alphabet (not the pad). */
    public static boolean isAlphabet(char c) {
        return c < 128 && VALUES[c] >= 0;
    }

    /**
     * Decodes padded or unpadded text. Like the C decoder, characters outside the alphabet are
     * skipped rather than rejected; callers that need strictness validate the text first.
     */
    public static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 3 / 4);
        int acc = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isAlphabet(c)) {
                continue;
            }
            acc = (acc << 6) | VALUES[c];
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write((acc >> bits) & 0xFF);
            }
        }
        return out.toByteArray();
    }
}
