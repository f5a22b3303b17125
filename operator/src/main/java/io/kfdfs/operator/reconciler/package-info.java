/**
 * The JOSDK reconcilers. Each reconcile reads as a list of named steps: validate, apply the desired objects
 * (plain create and update, no server-side apply), observe (Kubernetes and the trackers), take at most one
 * step of a scale or a rolling update ({@link io.kfdfs.operator.reconciler.GroupSteps}), write status.
 */
package io.kfdfs.operator.reconciler;
