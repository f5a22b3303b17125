/**
 * What the storage counts: the stat counters it reports to its trackers and keeps in its stat file, and
 * the Prometheus meters. Below the sync and above the store, so both the servers and the sync sender count.
 */
package io.kfdfs.storage.stats;
