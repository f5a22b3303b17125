package io.kfdfs.storage.report;

import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.storage.http.SourceLocator;
import io.vertx.core.net.SocketAddress;

import java.util.Optional;

/**
 * The source of a file of this storage's group, found in the member list the trackers last reported: the
 * member whose storage ID, or in IP mode whose IPv4 address, the file name carries (docs/protocol.md §7.2).
 */
public final class MemberLocator implements SourceLocator {

    private final Reporter reporter;

    public MemberLocator(Reporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public Optional<SocketAddress> locate(FileId id, FileInfo info) {
        if (!id.group().equals(reporter.identity.group())
                || System.currentTimeMillis() / 1000 - info.createTime() > reporter.syncFileMaxDelay()) {
            return Optional.empty();
        }
        for (StorageBrief member : reporter.group()) {
            boolean source = info.serverId() != 0 ? member.id().equals(Integer.toString(info.serverId()))
                    : member.ip().equals(info.sourceIp());
            if (source && !reporter.isMe(member) && member.status() != StorageStatus.DELETED
                    && member.status() != StorageStatus.IP_CHANGED) {
                return Optional.of(SocketAddress.inetSocketAddress(member.port(), member.ip()));
            }
        }
        return Optional.empty();
    }
}
