package io.kfdfs.storage.http;

import io.kfdfs.storage.http.ByteRanges.Parts;
import io.kfdfs.storage.http.ByteRanges.Plan;
import io.kfdfs.storage.http.ByteRanges.Range;
import io.kfdfs.storage.http.ByteRanges.Unsatisfiable;
import io.kfdfs.storage.http.ByteRanges.Whole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Range header resolution against a 1000-byte file, per RFC 9110 §14.1.2. */
class ByteRangesTest {

    static Plan plan(String header) {
        return ByteRanges.plan(header, 1000, true);
    }

    static Plan parts(Range... ranges) {
        return new Parts(List.of(ranges));
    }

    @Test
    void resolvesTheThreeRangeForms() {
        assertEquals(parts(new Range(0, 499)), plan("bytes=0-499"));
        assertEquals(parts(new Range(900, 999)), plan("bytes=900-"));
        assertEquals(parts(new Range(900, 999)), plan("bytes=-100"));
        assertEquals(parts(new Range(0, 999)), plan("bytes=-5000"));
        assertEquals(parts(new Range(990, 999)), plan("bytes=990-5000"));
        assertEquals(parts(new Range(0, 0), new Range(999, 999)), plan("Bytes = 0-0 , -1"));
    }

    @Test
    void dropsUnsatisfiableRangesAndAnswers416WhenNoneIsLeft() {
        assertEquals(new Unsatisfiable(), plan("bytes=1000-"));
        assertEquals(new Unsatisfiable(), plan("bytes=-0"));
        assertEquals(new Unsatisfiable(), plan("bytes=5000-6000,1000-1001"));
        assertEquals(parts(new Range(10, 19)), plan("bytes=5000-6000,10-19"));
    }

    @Test
    void ignoresWhatItCannotOrWillNotServe() {
        assertEquals(new Whole(), plan(null));
        assertEquals(new Whole(), plan("items=0-1"));
        assertEquals(new Whole(), plan("bytes=abc"));
        assertEquals(new Whole(), plan("bytes=9-5"));
        assertEquals(new Whole(), plan("bytes=1-x"));
        assertEquals(new Whole(), plan("bytes=-"));
        assertEquals(new Whole(), plan("bytes="));
        assertEquals(new Whole(), plan("bytes=0-100,50-150"));
        assertEquals(new Whole(), plan(spread(ByteRanges.MAX_RANGES + 1)));
        assertEquals(ByteRanges.MAX_RANGES, ((Parts) plan(spread(ByteRanges.MAX_RANGES))).ranges().size());
        assertEquals(new Whole(), ByteRanges.plan("bytes=0-1,5-6", 1000, false));
        assertEquals(new Whole(), ByteRanges.plan("bytes=0-1", 0, true));
    }

    /** {@code n} one-byte ranges two bytes apart. */
    static String spread(int n) {
        return "bytes=" + IntStream.range(0, n).mapToObj(i -> 2 * i + "-" + 2 * i).collect(Collectors.joining(","));
    }

    @Test
    void saturatesHugeNumbers() {
        assertEquals(parts(new Range(5, 999)), plan("bytes=5-99999999999999999999999"));
        assertEquals(new Unsatisfiable(), plan("bytes=99999999999999999999999-"));
    }
}
