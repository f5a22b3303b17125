package io.kfdfs.cli;

import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "info", description = "Prints what is known of a file, as fdfs_file_info does.")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    Fdfs fdfs;

    @Option(names = {"-n", "--no-crc"}, description = "Do not let the storage compute the CRC-32 of appender and slave files.")
    boolean noCrc;

    @Parameters(paramLabel = "FILE_ID")
    String fileId;

    @Override
    public Integer call() {
        int flags = noCrc ? QueryFileInfoResponse.FLAG_NOT_CALC_CRC32 : 0;
        ClassicOutput.fileInfo(fdfs.client().fileInfo(fileId, flags), flags, fdfs.out);
        return 0;
    }
}
