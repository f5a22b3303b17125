package io.kfdfs.cli;

import io.kfdfs.client.FdfsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "upload", description = "Uploads a file (- for standard input) and prints its file ID.")
class UploadCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Option(names = {"-g", "--group"}, description = "Group to upload to (default: the tracker chooses).")
    String group;

    @Option(names = {"-e", "--ext"}, description = "Extension without the dot (default: from the file name).")
    String ext;

    @Option(names = {"-m", "--meta"}, paramLabel = "name=value", description = "Metadata item (repeatable).")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Parameters(paramLabel = "FILE", description = "The file, or - for standard input.")
    String file;

    boolean appender() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        FdfsClient client = fdfs.client();
        String id = fdfs.withSource(file, "upload", (content, name) -> {
            String extension = ext != null ? ext : FdfsClient.extensionOf(name);
            return appender() ? client.uploadAppender(group, content, extension, metadata)
                    : client.upload(group, content, extension, metadata);
        });
        fdfs.out.println(id);
        return 0;
    }

    @Command(name = "upload-appender",
            description = "Uploads an appender file (one that append, modify and truncate can change).")
    static final class Appender extends UploadCommand {
        @Override
        boolean appender() {
            return true;
        }
    }
}
