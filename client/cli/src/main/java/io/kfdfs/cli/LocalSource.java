package io.kfdfs.cli;

import io.kfdfs.client.Content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local bytes of an upload, append or modify: a file, or standard input for {@code -}. FastDFS sends
 * the length before the content, so standard input is first copied to a temporary file.
 */
final class LocalSource implements AutoCloseable {

    private final Path path;
    private final boolean temporary;
    private final String name;

    private LocalSource(Path path, boolean temporary, String name) {
        this.path = path;
        this.temporary = temporary;
        this.name = name;
    }

    static LocalSource open(String arg, InputStream stdin) throws IOException {
        if (!arg.equals("-")) {
            Path p = Path.of(arg);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(arg);
            }
            return new LocalSource(p, false, p.getFileName().toString());
        }
        Path tmp = Files.createTempFile("fdfs-stdin", ".tmp");
        try {
            Files.copy(stdin, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new LocalSource(tmp, true, "");
    }

    /** The file name as given ("" for standard input), for the default extension. */
    String name() {
        return name;
    }

    long size() throws IOException {
        return Files.size(path);
    }

    /** The bytes, counted by {@code progress} as they are read. */
    Content content(Progress progress) throws IOException {
        long size = size();
        return new Content() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return progress.wrap(Files.newInputStream(path));
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }
}
