/**
 * The storage's sessions with its trackers (docs/protocol.md §5.1): it reports to every tracker, a
 * {@code tracker_server} name standing for each address it resolves to now, each over its own connection,
 * and survives trackers that go away and come back.
 */
package io.kfdfs.storage.report;
