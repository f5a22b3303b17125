package io.kfdfs.storage.report;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.NameResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trackers this storage reports to now. A {@code tracker_server} written as an IP address is one
 * tracker, as in FastDFS; one written as a name is one tracker per address the name resolves to, so a
 * Kubernetes headless Service in front of the tracker pods names them all, and {@link #refresh()} finds
 * the pods that came and went. Names are resolved with a {@link NameResolver} on a worker thread, and
 * trackers are reached by IP: Vert.x's own resolver keeps one address of a name and ignores
 * {@code -Djdk.net.hosts.file}. A name that does not resolve keeps the addresses it had (none before its
 * first answer), so that a DNS failure does not end every session; that is logged once, until it
 * resolves again. Used on the reporter's context.
 */
final class TrackerDirectory {

    private static final System.Logger LOG = System.getLogger(TrackerDirectory.class.getName());

    private final Vertx vertx;
    private final List<HostPort> configured;
    private final NameResolver dns;
    /** The addresses of each tracker_server written as a name, as last resolved. */
    private final Map<HostPort, List<HostPort>> resolved = new HashMap<>();
    private final Set<HostPort> failing = new HashSet<>();
    private boolean refreshing;

    TrackerDirectory(Vertx vertx, List<HostPort> configured, NameResolver dns) {
        this.vertx = vertx;
        this.configured = configured;
        this.dns = dns;
    }

    /** Whether some tracker_server is a name, to be resolved again now and then. */
    boolean hasNames() {
        return configured.stream().anyMatch(TrackerDirectory::named);
    }

    /** Every tracker, each once, in tracker_server order: IP addresses as written, names as resolved. */
    List<HostPort> current() {
        Set<HostPort> all = new LinkedHashSet<>();
        for (HostPort t : configured) {
            all.addAll(named(t) ? resolved.getOrDefault(t, List.of()) : List.of(t));
        }
        return List.copyOf(all);
    }

    private record Answer(HostPort name, List<String> ips, UnknownHostException failure) {
    }

    /**
     * Resolves every name again (blocking lookups on a worker); completes on the caller's context with
     * {@link #current()}. While one refresh runs, another completes at once with the trackers as they are.
     */
    Future<List<HostPort>> refresh() {
        List<HostPort> names = configured.stream().filter(TrackerDirectory::named).distinct().toList();
        if (names.isEmpty() || refreshing) {
            return Future.succeededFuture(current());
        }
        refreshing = true;
        return vertx.executeBlocking(() -> {
            List<Answer> answers = new ArrayList<>();
            for (HostPort name : names) {
                try {
                    answers.add(new Answer(name, dns.resolve(name.host()), null));
                } catch (UnknownHostException e) {
                    answers.add(new Answer(name, List.of(), e));
                }
            }
            return answers;
        }, false).map(answers -> {
            answers.forEach(this::take);
            return current();
        }).eventually(() -> {
            refreshing = false;
            return Future.succeededFuture();
        });
    }

    private void take(Answer a) {
        if (a.failure() != null) {
            if (failing.add(a.name())) {
                LOG.log(Level.WARNING, "tracker_server " + a.name() + " does not resolve (" + a.failure().getMessage()
                        + "); keeping its addresses " + resolved.getOrDefault(a.name(), List.of())
                        + " and trying again");
            }
            return;
        }
        failing.remove(a.name());
        List<HostPort> now = a.ips().stream().sorted().distinct().map(ip -> new HostPort(ip, a.name().port())).toList();
        if (!now.equals(resolved.put(a.name(), now))) {
            LOG.log(Level.INFO, "tracker_server " + a.name() + " resolves to " + now);
        }
    }

    /** A host to resolve: not an IPv4 address, nor an IPv6 one (which alone holds colons). */
    private static boolean named(HostPort t) {
        return !HostPort.isIpv4Literal(t.host()) && !t.host().contains(":");
    }
}
