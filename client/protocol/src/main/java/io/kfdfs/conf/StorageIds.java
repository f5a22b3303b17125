package io.kfdfs.conf;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * storage_ids.conf (docs/protocol.md §11.3): one storage per line, {@code <id> <group> <host>[:<port>] [rw=<mode>]},
 * whitespace separated, {@code #} comments.
 * <ul>
 *   <li>{@code id}: decimal 1..16777215 without leading zeros; IDs are compared as strings.</li>
 *   <li>{@code host}: an IP or a DNS name, kept as written (never resolved here: see {@link Entry#resolved});
 *   a dual address {@code inner,outer}; IPv6 in brackets {@code [v6]} or {@code [v6a,v6b]}.</li>
 *   <li>{@code port}: as in FastDFS, a line without a port has port 0, which matches a storage on any port;
 *   either every line has a port or none has (FastDFS refuses a mix).</li>
 *   <li>{@code rw}: both/all (default), read/readonly, write/writeonly, none.</li>
 * </ul>
 * A duplicate ID, or two lines for the same host and port, is an error naming the line.
 */
public final class StorageIds {

    /** Read/write permission; {@code code} is FastDFS's rw_mode. */
    public enum RwMode {
        NONE(0, "none"), WRITE(2, "write"), READ(4, "read"), BOTH(6, "both");

        private final int code;
        private final String wireName;

        RwMode(int code, String wireName) {
            this.code = code;
            this.wireName = wireName;
        }

        public int code() {
            return code;
        }

        public boolean canRead() {
            return (code & 4) != 0;
        }

        public boolean canWrite() {
            return (code & 2) != 0;
        }

        static RwMode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "both", "all" -> BOTH;
                case "read", "readonly" -> READ;
                case "write", "writeonly" -> WRITE;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException(
                        "rw must be both/all, read/readonly, write/writeonly or none");
            };
        }
    }

    /**
     * One storage.
     *
     * @param hosts one host, or two for a dual address
     * @param port 0 when the line has none (matches any port)
     */
    public record Entry(String id, String group, List<String> hosts, int port, RwMode rw) {

        public Entry {
            hosts = List.copyOf(hosts);
        }

        /** The FETCH_STORAGE_IDS (69) line: {@code id group host[:port][ rw=mode]\n}, IPv6 hosts in brackets. */
        public String toWireLine() {
            String joined = String.join(",", hosts);
            return id + " " + group + " " + (joined.contains(":") ? "[" + joined + "]" : joined)
                    + (port > 0 ? ":" + port : "")
                    + (rw == RwMode.BOTH ? "" : " rw=" + rw.wireName) + "\n";
        }

        /**
         * This entry with every host name replaced by the first IP {@code dns} gives for it now (IP
         * addresses stay as written). Blocking: callers resolve off their event loop. A Kubernetes pod's
         * name only resolves once the pod exists, and to another IP after it moved, so callers resolve again
         * whenever they need the address.
         */
        public Entry resolved(NameResolver dns) throws UnknownHostException {
            if (!named()) {
                return this;
            }
            List<String> ips = new ArrayList<>();
            for (String h : hosts) {
                ips.add(isIp(h) ? h : dns.resolve(h).get(0));
            }
            return new Entry(id, group, ips, port, rw);
        }

        /** Whether some host is a DNS name rather than an IP address. */
        public boolean named() {
            return hosts.stream().anyMatch(h -> !isIp(h));
        }

        /** Whether this storage is at {@code host} (as written here) and {@code port} (any port when none is written). */
        public boolean at(String host, int port) {
            return hosts.contains(host) && (this.port == 0 || this.port == port);
        }

        private static boolean isIp(String host) {
            return host.contains(":") || HostPort.isIpv4Literal(host);
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byId;

    private StorageIds(List<Entry> entries) {
        this.entries = entries;
        this.byId = new HashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
    }

    public static StorageIds load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfException("cannot read storage IDs file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code text}; {@code source} names it in errors (a file name, or the tracker it came from). */
    public static StorageIds parse(String source, String text) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        Set<String> hostPorts = new HashSet<>();
        List<String> lines = text.lines().toList();
        int withPort = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1);
            Entry e;
            try {
                e = parseLine(line);
            } catch (IllegalArgumentException ex) {
                throw new ConfException(where + ": " + ex.getMessage() + ": \"" + line + "\"");
            }
            Integer first = idLines.putIfAbsent(e.id(), i + 1);
            if (first != null) {
                throw new ConfException(where + ": duplicate storage ID " + e.id() + " (first on line " + first + ")");
            }
            for (String host : e.hosts()) {
                if (!hostPorts.add(host + "|" + e.port())) {
                    throw new ConfException(where + ": duplicate storage " + host + (e.port() > 0 ? ":" + e.port() : ""));
                }
            }
            withPort += e.port() > 0 ? 1 : 0;
            entries.add(e);
        }
        if (withPort > 0 && withPort != entries.size()) {
            throw new ConfException(source + ": some storages have a port and some do not; give every one host:port");
        }
        // FastDFS keeps them sorted by ID string, which is also the order FETCH_STORAGE_IDS sends.
        entries.sort(Comparator.comparing(Entry::id));
        return new StorageIds(List.copyOf(entries));
    }

    private static Entry parseLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 3) {
            throw new IllegalArgumentException("expected <id> <group> <host>[:<port>] [rw=<mode>]");
        }
        if (f.length > 4) {
            throw new IllegalArgumentException("unexpected text after the rw option");
        }
        RwMode rw = RwMode.BOTH;
        if (f.length == 4) {
            if (!f[3].toLowerCase(Locale.ROOT).startsWith("rw=")) {
                throw new IllegalArgumentException("invalid option " + f[3] + ", expected rw=<mode>");
            }
            rw = RwMode.parse(f[3].substring(3));
        }
        HostPort.Split host = HostPort.split(f[2]);
        return new Entry(Values.serverId(f[0]), Values.groupName(f[1]), host.hosts(),
                host.port() == null ? 0 : HostPort.parsePort(host.port()), rw);
    }

    /** Every storage, sorted by ID string. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Whether any host is an IPv6 address: then the tracker's response IP size in {@code auto} mode is 46. */
    public boolean hasIpv6() {
        return entries.stream().flatMap(e -> e.hosts().stream()).anyMatch(h -> h.contains(":"));
    }

    /** The FETCH_STORAGE_IDS (69) text lines, in ID order. */
    public List<String> toWireLines() {
        return entries.stream().map(Entry::toWireLine).toList();
    }
}
