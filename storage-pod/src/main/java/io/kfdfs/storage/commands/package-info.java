/**
 * What clients ask a storage (docs/protocol.md §4): uploads, appends, downloads, metadata and the other
 * file commands; and what every command handler shares, the sync receiver's included: the storage's
 * parts ({@code StorageContext}), content streamed to disk ({@code ContentWriter}), failures turned into
 * FastDFS status codes ({@code Replies}), the disk threads.
 */
package io.kfdfs.storage.commands;
