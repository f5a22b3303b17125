package io.kfdfs.cli;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.tracker.GroupStat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classic FastDFS tools with their C argument order and output, over the same client as
 * {@code fdfs}. Unlike the C tools they exit non-zero on failure, with a one-line message on stderr.
 */
final class ClassicTools {

    private static final Map<String, String> USAGE = Map.of(
            "fdfs_upload_file", "<config_file> <local_filename> [storage_ip:port] [store_path_index]",
            "fdfs_upload_appender", "<config_file> <local_filename>",
            "fdfs_download_file", "<config_file> <file_id> [local_filename] [<download_offset> <download_bytes>]",
            "fdfs_delete_file", "<config_file> <file_id>",
            "fdfs_file_info", "[-n] [-s] <config_file> <file_id>",
            "fdfs_append_file", "<config_file> <appender_file_id> <local_filename>",
            "fdfs_regenerate_filename", "<config_file> <appender_file_id>",
            "fdfs_monitor", "<config_file> [-h <tracker_server>] [list [<group_name> [storage_id]]]");

    private static final Set<String> NAMES = USAGE.keySet();

    private ClassicTools() {
    }

    static boolean isTool(String name) {
        return NAMES.contains(name);
    }

    static int run(String tool, String[] argv, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(List.of(argv));
        int flags = tool.equals("fdfs_file_info") ? fileInfoFlags(args) : 0;
        int needed = switch (tool) {
            case "fdfs_monitor" -> 1;
            case "fdfs_append_file" -> 3;
            default -> 2;
        };
        if (args.size() < needed) {
            err.println("Usage: " + tool + " " + USAGE.get(tool));
            return Failures.USAGE;
        }
        try (FdfsClient client = FdfsClient.fromConf(Path.of(args.get(0)))) {
            run(tool, client, args, flags, out);
            return 0;
        } catch (Exception e) {
            return Failures.report(tool, e, err);
        }
    }

    /** Removes fdfs_file_info's leading -n (do not compute CRC-32) and -s (keep the server silent). */
    private static int fileInfoFlags(List<String> args) {
        int flags = 0;
        while (!args.isEmpty() && (args.get(0).equals("-n") || args.get(0).equals("-s"))) {
            flags |= args.remove(0).equals("-n") ? QueryFileInfoResponse.FLAG_NOT_CALC_CRC32
                    : QueryFileInfoResponse.FLAG_KEEP_SILENCE;
        }
        return flags;
    }

    private static void run(String tool, FdfsClient client, List<String> a, int flags, PrintStream out)
            throws Exception {
        switch (tool) {
            case "fdfs_upload_file" -> out.println(upload(client, a));
            case "fdfs_upload_appender" -> {
                Path file = Path.of(a.get(1));
                out.println(client.uploadAppender(null, Content.of(file),
                        FdfsClient.extensionOf(file.getFileName().toString()), Map.of()));
            }
            case "fdfs_download_file" -> {
                String id = a.get(1);
                Path target = Path.of(a.size() > 2 ? a.get(2) : id.substring(id.lastIndexOf('/') + 1));
                long offset = a.size() > 4 ? Long.parseLong(a.get(3)) : 0;
                long length = a.size() > 4 ? Long.parseLong(a.get(4)) : 0;
                client.download(id, offset, length, target);
            }
            case "fdfs_delete_file" -> client.delete(a.get(1));
            case "fdfs_file_info" -> ClassicOutput.fileInfo(client.fileInfo(a.get(1), flags), flags, out);
            case "fdfs_append_file" -> client.append(a.get(1), Content.of(Path.of(a.get(2))));
            case "fdfs_regenerate_filename" -> out.println(client.regenerateAppenderFilename(a.get(1)));
            case "fdfs_monitor" -> monitor(client, a.subList(1, a.size()), out);
            default -> throw new IllegalStateException(tool);
        }
    }

    /** With a storage address the tracker is not asked and the storage chooses the store path (0xFF). */
    private static String upload(FdfsClient client, List<String> a) throws Exception {
        Path file = Path.of(a.get(1));
        String ext = FdfsClient.extensionOf(file.getFileName().toString());
        if (a.size() < 3) {
            return client.upload(Content.of(file), ext);
        }
        HostPort storage = HostPort.parse(a.get(2), StorageConfig.DEFAULT_PORT);
        int storePath = a.size() > 3 ? Integer.parseInt(a.get(3)) : -1;
        return client.storage().upload(storage, storePath, ext, Content.of(file));
    }

    /** {@code [-h tracker] [list [group [storage_id]]]}; like C, the storage ID does not filter the list. */
    private static void monitor(FdfsClient client, List<String> a, PrintStream out) {
        List<String> args = new ArrayList<>(a);
        String only = null;
        if (!args.isEmpty() && args.get(0).startsWith("-h")) {
            String h = args.remove(0);
            only = h.length() > 2 ? h.substring(2) : args.isEmpty() ? null : args.remove(0);
            if (only == null) {
                throw new IllegalArgumentException("-h needs a tracker server");
            }
        }
        String op = args.isEmpty() ? "list" : args.remove(0);
        if (!op.equals("list")) {
            throw new IllegalArgumentException("unsupported command " + op + ": only list (use fdfs monitor)");
        }
        String group = args.isEmpty() ? null : args.get(0);
        List<HostPort> trackers = client.tracker().trackers();
        if (only != null) {
            HostPort wanted = HostPort.parse(only, trackers.get(0).port());
            if (!trackers.contains(wanted)) {
                throw new IllegalArgumentException("tracker server: " + only + " not exists!");
            }
            trackers = List.of(wanted);
        }
        FdfsException last = null;
        for (HostPort t : trackers) {
            TrackerClient one = client.tracker().only(t);
            List<GroupStat> groups;
            try {
                groups = one.listGroups();
            } catch (FdfsException e) {
                last = e;
                continue;
            }
            ClassicOutput.monitor(client.tracker().trackers().size(), client.tracker().trackers().indexOf(t),
                    t.toString(), groups, g -> one.listStorages(g, null), group, out);
            return;
        }
        throw last;
    }

}
