/**
 * The custom resources {@code FdfsCluster} and {@code StorageGroup} ({@code kfdfs.io/v1alpha1}): spec
 * (what the user asks for) and status (what the trackers report). The CRD YAML in {@code crds/} is
 * generated from these classes; the validation annotations become OpenAPI ranges, patterns and CEL rules.
 */
package io.kfdfs.operator.api;
