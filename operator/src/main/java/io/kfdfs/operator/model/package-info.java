/**
 * Desired state as pure functions: each class builds Kubernetes objects from the custom resources and the
 * operator's {@link io.kfdfs.operator.model.Defaults}, with no I/O, so that tests can check every object
 * without a server. {@link io.kfdfs.operator.model.Names} and {@link io.kfdfs.operator.model.Labels} hold
 * every name and label the operator uses.
 */
package io.kfdfs.operator.model;
