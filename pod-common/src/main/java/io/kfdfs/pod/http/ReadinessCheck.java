package io.kfdfs.pod.http;

import java.util.Optional;

/**
 * Whether a pod should receive traffic, asked by {@code /readyz}. Called on an event loop: it must answer
 * from state the pod already holds (joined a tracker, store paths mounted), never by doing I/O.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Empty when ready, else why not (shown in the 503 body). */
    Optional<String> notReadyReason();

    ReadinessCheck ALWAYS = Optional::empty;
}
