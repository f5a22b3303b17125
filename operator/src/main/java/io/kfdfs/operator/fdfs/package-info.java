/**
 * The operator as a FastDFS client of its own pods: what the trackers report (read from every tracker pod,
 * not through the Service, since they can disagree) and the retirement steps of scale-in, all through the
 * kfdfs client library over the FastDFS protocol.
 */
package io.kfdfs.operator.fdfs;
