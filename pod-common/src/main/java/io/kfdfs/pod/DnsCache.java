package io.kfdfs.pod;

import java.security.Security;

/**
 * How long the JVM keeps a DNS answer. The pods resolve names with the JDK: a storage its trackers'
 * Service every {@code tracker_resolve_interval}, a tracker the storage pods of storage_ids.conf. The JDK
 * keeps a successful answer 30 s by default, so a tracker pod that came or went, or a storage pod that
 * moved, would be seen that much later.
 */
public final class DnsCache {

    private static final String TTL = "networkaddress.cache.ttl";

    private DnsCache() {
    }

    /**
     * Keeps successful answers {@code seconds} at most, unless the user chose otherwise (the security
     * property {@code networkaddress.cache.ttl} or {@code -Dsun.net.inetaddr.ttl}). Call it first thing in
     * {@code main}: the JDK reads the setting once, at its first lookup.
     */
    public static void limit(int seconds) {
        if (Security.getProperty(TTL) == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty(TTL, Integer.toString(seconds));
        }
    }
}
