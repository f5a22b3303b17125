package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "append", description = "Appends a local file (- for standard input) to an appender file.")
final class AppendCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(index = "0", paramLabel = "FILE_ID")
    String fileId;

    @Parameters(index = "1", paramLabel = "FILE")
    String file;

    @Override
    public Integer call() throws Exception {
        return fdfs.withSource(file, "append", (content, name) -> {
            fdfs.client().append(fileId, content);
            return 0;
        });
    }
}
