package io.kfdfs.operator.fdfs;

/** A tracker pod as Kubernetes shows it; {@code ip} is null until the pod has one. */
public record TrackerPod(String name, String ip, boolean ready) {
}
