package io.kfdfs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "retire", description = {"Takes a kfdfs storage out of its group without losing a file: it turns "
        + "read-only, waits until every other member has all its changes, stops, and is deleted on every tracker.",
        "Refused (exit 16, EBUSY) with the reasons while a member lacks some of its changes; it then takes "
                + "uploads again."})
final class RetireCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Parameters(index = "0", paramLabel = "STORAGE_ID", description = "The storage ID (its IP without storage IDs).")
    String storageId;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the other members to catch up (default ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Override
    public Integer call() {
        fdfs.client().retire(storageId, Duration.ofSeconds(waitSeconds));
        fdfs.out.println("storage " + storageId + " retired: every other member has its files; no tracker lists it");
        return 0;
    }
}
