package io.kfdfs.storage.http;

import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension: the common types of nginx's {@code mime.types}, which fastdfs-nginx-module
 * serves with. A file ID's extension is at most 6 characters (docs/protocol.md §7.1).
 */
final class ContentTypes {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("xml", "text/xml"),
            Map.entry("js", "application/javascript"), Map.entry("json", "application/json"),
            Map.entry("gif", "image/gif"), Map.entry("jpeg", "image/jpeg"), Map.entry("jpg", "image/jpeg"),
            Map.entry("png", "image/png"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"), Map.entry("bmp", "image/x-ms-bmp"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("avif", "image/avif"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("m4a", "audio/x-m4a"),
            Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("flv", "video/x-flv"), Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("ts", "video/mp2t"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
            Map.entry("7z", "application/x-7z-compressed"), Map.entry("rar", "application/x-rar-compressed"),
            Map.entry("doc", "application/msword"), Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("apk", "application/vnd.android.package-archive"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("wasm", "application/wasm"));

    private ContentTypes() {
    }

    /** The type for the extension of {@code fileName} (after its last dot), or {@code fallback}. */
    static String of(String fileName, String fallback) {
        int dot = fileName.lastIndexOf('.');
        int slash = fileName.lastIndexOf('/');
        if (dot < 0 || dot < slash) {
            return fallback;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), fallback);
    }
}
