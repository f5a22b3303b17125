package io.kfdfs.operator.model;

/**
 * What the operator decides where a spec is silent, beyond the spec classes' own defaults.
 *
 * @param release       the images used when a cluster names none
 * @param clusterDomain the Kubernetes cluster's DNS domain, for the names written into the configs
 */
public record Defaults(Release release, String clusterDomain) {

    public static Defaults of(Release release) {
        return new Defaults(release, "cluster.local");
    }
}
