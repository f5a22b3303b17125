package io.kfdfs.client;

import io.kfdfs.protocol.FileInfo;

/**
 * What {@link FdfsClient#fileInfo} found out about a file.
 *
 * @param info       type, source, creation time, size and CRC-32; the size is the current one for
 *                   appender and slave files, which only a storage knows
 * @param fromServer true if a storage was asked (QUERY_FILE_INFO), false if everything was decoded from
 *                   the file ID (docs/protocol.md §7.7)
 */
public record FileInfoResult(FileInfo info, boolean fromServer) {
}
