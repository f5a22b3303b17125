package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "delete", description = "Deletes files with their metadata.")
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(paramLabel = "FILE_ID", arity = "1..*")
    List<String> fileIds;

    /** Deletes every file it can; exits with the code of the last failure, if any. */
    @Override
    public Integer call() {
        int code = 0;
        for (String id : fileIds) {
            try {
                fdfs.client().delete(id);
            } catch (RuntimeException e) {
                code = Failures.report("fdfs", e, fdfs.err);
            }
        }
        return code;
    }
}
