package io.kfdfs.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version and images (from the parent pom, filtered into {@code release.properties}). */
public record Release(String version, String trackerImage, String storageImage, String operatorImage) {

    public static Release current() {
        Properties p = new Properties();
        try (InputStream in = Release.class.getResourceAsStream("/io/kfdfs/operator/release.properties")) {
            if (in == null) {
                throw new IllegalStateException("release.properties is missing from the operator's jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Release(p.getProperty("version"), p.getProperty("image.tracker"), p.getProperty("image.storage"),
                p.getProperty("image.operator"));
    }
}
