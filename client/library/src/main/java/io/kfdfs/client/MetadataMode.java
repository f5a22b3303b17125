package io.kfdfs.client;

/** How SET_METADATA treats the file's existing items (docs/protocol.md §4.4). */
public enum MetadataMode {
    /** Replace all items; an empty map deletes the metadata. */
    OVERWRITE('O'),
    /** Add the items, replacing those with the same name. */
    MERGE('M');

    private final char flag;

    MetadataMode(char flag) {
        this.flag = flag;
    }

    /** The op flag byte on the wire. */
    public char flag() {
        return flag;
    }
}
