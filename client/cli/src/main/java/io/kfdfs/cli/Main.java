package io.kfdfs.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of the {@code fdfs} command and of the classic FastDFS tools: {@code bin/fdfs_upload_file}
 * and its siblings are links to {@code bin/fdfs}, which passes the name it was called by as the first
 * argument.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs one command line; returns the exit code (0 on success). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0 && ClassicTools.isTool(args[0])) {
            return ClassicTools.run(args[0], Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        return Fdfs.commandLine(in, out, err).execute(args);
    }
}
