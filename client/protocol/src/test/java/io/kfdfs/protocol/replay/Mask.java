package io.kfdfs.protocol.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * What legitimately differs between a captured C response body and the kfdfs one: byte ranges to ignore
 * (times, random bits, CRCs of random content, IPs, ports) and fixed string fields whose bytes after the
 * first NUL are junk in C (testdata/vectors/NOTES.md D4). Ranges are offsets in the body.
 */
public final class Mask {

    record Range(int from, int to, boolean afterNulOnly) {
    }

    private final List<Range> ranges = new ArrayList<>();
    private boolean ignoreLength;

    public static Mask none() {
        return new Mask();
    }

    /** Ignore body bytes {@code [from, to)}. */
    public Mask ignore(int from, int to) {
        ranges.add(new Range(from, to, false));
        return this;
    }

    /** Ignore body bytes from {@code from} to the end. */
    public Mask ignoreFrom(int from) {
        return ignore(from, Integer.MAX_VALUE);
    }

    /** A {@code str[size]} field at {@code offset}: compare up to its first NUL only. */
    public Mask fixedString(int offset, int size) {
        ranges.add(new Range(offset, offset + size, true));
        return this;
    }

    /** Bodies may differ in length (e.g. a list whose record count depends on the run). */
    public Mask ignoreLength() {
        ignoreLength = true;
        return this;
    }

    boolean lengthIgnored() {
        return ignoreLength;
    }

    /** Whether byte {@code i} of {@code body} is compared. */
    boolean compared(byte[] body, int i) {
        for (Range r : ranges) {
            if (i >= r.from() && i < r.to()) {
                if (!r.afterNulOnly()) {
                    return false;
                }
                for (int j = r.from(); j < i; j++) {
                    if (j < body.length && body[j] == 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
