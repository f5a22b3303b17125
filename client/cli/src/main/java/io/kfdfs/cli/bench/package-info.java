/**
 * {@code fdfs bench}: uploads, downloads (verifying every byte) and deletes files against a running cluster
 * from many threads, the way a real client does, and reports throughput and latency per phase.
 */
package io.kfdfs.cli.bench;
