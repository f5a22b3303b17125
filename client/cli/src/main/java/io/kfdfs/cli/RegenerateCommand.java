package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "regenerate", description = "Turns an appender file into a normal file and prints its new file ID.")
final class RegenerateCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(paramLabel = "FILE_ID")
    String fileId;

    @Override
    public Integer call() {
        fdfs.out.println(fdfs.client().regenerateAppenderFilename(fileId));
        return 0;
    }
}
