/**
 * Request and response bodies of the tracker commands (docs/protocol.md §3, §5): what clients ask a tracker,
 * what storages report to it, and what trackers exchange with each other. Records that carry client-facing
 * IP fields take the response IP size S (16 or 46, §1.6) and detect it from the length when decoding.
 */
package io.kfdfs.protocol.tracker;
