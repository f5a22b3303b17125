package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Connections per server address, reused across requests. At most
 * {@link ClientSettings#maxConnectionsPerServer()} are in use per address at once (further callers wait
 * up to {@link ClientSettings#maxWait()}); a connection idle longer than
 * {@link ClientSettings#idleTimeout()} or closed by its server while idle (a restart) is closed, one idle longer than
 * {@link ClientSettings#testAfterIdle()} is checked with ACTIVE_TEST before use, and one whose exchange
 * did not end cleanly (network error, unread reply) is closed instead of being returned.
 */
final class ConnectionPool implements AutoCloseable {

    /** One request/reply exchange on a borrowed connection. */
    interface Exchange<T> {
        T run(Connection c) throws IOException, ProtocolException;
    }

    private static final class Slot {
        final Semaphore inUse;
        final Deque<Connection> idle = new ArrayDeque<>();

        Slot(int max) {
            inUse = new Semaphore(max, true);
        }
    }

    private final ClientSettings settings;
    private final Map<HostPort, Slot> slots = new ConcurrentHashMap<>();
    private final TimeoutWatchdog watchdog;
    private volatile boolean closed;

    ConnectionPool(ClientSettings settings) {
        this.settings = settings;
        this.watchdog = new TimeoutWatchdog(settings.networkTimeout().toMillis());
    }

    /**
     * Runs {@code exchange} on a connection to {@code address}. A status reply is thrown as the typed
     * {@link FdfsException} and the connection is kept; network failures and bad replies become a
     * {@link ConnectionException} and the connection is closed. An {@code idempotent} exchange that fails
     * on a reused connection before any reply byte (the server closed it while it sat idle) is repeated
     * once on a new connection.
     *
     * @param role "tracker" or "storage", for messages
     */
    <T> T execute(HostPort address, String role, boolean idempotent, Exchange<T> exchange) {
        Slot slot = slots.computeIfAbsent(address, a -> new Slot(settings.maxConnectionsPerServer()));
        for (int attempt = 0; ; attempt++) {
            Connection c = borrow(slot, address, role, idempotent);
            try {
                c.begin();
                return exchange.run(c);
            } catch (IOException e) {
                c.markBroken();
                if (attempt == 0 && idempotent && c.reused() && !c.replied()) {
                    // the server closed it while idle (a restart?): its idle siblings are stale too
                    discardIdle(slot);
                    continue;
                }
                throw failure(role, c.remote(), c.sent(), e);
            } catch (ProtocolException e) {
                c.markBroken();
                throw new ConnectionException(Status.EIO, c.remote(), role + " " + c.remote()
                        + " sent a reply that is not FastDFS: " + e.getMessage(), true, e);
            } finally {
                release(slot, c);
            }
        }
    }

    /**
     * An idle connection, or a new one. Looking whether the server closed an idle connection costs five
     * system calls (more than the exchange's own two), so it is done only for requests that cannot be
     * repeated: an idempotent one that finds its connection closed is repeated on a new one instead.
     */
    private Connection borrow(Slot slot, HostPort address, String role, boolean idempotent) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        acquire(slot, address, role);
        try {
            long now = System.nanoTime();
            Connection c;
            while ((c = pollIdle(slot)) != null) {
                long idle = now - c.idleSince();
                boolean usable = idle <= settings.idleTimeout().toNanos()
                        && (idempotent || !c.closedWhileIdle())
                        && (idle <= settings.testAfterIdle().toNanos() || c.activeTest());
                if (usable) {
                    return c;
                }
                c.close();
            }
            try {
                return Connection.open(address, (int) settings.connectTimeout().toMillis(),
                        (int) settings.networkTimeout().toMillis(), watchdog);
            } catch (IOException e) {
                throw failure(role, address.toString(), false, e);
            }
        } catch (RuntimeException e) {
            slot.inUse.release();
            throw e;
        }
    }

    private void acquire(Slot slot, HostPort address, String role) {
        try {
            if (!slot.inUse.tryAcquire(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ConnectionException(Status.ETIMEDOUT, address.toString(), "no free connection to "
                        + role + " " + address + " within " + settings.maxWait().toMillis() + " ms ("
                        + settings.maxConnectionsPerServer() + " in use)", false, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(Status.EINTR, address.toString(), "interrupted waiting for a connection to "
                    + role + " " + address, false, e);
        }
    }

    private Connection pollIdle(Slot slot) {
        synchronized (slot.idle) {
            return slot.idle.pollFirst();
        }
    }

    private void release(Slot slot, Connection c) {
        try {
            boolean kept = false;
            synchronized (slot.idle) {
                if (!closed && c.reusable()) {
                    slot.idle.addFirst(c);
                    kept = true;
                }
            }
            if (!kept) {
                c.close();
            }
        } finally {
            slot.inUse.release();
        }
    }

    private void discardIdle(Slot slot) {
        List<Connection> stale;
        synchronized (slot.idle) {
            stale = new ArrayList<>(slot.idle);
            slot.idle.clear();
        }
        stale.forEach(Connection::close);
    }

    private static ConnectionException failure(String role, String server, boolean sent, IOException e) {
        int status = e instanceof ConnectException ? Status.ECONNREFUSED
                : e instanceof SocketTimeoutException ? Status.ETIMEDOUT : Status.EIO;
        String why = e instanceof UnknownHostException ? "unknown host " + e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String what = sent ? "connection to " + role + " " + server + " failed: " : "cannot connect to " + role
                + " " + server + ": ";
        return new ConnectionException(status, server, what + why, sent, e);
    }

    /** Idle connections per address, for tests and diagnostics. */
    int idleCount(HostPort address) {
        Slot slot = slots.get(address);
        if (slot == null) {
            return 0;
        }
        synchronized (slot.idle) {
            return slot.idle.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        slots.values().forEach(this::discardIdle);
        watchdog.close();
    }
}
