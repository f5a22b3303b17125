/**
 * Request and response bodies of the storage server (docs/protocol.md §4): client commands (§4.1–4.12),
 * storage-to-storage replication (§4.13) and disk recovery (§4.14). Requests that carry file content
 * implement {@link io.kfdfs.protocol.storage.ContentRequest}: the record is the fixed part in front of
 * the content, which is streamed separately.
 */
package io.kfdfs.protocol.storage;
