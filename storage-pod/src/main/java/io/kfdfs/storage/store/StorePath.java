package io.kfdfs.storage.store;

import java.nio.file.Path;

/**
 * One store path ({@code store_pathN}): its root, the {@code data} directory under it where files live
 * in {@code HH/HH/} subdirectories, and whether new uploads may go there.
 */
public record StorePath(int index, Path root, boolean readonly) {

    /** Prefix of the temporary files uploads are written to before they get their name. */
    static final String TEMP_PREFIX = ".kfdfs-";
    static final String TEMP_SUFFIX = ".tmp";

    public Path data() {
        return root.resolve("data");
    }
}
