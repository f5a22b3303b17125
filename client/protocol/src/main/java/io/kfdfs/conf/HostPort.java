package io.kfdfs.conf;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code host:port} value such as {@code tracker_server}. {@code hosts} holds one host, or two for a
 * FastDFS dual address ({@code inner,outer:port}, {@code [v6a,v6b]:port}); {@link #host()} is the first.
 * Hosts are kept as written (IP or DNS name): resolving is the caller's business, so a name that resolves
 * later (a Kubernetes pod not yet ready) does not stop a config from loading.
 */
public record HostPort(List<String> hosts, int port) {

    public HostPort {
        hosts = checkHosts(hosts);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1..65535");
        }
    }

    public HostPort(String host, int port) {
        this(List.of(host), port);
    }

    public String host() {
        return hosts.get(0);
    }

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** Whether {@code host} is written as a dotted IPv4 address (not a name, not IPv6). */
    public static boolean isIpv4Literal(String host) {
        return IPV4.matcher(host).matches();
    }

    /**
     * Parses {@code host[:port]}, {@code a,b[:port]}, {@code [v6][:port]} or {@code [v6a,v6b][:port]};
     * {@code defaultPort} applies when no port is written (FastDFS does the same for tracker_server).
     *
     * @throws IllegalArgumentException with the reason
     */
    public static HostPort parse(String text, int defaultPort) {
        Split split = split(text);
        return new HostPort(split.hosts(), split.port() == null ? defaultPort : parsePort(split.port()));
    }

    /** The hosts and the port text (null when absent) of {@code host[:port]} in any of its forms. */
    record Split(List<String> hosts, String port) {
    }

    static Split split(String text) {
        String s = text.trim();
        String hostPart;
        String portPart;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after IPv6 address");
            }
            hostPart = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("expected ':port' after ']'");
            }
            portPart = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets: [addr]:port");
            }
            hostPart = colon < 0 ? s : s.substring(0, colon);
            portPart = colon < 0 ? null : s.substring(colon + 1);
        }
        return new Split(checkHosts(List.of(hostPart.split(",", -1)).stream().map(String::trim).toList()), portPart);
    }

    private static List<String> checkHosts(List<String> hosts) {
        if (hosts.isEmpty() || hosts.size() > 2) {
            throw new IllegalArgumentException("expected one host or two (inner,outer)");
        }
        for (String h : hosts) {
            if (h.isEmpty() || h.chars().anyMatch(c -> Character.isWhitespace(c) || c == '[' || c == ']')) {
                throw new IllegalArgumentException("invalid host \"" + h + "\"");
            }
        }
        return List.copyOf(hosts);
    }

    static int parsePort(String s) {
        if (!s.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("invalid port \"" + s + "\"");
        }
        int port = Integer.parseInt(s);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1..65535");
        }
        return port;
    }

    /** The FastDFS notation, which {@link #parse} reads back. */
    @Override
    public String toString() {
        String joined = String.join(",", hosts);
        return (joined.contains(":") ? "[" + joined + "]" : joined) + ":" + port;
    }
}
