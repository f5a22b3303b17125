package io.kfdfs.tracker;

import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * storage_ids.conf lookups (docs/protocol.md §11.3) whose hosts may be DNS names, such as a Kubernetes pod's
 * stable name. Names are resolved when a lookup needs them, on a worker thread, never once for good: a pod
 * that comes back with a new IP is found at its new address (TrackerMain keeps the JVM's cache of answers
 * short). Entries of IP addresses need no resolving. Lookups read the storage IDs the cluster holds now,
 * which a changed file replaces ({@link StorageIdsReload}).
 */
final class StorageIdLookup {

    private static final System.Logger LOG = System.getLogger(StorageIdLookup.class.getName());

    private final Vertx vertx;
    private final Cluster cluster;
    private final NameResolver dns;

    StorageIdLookup(Vertx vertx, Cluster cluster, NameResolver dns) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.dns = dns;
    }

    /**
     * The storage of {@code group} (of any group when null) at {@code ip:port}: its host as written or
     * as resolved now is {@code ip}; the entry comes back resolved.
     */
    Future<Optional<StorageIds.Entry>> byAddress(String group, String ip, int port) {
        return resolved(e -> group == null || e.group().equals(group)).map(all -> all.stream()
                .filter(r -> r.resolved().at(ip, port) || r.written().at(ip, port))
                .map(Resolved::resolved).findFirst());
    }

    /** The entry of storage {@code id}, resolved; ENOENT when it is not configured or its host does not resolve. */
    Future<StorageIds.Entry> byId(String id) {
        Optional<StorageIds.Entry> e = cluster.ids.byId(id);
        if (e.isEmpty()) {
            return Future.failedFuture(new ProtocolException(Status.ENOENT, "storage ID " + id
                    + " is not in storage_ids.conf"));
        }
        return resolved(x -> x == e.get()).compose(r -> r.isEmpty()
                ? Future.failedFuture(new ProtocolException(Status.ENOENT, "storage " + id
                + ": its host in storage_ids.conf does not resolve"))
                : Future.succeededFuture(r.get(0).resolved()));
    }

    private record Resolved(StorageIds.Entry written, StorageIds.Entry resolved) {
    }

    /** The chosen entries with their hosts resolved; one whose name does not resolve is logged and left out. */
    private Future<List<Resolved>> resolved(Predicate<StorageIds.Entry> which) {
        List<StorageIds.Entry> chosen = cluster.ids.entries().stream().filter(which).toList();
        if (chosen.stream().noneMatch(StorageIds.Entry::named)) {
            return Future.succeededFuture(chosen.stream().map(e -> new Resolved(e, e)).toList());
        }
        return vertx.executeBlocking(() -> {
            List<Resolved> all = new ArrayList<>();
            for (StorageIds.Entry e : chosen) {
                try {
                    all.add(new Resolved(e, e.resolved(dns)));
                } catch (UnknownHostException ex) {
                    LOG.log(Level.WARNING, "storage " + e.id() + " of storage_ids.conf: cannot resolve "
                            + String.join(",", e.hosts()) + " (" + ex.getMessage() + "); it is unknown until it does");
                }
            }
            return all;
        }, false);
    }
}
