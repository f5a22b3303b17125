package io.kfdfs.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A storage per test over a fresh temporary base path. */
abstract class StorageTestBase {

    @TempDir
    Path dir;
    StorageFixture storage;

    /** Extra storage.conf lines for this test class. */
    String extraConf() {
        return "";
    }

    @BeforeEach
    void startStorage() throws Exception {
        storage = new StorageFixture(dir, extraConf());
    }

    @AfterEach
    void stopStorage() {
        storage.close();
    }
}
