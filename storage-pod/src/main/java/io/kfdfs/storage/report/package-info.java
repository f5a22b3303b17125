/**
 * The storage's sessions with its trackers (PROTOCOL.md §5.1): it reports to every configured tracker,
 * each over its own connection, and survives trackers that go away and come back.
 */
package io.kfdfs.storage.report;
