package io.kfdfs.cli;

import io.kfdfs.cli.bench.BenchCommand;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code fdfs} command: global options, the client they describe, and the subcommands. */
@Command(name = "fdfs", mixinStandardHelpOptions = true, version = "fdfs (kfdfs) 0.1.0",
        description = "Uploads, downloads and manages files in a FastDFS (or kfdfs) cluster.",
        subcommands = {UploadCommand.class, UploadCommand.Appender.class, AppendCommand.class, ModifyCommand.class,
                TruncateCommand.class, DownloadCommand.class, DeleteCommand.class, InfoCommand.class,
                MetaCommand.class, RegenerateCommand.class, MonitorCommand.class, RetireCommand.class,
                MigrateCommand.class},
        footer = {"", "Exit status: 0 on success; the errno a server answered (2 ENOENT, 22 EINVAL,",
                "28 ENOSPC ...); 1 for other failures; 64 for usage errors.",
                "Called as fdfs_upload_file, fdfs_monitor, ... it behaves as that FastDFS tool."})
final class Fdfs {

    /** Read when neither --conf nor --tracker is given. */
    static final Path DEFAULT_CONF = Path.of("/etc/fdfs/client.conf");

    @Option(names = {"-c", "--conf"}, scope = ScopeType.INHERIT, paramLabel = "client.conf",
            description = "FastDFS client.conf (default " + "/etc/fdfs/client.conf" + " when it exists).")
    Path conf;

    @Option(names = {"-t", "--tracker"}, scope = ScopeType.INHERIT, paramLabel = "host:port",
            description = "A tracker (repeatable; port 22122 when absent). Overrides tracker_server of --conf.")
    List<String> trackers;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress bar.")
    boolean quiet;

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    private FdfsClient client;

    private Fdfs(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        Fdfs fdfs = new Fdfs(in, out, err);
        CommandLine cl = new CommandLine(fdfs);
        cl.addSubcommand("bench", new BenchCommand(fdfs::settings, out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        usageExitCode(cl);
        cl.setExecutionExceptionHandler((e, line, parsed) -> Failures.report("fdfs", e, err));
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                fdfs.close();
            }
        });
        return cl;
    }

    /** Every subcommand exits with EX_USAGE on bad input: picocli's default 2 would read as ENOENT. */
    private static void usageExitCode(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(Failures.USAGE);
        cl.getSubcommands().values().forEach(Fdfs::usageExitCode);
    }

    /** The client for the options given, created on first use. */
    FdfsClient client() {
        if (client == null) {
            client = FdfsClient.create(settings());
        }
        return client;
    }

    /** The client settings of the options given: --conf, else client.conf, with the --tracker overrides. */
    ClientSettings settings() {
        Path file = conf != null ? conf : Files.exists(DEFAULT_CONF) ? DEFAULT_CONF : null;
        if (trackers == null || trackers.isEmpty()) {
            if (file == null) {
                throw new IllegalArgumentException("no tracker: give --conf client.conf or --tracker host:port");
            }
            return ClientSettings.load(file);
        }
        ClientSettings base = file == null ? null : ClientSettings.load(file);
        ClientSettings.Builder b = ClientSettings.builder();
        trackers.forEach(b::tracker);
        if (base != null) {
            b.connectTimeout(base.connectTimeout()).networkTimeout(base.networkTimeout())
                    .idleTimeout(base.idleTimeout()).storageIds(base.storageIds())
                    .storageIdsFromTracker(base.storageIdsFromTracker());
        }
        return b.build();
    }

    Progress progress(String label, long total) {
        return Progress.start(label, total, quiet, err);
    }

    /** What a command does with the bytes of a local file, given them and the file's name. */
    interface SourceUse<T> {
        T apply(Content content, String name) throws Exception;
    }

    /** Runs {@code use} on the local file {@code file} ({@code -}: standard input), with a progress bar. */
    <T> T withSource(String file, String label, SourceUse<T> use) throws Exception {
        try (LocalSource source = LocalSource.open(file, in); Progress p = progress(label, source.size())) {
            return use.apply(source.content(p), source.name());
        }
    }

    private void close() {
        if (client != null) {
            client.close();
        }
    }
}
