package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "truncate", description = "Cuts an appender file to SIZE bytes, or extends it with zeros.")
final class TruncateCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(index = "0", paramLabel = "FILE_ID")
    String fileId;

    @Parameters(index = "1", paramLabel = "SIZE", defaultValue = "0", description = "New size (default 0).")
    long size;

    @Override
    public Integer call() {
        fdfs.client().truncate(fileId, size);
        return 0;
    }
}
