package io.kfdfs.cli;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FileSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "download", description = "Downloads a file to TARGET (default: its name in the current directory; - for standard output).")
final class DownloadCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Option(names = {"-o", "--offset"}, description = "First byte to download (default 0).")
    long offset;

    @Option(names = {"-l", "--length"}, description = "Bytes to download (default 0: to the end).")
    long length;

    @Parameters(index = "0", paramLabel = "FILE_ID")
    String fileId;

    @Parameters(index = "1", paramLabel = "TARGET", arity = "0..1")
    String target;

    @Override
    public Integer call() throws Exception {
        FdfsClient client = fdfs.client();
        try (Progress progress = fdfs.progress("download", expectedSize(client))) {
            if ("-".equals(target)) {
                OutputStream out = progress.wrap(fdfs.out);
                client.download(fileId, offset, length, out);
                out.flush();
                return 0;
            }
            FileSink file = new FileSink(Path.of(target != null ? target
                    : fileId.substring(fileId.lastIndexOf('/') + 1)));
            try {
                client.download(fileId, offset, length, progress.counting(file));
                file.finish();
            } catch (Exception e) {
                file.abandon();
                throw e;
            }
        }
        return 0;
    }

    /** The bytes to expect, for the progress bar; asked only when a bar could be drawn at all. */
    private long expectedSize(FdfsClient client) {
        if (length > 0) {
            return length;
        }
        if (fdfs.quiet || System.console() == null) {
            return 0;
        }
        return Math.max(0, client.fileInfo(fileId).info().size() - offset);
    }
}
