/**
 * The storage's wiring: {@code StorageMain} reads the config, {@code StorageServer} builds and starts
 * the parts below, {@code StorageHandler} routes each request by the command table, {@code StorageHttp}
 * serves files and health over HTTP; and the retirement flow, which spans them ({@code Retirement}).
 * The packages below are layered (docs/architecture.md): report → http → sync → commands → stats → store.
 */
package io.kfdfs.storage;
