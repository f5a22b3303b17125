package io.kfdfs.tracker;

import io.kfdfs.conf.ConfException;
import io.kfdfs.conf.StorageIds;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes storage_ids.conf again when its content changes, so that a new group or a scale-out needs no
 * tracker restart. The file is read every {@link #POLL_MILLIS} on a worker and compared by content: a
 * Kubernetes ConfigMap volume changes by swapping its {@code ..data} symlink, which file watches miss in
 * some setups, while a read through the link always sees the current target. A file that does not load
 * leaves the storage IDs in use, and its error (file and line) is logged once per content. Runs on the
 * tracker's event loop, the one owner of the cluster.
 */
final class StorageIdsReload {

    private static final System.Logger LOG = System.getLogger(StorageIdsReload.class.getName());
    static final long POLL_MILLIS = 2000;

    private final Vertx vertx;
    private final Path file;
    private final Cluster cluster;
    /** The content last read; null before the first read. */
    private String lastText;
    private String lastReadError;
    private boolean reading;

    StorageIdsReload(Vertx vertx, Path file, Cluster cluster) {
        this.vertx = vertx;
        this.file = file;
        this.cluster = cluster;
    }

    /** Polls from now on; the timer ends with the tracker's verticle. */
    void start() {
        vertx.setPeriodic(POLL_MILLIS, id -> poll());
    }

    private void poll() {
        if (reading) {
            return;
        }
        reading = true;
        vertx.executeBlocking(() -> Files.readString(file, StandardCharsets.UTF_8), false).onComplete(ar -> {
            reading = false;
            if (ar.succeeded()) {
                lastReadError = null;
                read(ar.result());
            } else if (!ar.cause().toString().equals(lastReadError)) {
                lastReadError = ar.cause().toString();
                LOG.log(Level.WARNING, "cannot read " + file + " (" + lastReadError + "): keeping the storage IDs in use");
            }
        });
    }

    private void read(String text) {
        if (text.equals(lastText)) {
            return;
        }
        lastText = text;
        StorageIds next;
        try {
            next = StorageIds.parse(file.toString(), text);
        } catch (ConfException e) {
            LOG.log(Level.ERROR, "storage_ids.conf changed but does not load, keeping the storage IDs in use: "
                    + e.getMessage());
            return;
        }
        List<StorageIds.Entry> before = cluster.ids.entries();
        if (next.entries().equals(before)) {
            return; // the first read, or comments only
        }
        Set<String> old = before.stream().map(StorageIds.Entry::id).collect(Collectors.toSet());
        Set<String> now = next.entries().stream().map(StorageIds.Entry::id).collect(Collectors.toSet());
        LOG.log(Level.INFO, file + " reloaded: " + now.size() + " storages; new "
                + now.stream().filter(id -> !old.contains(id)).sorted().toList() + ", gone "
                + old.stream().filter(id -> !now.contains(id)).sorted().toList());
        cluster.replaceIds(next);
    }
}
