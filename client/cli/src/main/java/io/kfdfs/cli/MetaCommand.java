package io.kfdfs.cli;

import io.kfdfs.client.MetadataMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "meta", description = "Reads or sets a file's metadata.",
        subcommands = {MetaCommand.Get.class, MetaCommand.Set.class})
final class MetaCommand {

    @ParentCommand
    Fdfs fdfs;

    @Command(name = "get", description = "Prints name=value lines, sorted by name.")
    static final class Get implements Callable<Integer> {

        @ParentCommand
        MetaCommand meta;

        @Parameters(paramLabel = "FILE_ID")
        String fileId;

        @Override
        public Integer call() {
            meta.fdfs.client().getMetadata(fileId).forEach((k, v) -> meta.fdfs.out.println(k + "=" + v));
            return 0;
        }
    }

    @Command(name = "set", description = "Replaces the metadata (or merges into it with --merge); no items and no --merge deletes it.")
    static final class Set implements Callable<Integer> {

        @ParentCommand
        MetaCommand meta;

        @Option(names = "--merge", description = "Keep existing items, replacing those named here.")
        boolean merge;

        @Parameters(index = "0", paramLabel = "FILE_ID")
        String fileId;

        @Parameters(index = "1..*", paramLabel = "name=value")
        Map<String, String> items = new LinkedHashMap<>();

        @Override
        public Integer call() {
            meta.fdfs.client().setMetadata(fileId, items, merge ? MetadataMode.MERGE : MetadataMode.OVERWRITE);
            return 0;
        }
    }
}
