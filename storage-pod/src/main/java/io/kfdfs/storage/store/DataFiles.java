package io.kfdfs.storage.store;

import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** Looking up and deleting data files. Blocking. */
public final class DataFiles {

    /** What stat says about a data file (a slave link: the target's size, the link's time). */
    public record Stat(Path path, long size, long mtime) {
    }

    private final Store store;
    private final Binlog binlog;

    public DataFiles(Store store, Binlog binlog) {
        this.store = store;
        this.binlog = binlog;
    }

    /** ENOENT if the file is missing, EISDIR if it is not a regular file. */
    public Stat stat(RemoteFilename name) throws ProtocolException, IOException {
        Path path = store.dataFile(name);
        BasicFileAttributes target;
        BasicFileAttributes self;
        try {
            self = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // only a slave link needs a second look, at what it points to
            target = self.isSymbolicLink() ? Files.readAttributes(path, BasicFileAttributes.class) : self;
        } catch (NoSuchFileException e) {
            throw new ProtocolException(Status.ENOENT, "no such file " + name);
        }
        if (!target.isRegularFile()) {
            throw new ProtocolException(Status.EISDIR, name + " is not a regular file");
        }
        return new Stat(path, target.size(), self.lastModifiedTime().toMillis() / 1000);
    }

    /**
     * DELETE_FILE (§4.3): the file, the target of a slave link, then the metadata file, each recorded in
     * the binlog before it goes.
     */
    public void delete(RemoteFilename name, long now) throws ProtocolException, IOException {
        Path path = store.dataFile(name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ProtocolException(Status.ENOENT, "no such file " + name);
        }
        if (attrs.isSymbolicLink()) {
            Optional<RemoteFilename> target = linkTarget(name, path);
            if (target.isPresent() && Files.exists(store.dataFile(target.get()), LinkOption.NOFOLLOW_LINKS)) {
                binlog.append(now, Binlog.DELETE, target.get().text());
                if (Files.deleteIfExists(store.dataFile(target.get()))) {
                    store.fileCounts().deleted(target.get());
                }
            }
        }
        binlog.append(now, Binlog.DELETE, name.text());
        Files.delete(path);
        store.fileCounts().deleted(name);
        Path meta = store.metadataFile(name);
        // File.exists answers the usual "no metadata" without building an exception; it is never a link
        if (meta.toFile().exists()) {
            binlog.append(now, Binlog.DELETE, name.text() + Metadata.FILE_SUFFIX);
            Files.delete(meta);
        }
    }

    /** The remote filename a slave link points to, if it points into the same store path's data. */
    private Optional<RemoteFilename> linkTarget(RemoteFilename name, Path link) throws IOException, ProtocolException {
        Path data = store.pathOf(name).data();
        Path target = link.resolveSibling(Files.readSymbolicLink(link)).normalize();
        if (!target.startsWith(data)) {
            return Optional.empty();
        }
        String rel = data.relativize(target).toString();
        try {
            return Optional.of(RemoteFilename.parse(String.format("M%02X/%s", name.storePathIndex(), rel)));
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }

    /** The relative link text from a slave link to its target (both in one store path). */
    public static Path linkText(RemoteFilename target) {
        return Path.of("..", "..", target.dataPath());
    }
}
