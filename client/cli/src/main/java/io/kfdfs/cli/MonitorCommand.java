package io.kfdfs.cli;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "monitor", description = "Lists groups and their storages: state, space, read/write mode (fdfs_monitor gives every counter).")
final class MonitorCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(index = "0", paramLabel = "GROUP", arity = "0..1")
    String group;

    @Parameters(index = "1", paramLabel = "STORAGE_ID", arity = "0..1")
    String storageId;

    @Override
    public Integer call() {
        FdfsClient client = fdfs.client();
        List<GroupStat> groups = group == null ? client.listGroups() : List.of(client.listGroup(group));
        for (GroupStat g : groups) {
            fdfs.out.printf("%s: %d storage%s (%d readable, %d writable), space %s total, %s free, %s reserved%n",
                    g.group(), g.storageCount(), g.storageCount() == 1 ? "" : "s", g.readableServerCount(),
                    g.writableServerCount(),
                    ClassicOutput.size(g.totalMb()).trim(), ClassicOutput.size(g.freeMb()).trim(),
                    ClassicOutput.size(g.reservedMb()).trim());
            for (StorageStat s : client.tracker().listStorages(g.group(), storageId)) {
                fdfs.out.printf("  %-8s %s:%d  %-9s rw=%s  free %s of %s  version %s  heartbeat %s%n", s.id(), s.ip(),
                        s.storagePort(), StorageStatus.name(s.status()), ClassicOutput.rwMode(s.rwMode()),
                        ClassicOutput.size(s.freeMb()).trim(), ClassicOutput.size(s.totalMb()).trim(), s.version(),
                        ClassicOutput.datetime(s.stat().get(StatBlock.Counter.LAST_HEART_BEAT_TIME)));
            }
        }
        return 0;
    }
}
