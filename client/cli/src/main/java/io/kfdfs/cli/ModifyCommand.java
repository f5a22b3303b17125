package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "modify", description = "Overwrites an appender file from OFFSET with a local file (- for standard input).")
final class ModifyCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(index = "0", paramLabel = "FILE_ID")
    String fileId;

    @Parameters(index = "1", paramLabel = "OFFSET", description = "At most the file's size.")
    long offset;

    @Parameters(index = "2", paramLabel = "FILE")
    String file;

    @Override
    public Integer call() throws Exception {
        return fdfs.withSource(file, "modify", (content, name) -> {
            fdfs.client().modify(fileId, offset, content);
            return 0;
        });
    }
}
