package io.kfdfs.storage.store;

/** A place in the binlog: the file index ({@code binlog.NNN}) and a byte offset in that file. */
public record BinlogPosition(int index, long offset) implements Comparable<BinlogPosition> {

    public static final BinlogPosition START = new BinlogPosition(0, 0);

    @Override
    public int compareTo(BinlogPosition o) {
        return index != o.index ? Integer.compare(index, o.index) : Long.compare(offset, o.offset);
    }

    public boolean before(BinlogPosition o) {
        return compareTo(o) < 0;
    }

    @Override
    public String toString() {
        return Binlog.fileName(index) + ":" + offset;
    }
}
