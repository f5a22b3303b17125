package io.kfdfs.storage;

import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.http.PodHttpServer;
import io.kfdfs.pod.http.PodMetrics;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.http.FileGateway;
import io.kfdfs.storage.http.GatewayConfig;
import io.kfdfs.storage.http.StorageSourceFetcher;
import io.kfdfs.storage.http.StoreFiles;
import io.kfdfs.storage.report.MemberLocator;
import io.kfdfs.storage.report.Reporter;
import io.vertx.core.Future;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The storage's HTTP port ({@code http_port}): {@code /healthz}, {@code /readyz}, {@code /metrics}, and
 * every other path to the file gateway, which streams a file it does not hold yet from the member of the
 * group that has it.
 */
final class StorageHttp {

    private StorageHttp() {
    }

    static Future<PodHttpServer> start(StorageContext ctx, Reporter reporter, PodMetrics metrics, PodLimits limits,
                                       GatewayConfig config, String host, int port) {
        StoreFiles files = new StoreFiles() {
            @Override
            public String groupName() {
                return ctx.identity.group();
            }

            @Override
            public Optional<Path> resolve(RemoteFilename remote) {
                try {
                    return Optional.of(ctx.store.dataFile(remote));
                } catch (ProtocolException e) {
                    return Optional.empty();
                }
            }
        };
        FileGateway gateway = new FileGateway(ctx.vertx, config, files,
                new StorageSourceFetcher(ctx.vertx, new MemberLocator(reporter), limits));
        return PodHttpServer.start(ctx.vertx, host, port, metrics, new StorageReadiness(ctx.vertx, reporter, ctx.store),
                gateway::mount);
    }
}
