package io.kfdfs.storage.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Range} request header (RFC 9110 §14.1.2, §14.2) resolved against a file of known size.
 */
final class ByteRanges {

    /** More ranges than this in one request are ignored (RFC 9110 §14.2 allows it; it bounds the work). */
    static final int MAX_RANGES = 16;

    /** What to send. */
    sealed interface Plan {
    }

    /** The whole file with 200: no Range, an invalid one, or one the server chooses to ignore. */
    record Whole() implements Plan {
    }

    /** 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements Plan {
    }

    /** 206 with these ranges, in request order: one as a plain body, several as multipart/byteranges. */
    record Parts(List<Range> ranges) implements Plan {
    }

    /** Bytes {@code first} to {@code last}, both included. */
    record Range(long first, long last) {

        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    private ByteRanges() {
    }

    /**
     * @param header     the Range header, or null
     * @param multiRange whether several ranges may be answered (if not, such a request gets the whole file)
     */
    static Plan plan(String header, long size, boolean multiRange) {
        if (header == null || size == 0) {
            return new Whole();
        }
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        List<Range> satisfiable = new ArrayList<>();
        int specs = 0;
        for (String part : header.substring(eq + 1).split(",", -1)) {
            String spec = part.trim();
            if (spec.isEmpty()) {
                continue;
            }
            if (++specs > MAX_RANGES) {
                return new Whole();
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return new Whole();
            }
            long first = digits(spec.substring(0, dash));
            long last = digits(spec.substring(dash + 1));
            if (dash == 0) {
                // suffix range: the last N bytes
                if (last < 0) {
                    return new Whole();
                }
                if (last > 0) {
                    satisfiable.add(new Range(Math.max(0, size - last), size - 1));
                }
            } else {
                if (first < 0 || (dash + 1 < spec.length() && last < 0) || (last >= 0 && last < first)) {
                    return new Whole();
                }
                if (first < size) {
                    satisfiable.add(new Range(first, last < 0 || last >= size ? size - 1 : last));
                }
            }
        }
        if (specs == 0) {
            return new Whole();
        }
        if (satisfiable.isEmpty()) {
            return new Unsatisfiable();
        }
        if (satisfiable.size() > 1 && (!multiRange || overlap(satisfiable))) {
            return new Whole();
        }
        return new Parts(List.copyOf(satisfiable));
    }

    /** A non-empty run of decimal digits (saturating at Long.MAX_VALUE), or -1 (also for an empty string). */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }

    /** Overlapping ranges could ask for a file many times over; they get the file once instead. */
    private static boolean overlap(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
                return true;
            }
        }
        return false;
    }
}
