package io.kfdfs.conf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Host name to addresses, blocking. The pods resolve the names of their configuration (a tracker
 * Service, storage pods in storage_ids.conf) through this rather than through Vert.x, whose resolver
 * keeps one address of a name from a hosts file and ignores {@code -Djdk.net.hosts.file}; tests give
 * their own instead of DNS.
 */
@FunctionalInterface
public interface NameResolver {

    /** The JDK's resolver: DNS and /etc/hosts, or the file {@code -Djdk.net.hosts.file} names. */
    NameResolver JDK = host -> Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).toList();

    /** Every address of {@code host}, as IP text, at least one; blocks, so callers resolve off an event loop. */
    List<String> resolve(String host) throws UnknownHostException;
}
