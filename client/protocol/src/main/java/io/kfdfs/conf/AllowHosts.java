package io.kfdfs.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allow_hosts} of tracker.conf and storage.conf: which client addresses may connect. As in
 * FastDFS, each value is {@code *} (everyone), an IPv4 address, a CIDR block ({@code 192.168.5.64/26}),
 * a range in brackets ({@code 10.0.1.[1-15,20]}, {@code host[01-08,20-25].domain.com}) or a host name,
 * resolved once when the configuration is read. A name that does not resolve admits nobody (and is
 * reported); an entry that cannot be read is a configuration error.
 */
public final class AllowHosts {

    /** Everyone: {@code allow_hosts = *}, FastDFS's default. */
    public static final AllowHosts ANY = new AllowHosts(true, List.of(), List.of());

    /** An IPv4 block: {@code address & mask == network}. */
    private record Block(int network, int mask) {
        boolean contains(int address) {
            return (address & mask) == network;
        }
    }

    private final boolean any;
    private final List<Block> blocks;
    private final List<String> unresolved;

    private AllowHosts(boolean any, List<Block> blocks, List<String> unresolved) {
        this.any = any;
        this.blocks = List.copyOf(blocks);
        this.unresolved = List.copyOf(unresolved);
    }

    /** Reads the values of every {@code allow_hosts} line; none at all means everyone. */
    public static AllowHosts parse(List<String> values) {
        if (values.isEmpty()) {
            return ANY;
        }
        List<Block> blocks = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (String raw : values) {
            String value = raw.trim();
            if (value.equals("*") || value.equals("*.*.*.*")) {
                return ANY;
            }
            if (value.isEmpty()) {
                throw new ConfException("allow_hosts: empty value");
            }
            int slash = value.indexOf('/');
            if (slash >= 0) {
                blocks.add(cidr(value, slash));
                continue;
            }
            for (String host : expand(value)) {
                Integer ip = ipv4(host);
                if (ip != null) {
                    blocks.add(new Block(ip, -1));
                    continue;
                }
                try {
                    for (InetAddress a : InetAddress.getAllByName(host)) {
                        if (a instanceof Inet4Address) {
                            blocks.add(new Block(toInt(a), -1));
                        }
                    }
                } catch (UnknownHostException e) {
                    unresolved.add(host);
                }
            }
        }
        return new AllowHosts(false, blocks, unresolved);
    }

    public boolean allowsAll() {
        return any;
    }

    /** Names that did not resolve when the configuration was read (they admit nobody). */
    public List<String> unresolved() {
        return unresolved;
    }

    /** Whether a client connecting from {@code address} may be served. IPv6 clients only when all are. */
    public boolean allows(InetAddress address) {
        if (any) {
            return true;
        }
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        int ip = toInt(address);
        for (Block b : blocks) {
            if (b.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static Block cidr(String value, int slash) {
        Integer ip = ipv4(value.substring(0, slash));
        int bits;
        try {
            bits = Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (ip == null || bits < 0 || bits > 32) {
            throw new ConfException("allow_hosts: bad CIDR block '" + value + "' (expected like 192.168.5.64/26)");
        }
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return new Block(ip & mask, mask);
    }

    /**
     * {@code host[01-03,7].example.com} -> host01.example.com, host02..., host07...: one bracket, numbers
     * and ranges separated by commas, the width of a range's first number kept (leading zeros).
     */
    static List<String> expand(String value) {
        int open = value.indexOf('[');
        if (open < 0) {
            if (value.indexOf(']') >= 0) {
                throw new ConfException("allow_hosts: ']' without '[' in '" + value + "'");
            }
            return List.of(value);
        }
        int close = value.indexOf(']', open);
        if (close < 0 || value.indexOf('[', open + 1) >= 0 || value.indexOf(']', close + 1) >= 0) {
            throw new ConfException("allow_hosts: one [range] expected in '" + value + "'");
        }
        String head = value.substring(0, open);
        String tail = value.substring(close + 1);
        List<String> hosts = new ArrayList<>();
        for (String part : value.substring(open + 1, close).split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            String from = dash < 0 ? p : p.substring(0, dash).trim();
            String to = dash < 0 ? p : p.substring(dash + 1).trim();
            int start;
            int end;
            try {
                start = Integer.parseInt(from);
                end = Integer.parseInt(to);
            } catch (NumberFormatException e) {
                throw new ConfException("allow_hosts: bad range '" + p + "' in '" + value + "'");
            }
            if (start < 0 || end < start || end - start > 65535) {
                throw new ConfException("allow_hosts: bad range '" + p + "' in '" + value + "'");
            }
            for (int n = start; n <= end; n++) {
                String digits = Integer.toString(n);
                hosts.add(head + "0".repeat(Math.max(0, from.length() - digits.length())) + digits + tail);
            }
        }
        return hosts;
    }

    /** A dotted IPv4 address as an int, or null if {@code text} is not one. */
    private static Integer ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return null;
            }
            ip = ip << 8 | octet;
        }
        return ip;
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    @Override
    public String toString() {
        return any ? "*" : blocks.size() + " address block(s)";
    }
}
