package io.kfdfs.pod;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/** A FastDFS binary-protocol listener: each accepted socket becomes a {@link FrameConnection}. */
public final class FrameServer {

    private final NetServer server;

    private FrameServer(NetServer server) {
        this.server = server;
    }

    public static Future<FrameServer> start(Vertx vertx, String host, int port, FrameHandler handler, PodLimits limits) {
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> new FrameConnection(vertx, socket, handler, limits));
        return server.listen().map(FrameServer::new);
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }
}
