package io.kfdfs.cli;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Moving a running C FastDFS cluster to kfdfs (docs/migration.md).",
        subcommands = {MigrateCommand.Status.class, MigrateCommand.Drain.class})
final class MigrateCommand {

    @ParentCommand
    Fdfs fdfs;

    @Command(name = "status", description = {"Per group: which members are C, which kfdfs, how far each has "
            + "received its peers' changes, and which C members may be retired (every ACTIVE kfdfs member has "
            + "all their changes, none copies the group from them)."})
    static final class Status implements Callable<Integer> {

        @ParentCommand
        MigrateCommand migrate;

        @Parameters(index = "0", paramLabel = "GROUP", arity = "0..1")
        String group;

        @Override
        public Integer call() {
            Fdfs fdfs = migrate.fdfs;
            FdfsClient client = fdfs.client();
            List<GroupStat> groups = group == null ? client.listGroups() : List.of(client.listGroup(group));
            String syncTimestamps = syncTimestamps(client);
            for (GroupStat g : groups) {
                List<MigrationStatus.Member> members = MigrationStatus.of(client.listStorages(g.group()),
                        System.currentTimeMillis() / 1000, syncTimestamps == null ? MigrationStatus.Received.NONE
                                : MigrationStatus.Received.parse(syncTimestamps, g.group()));
                long c = members.stream().filter(m -> !m.kfdfs()).count();
                fdfs.out.printf("%s: %d C, %d kfdfs%n", g.group(), c, members.size() - c);
                for (MigrationStatus.Member m : members) {
                    fdfs.out.printf("  %-8s %s:%d  %-5s %-9s last change %s  received up to %s%s%n", m.stat().id(),
                            m.stat().ip(), m.stat().storagePort(), m.kfdfs() ? "kfdfs" : "C",
                            StorageStatus.name(m.stat().status()), time(m.lastChange()), time(m.receivedUpTo()),
                            m.retire() == null ? "" : "  retire: " + m.retire());
                }
            }
            return 0;
        }

        /** The tracker's storage_sync_timestamp.dat, or null if it will not send it (the check then falls back). */
        private String syncTimestamps(FdfsClient client) {
            try {
                return client.tracker().syncTimestamps();
            } catch (FdfsException e) {
                migrate.fdfs.err.println("fdfs: the tracker sent no sync timestamps (" + e.getMessage() + "); judging by"
                        + " each member's oldest source instead");
                return null;
            }
        }

        private static String time(long unixSeconds) {
            return unixSeconds == 0 ? "never" : ClassicOutput.datetime(unixSeconds);
        }
    }

    @Command(name = "drain", description = {"Keeps uploads off a member on every tracker (kfdfs trackers only): a C "
            + "storage about to be retired, which cannot make itself read-only. Its files are still read from it. "
            + "Lasts until --undo, its deletion or a tracker's restart (then drain again)."})
    static final class Drain implements Callable<Integer> {

        @ParentCommand
        MigrateCommand migrate;

        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "STORAGE", description = "Its storage ID (its IP in IP mode).")
        String storage;

        @Option(names = "--undo", description = "Let it take uploads again.")
        boolean undo;

        @Override
        public Integer call() {
            Fdfs fdfs = migrate.fdfs;
            TrackerClient trackers = fdfs.client().tracker();
            int failed = 0;
            for (HostPort t : trackers.trackers()) {
                try {
                    trackers.only(t).drain(group, storage, !undo);
                    fdfs.out.printf("%s: %s/%s %s%n", t, group, storage, undo ? "takes uploads again" : "drained");
                } catch (FdfsException e) {
                    failed++;
                    fdfs.err.printf("%s: %s%n", t, e.status() == io.kfdfs.protocol.Status.EINVAL
                            ? "refused (EINVAL): a C tracker has no drain; steer uploads with store_server = 2 there"
                            + " (docs/migration.md)" : e.getMessage());
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
