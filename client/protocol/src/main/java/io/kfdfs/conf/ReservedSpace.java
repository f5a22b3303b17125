package io.kfdfs.conf;

import java.util.Locale;

/**
 * tracker.conf {@code reserved_storage_space}: either a ratio of the total space ({@code 20%}, {@code 12.5%})
 * or a fixed amount in MB ({@code 1G}, {@code 500M}; a bare number is bytes, as in FastDFS). Exactly one
 * of {@code ratio} (0 < ratio < 1) and {@code megabytes} is meaningful: {@code ratio == 0} means MB.
 */
public record ReservedSpace(double ratio, long megabytes) {

    /** FastDFS's value when the key is absent. */
    public static final ReservedSpace DEFAULT = ofMegabytes(1024);

    public ReservedSpace {
        if (ratio < 0 || ratio >= 1 || megabytes < 0 || (ratio > 0 && megabytes != 0)) {
            throw new IllegalArgumentException("invalid reserved space: ratio " + ratio + ", MB " + megabytes);
        }
    }

    public static ReservedSpace ofRatio(double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("ratio must be > 0% and < 100%");
        }
        return new ReservedSpace(ratio, 0);
    }

    public static ReservedSpace ofMegabytes(long megabytes) {
        return new ReservedSpace(0, megabytes);
    }

    /**
     * Parses {@code NN%} or a size ({@code fdfs_parse_storage_reserved_space}); also reads back
     * {@link #toParameter()}'s {@code 1024MB} and {@code 20.00%}.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static ReservedSpace parse(String text) {
        String s = text.trim();
        if (s.endsWith("%")) {
            double percent;
            try {
                percent = Double.parseDouble(s.substring(0, s.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected NN% or a size such as 1G");
            }
            if (!(percent > 0 && percent < 100)) {
                throw new IllegalArgumentException("percentage must be > 0 and < 100");
            }
            return ofRatio(percent / 100);
        }
        return ofMegabytes(Values.parseBytes(s) / (1024 * 1024));
    }

    public boolean isRatio() {
        return ratio > 0;
    }

    /** The space to keep free on a disk (or group) of {@code totalMb}, in MB. */
    public long reservedMb(long totalMb) {
        return isRatio() ? (long) (totalMb * ratio) : megabytes;
    }

    /** As the tracker writes it in its PARAMETER_REQ (75) reply: {@code 1024MB} or {@code 20.00%}. */
    public String toParameter() {
        return isRatio() ? String.format(Locale.ROOT, "%.2f%%", ratio * 100) : megabytes + "MB";
    }
}
