package io.kfdfs.pod;

import io.kfdfs.conf.AllowHosts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A FastDFS binary-protocol listener: each accepted socket becomes a {@link FrameConnection}, unless
 * {@code allow_hosts} leaves its address out: then it is closed at once, as C FastDFS does.
 */
public final class FrameServer {

    private static final System.Logger LOG = System.getLogger(FrameServer.class.getName());

    private final NetServer server;

    private FrameServer(NetServer server) {
        this.server = server;
    }

    /** A listener that serves every address. */
    public static Future<FrameServer> start(Vertx vertx, String host, int port, FrameHandler handler, PodLimits limits) {
        return start(vertx, host, port, handler, limits, AllowHosts.ANY);
    }

    public static Future<FrameServer> start(Vertx vertx, String host, int port, FrameHandler handler, PodLimits limits,
                                            AllowHosts allow) {
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        if (!allow.unresolved().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "allow_hosts: " + allow.unresolved()
                    + " did not resolve; they are not allowed");
        }
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            if (allow.allowsAll() || allowed(allow, socket)) {
                new FrameConnection(vertx, socket, handler, limits);
            } else {
                LOG.log(System.Logger.Level.WARNING, "refused a connection from " + socket.remoteAddress().host()
                        + ": not in allow_hosts");
                socket.close();
            }
        });
        return server.listen().map(FrameServer::new);
    }

    private static boolean allowed(AllowHosts allow, NetSocket socket) {
        try {
            // the remote host is a literal address: no name lookup happens here
            return allow.allows(InetAddress.getByName(socket.remoteAddress().hostAddress()));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }
}
