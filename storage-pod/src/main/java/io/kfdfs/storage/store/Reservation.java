package io.kfdfs.storage.store;

/** Room held in a store path for an upload in flight; released once the file is in place or abandoned. */
public final class Reservation {

    private final Store store;
    private final StorePath path;
    private final long size;
    private boolean released;

    Reservation(Store store, StorePath path, long size) {
        this.store = store;
        this.path = path;
        this.size = size;
    }

    public StorePath path() {
        return path;
    }

    public synchronized void release() {
        if (!released) {
            released = true;
            store.release(path, size);
        }
    }
}
