package io.kfdfs.storage.http;

import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.storage.http.ByteRanges.Parts;
import io.kfdfs.storage.http.ByteRanges.Plan;
import io.kfdfs.storage.http.ByteRanges.Range;
import io.kfdfs.storage.http.ByteRanges.Unsatisfiable;
import io.kfdfs.storage.http.ByteRanges.Whole;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The storage's HTTP file access, in place of nginx with fastdfs-nginx-module (docs/protocol.md §12):
 * {@code GET}/{@code HEAD /group1/M00/HH/HH/name.ext} (or {@code /M00/...} without
 * {@code url_have_group_name}), with the anti-steal token, {@code ?filename=} downloads, single and
 * multiple byte ranges, validators (ETag, Last-Modified, 304) and the content type by extension.
 *
 * <p>The path is validated exactly as the binary protocol validates a file name ({@link FileId}), on the
 * raw request path before any decoding, so {@code ..}, percent-encoded dots or slashes, backslashes and
 * absolute paths never reach the file system: they are answered 400. Local files go out with
 * {@code sendFile}; a file of this group that is not here yet, or of another group, is streamed from its
 * source storage through the {@link SourceFetcher} (the module's proxy mode), so a read right after an
 * upload does not 404 while replication catches up.
 */
public final class FileGateway implements Handler<RoutingContext> {

    private static final System.Logger LOG = System.getLogger(FileGateway.class.getName());
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final StoreFiles store;
    private final SourceFetcher fetcher;

    public FileGateway(Vertx vertx, GatewayConfig config, StoreFiles store, SourceFetcher fetcher) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.fetcher = fetcher;
    }

    /** Claims every request that no earlier route took: mount it after the pod's other routes. */
    public void mount(Router router) {
        router.route().handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            plain(ctx, 405, "method not allowed");
            return;
        }
        FileId id;
        try {
            id = fileId(req.path());
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.DEBUG, "bad file URL from " + req.remoteAddress() + ": " + e.getMessage());
            plain(ctx, 400, "bad file ID");
            return;
        }
        if (config.token().isPresent()) {
            AntiStealToken.Result check = config.token().get()
                    .check(id.remote().text(), req.getParam("token"), req.getParam("ts"));
            if (check != AntiStealToken.Result.VALID) {
                LOG.log(System.Logger.Level.DEBUG, "token " + check + " for " + id + " from " + req.remoteAddress());
                tokenRejected(ctx);
                return;
            }
        }
        if (!id.group().equals(store.groupName())) {
            fromSource(ctx, id);
            return;
        }
        Optional<Path> path = store.resolve(id.remote());
        if (path.isEmpty()) {
            plain(ctx, 400, "no such store path");
            return;
        }
        vertx.fileSystem().props(path.get().toString()).onComplete(ar -> {
            if (ar.succeeded() && ar.result().isRegularFile()) {
                respond(ctx, id, new LocalContent(vertx, path.get(), ar.result().size(),
                        ar.result().lastModifiedTime() / 1000, req.version() != HttpVersion.HTTP_2));
            } else {
                fromSource(ctx, id);
            }
        });
    }

    private FileId fileId(String rawPath) throws ProtocolException {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw ProtocolException.invalid("path must start with /");
        }
        String rest = rawPath.substring(1);
        return config.urlHaveGroupName() ? FileId.parse(rest) : FileId.of(store.groupName(), rest);
    }

    private void fromSource(RoutingContext ctx, FileId id) {
        fetcher.open(id).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "cannot fetch " + id + " from its source: " + ar.cause());
                plain(ctx, 502, "source storage unavailable");
            } else if (ar.result().isEmpty()) {
                plain(ctx, 404, "not found");
            } else {
                respond(ctx, id, new RemoteContent(ar.result().get()));
            }
        });
    }

    private void respond(RoutingContext ctx, FileId id, Content content) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse resp = ctx.response();
        if (resp.closed()) {
            content.close();
            return;
        }
        long size = content.size();
        long mtime = content.modifiedSeconds();
        String etag = "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(size) + "\"";
        String lastModified = HTTP_DATE.format(Instant.ofEpochSecond(mtime));
        String type = ContentTypes.of(id.remote().name(), config.defaultContentType());
        resp.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.LAST_MODIFIED, lastModified)
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        String filename = req.getParam("filename");
        if (filename != null && !filename.isEmpty()) {
            resp.putHeader(HttpHeaders.CONTENT_DISPOSITION, attachment(filename));
        }
        boolean head = req.method() == HttpMethod.HEAD;
        Future<Void> sent;
        if (notModified(req, etag, mtime)) {
            sent = resp.setStatusCode(304).end();
        } else {
            Plan plan = rangeApplies(req, etag, mtime)
                    ? ByteRanges.plan(req.getHeader("Range"), size, config.multiRange())
                    : new Whole();
            if (plan instanceof Unsatisfiable) {
                sent = resp.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size).end();
            } else if (plan instanceof Parts parts && parts.ranges().size() > 1) {
                sent = multipart(resp, content, parts.ranges(), type, head);
            } else {
                Range range = plan instanceof Parts parts ? parts.ranges().get(0) : new Range(0, size - 1);
                if (plan instanceof Parts) {
                    resp.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(size));
                }
                resp.putHeader(HttpHeaders.CONTENT_TYPE, type)
                        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(range.length()));
                sent = head || range.length() == 0 ? resp.end() : content.send(resp, range.first(), range.length());
            }
        }
        sent.onComplete(ar -> {
            content.close();
            if (ar.failed()) {
                LOG.log(System.Logger.Level.INFO, "sending " + id + " to " + req.remoteAddress() + " failed: " + ar.cause());
                if (resp.headWritten()) {
                    // the status line is out: only cutting the connection tells the client the body is short
                    resp.reset();
                } else if (!resp.closed()) {
                    plain(ctx, 500, "read failed");
                }
            }
        });
    }

    /** A 206 multipart/byteranges body (RFC 9110 §14.6), its length computed up front. */
    private static Future<Void> multipart(HttpServerResponse resp, Content content, List<Range> ranges, String type,
                                          boolean head) {
        String boundary = "kfdfs" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        List<String> partHeads = new ArrayList<>(ranges.size());
        long length = 0;
        for (Range r : ranges) {
            String partHead = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
                    + r.contentRange(content.size()) + "\r\n\r\n";
            partHeads.add(partHead);
            length += partHead.length() + r.length();
        }
        String tail = "\r\n--" + boundary + "--\r\n";
        length += tail.length();
        resp.setStatusCode(206)
                .putHeader(HttpHeaders.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        if (head) {
            return resp.end();
        }
        Future<Void> written = Future.succeededFuture();
        for (int i = 0; i < ranges.size(); i++) {
            String partHead = partHeads.get(i);
            Range r = ranges.get(i);
            written = written.compose(v -> resp.write(partHead)).compose(v -> content.write(resp, r.first(), r.length()));
        }
        return written.compose(v -> resp.end(tail));
    }

    private void tokenRejected(RoutingContext ctx) {
        if (config.tokenCheckFail().isEmpty()) {
            plain(ctx, 403, "forbidden");
            return;
        }
        GatewayConfig.FailPage page = config.tokenCheckFail().get();
        HttpServerResponse resp = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, page.contentType());
        if (ctx.request().method() == HttpMethod.HEAD) {
            resp.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(page.body().length())).end();
        } else {
            resp.end(page.body());
        }
    }

    private static void plain(RoutingContext ctx, int code, String message) {
        ctx.response().setStatusCode(code)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(message + "\n");
    }

    /** If-None-Match, else If-Modified-Since (RFC 9110 §13.2.2). */
    private static boolean notModified(HttpServerRequest req, String etag, long mtime) {
        String noneMatch = req.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (noneMatch != null) {
            for (String tag : noneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        Long since = parseDate(req.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
        return since != null && mtime <= since;
    }

    /** If-Range: the Range applies only while the file is still the one the client has part of. */
    private static boolean rangeApplies(HttpServerRequest req, String etag, long mtime) {
        String ifRange = req.getHeader("If-Range");
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        Long date = parseDate(v);
        return date != null && date == mtime;
    }

    private static Long parseDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code attachment; filename="..."} as the C module writes it, with quotes, backslashes and control
     * characters replaced (they would break or inject header syntax) and, for a non-ASCII name, the
     * RFC 6266 {@code filename*} form that browsers prefer.
     */
    static String attachment(String filename) {
        StringBuilder ascii = new StringBuilder(filename.length());
        boolean nonAscii = false;
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c > 0x7E) {
                nonAscii = true;
                ascii.append('_');
            } else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
                ascii.append('_');
            } else {
                ascii.append(c);
            }
        }
        String value = "attachment; filename=\"" + ascii + "\"";
        if (!nonAscii) {
            return value;
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return value + "; filename*=UTF-8''" + encoded;
    }

    /** The bytes of a file, wherever they are. */
    private interface Content {

        long size();

        long modifiedSeconds();

        /** Writes {@code length} bytes from {@code offset} into the response, leaving it open. */
        Future<Void> write(HttpServerResponse resp, long offset, long length);

        /** Writes {@code length} bytes from {@code offset} as the rest of the body and ends the response. */
        default Future<Void> send(HttpServerResponse resp, long offset, long length) {
            return write(resp, offset, length).compose(v -> resp.end());
        }

        default void close() {
        }
    }

    /** {@code http1}: the response is HTTP/1.x, whose sendFile(path) opens and stats the file on the event loop. */
    private record LocalContent(Vertx vertx, Path path, long size, long modifiedSeconds, boolean http1)
            implements Content {

        @Override
        public Future<Void> write(HttpServerResponse resp, long offset, long length) {
            return vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                    .compose(file -> pipe(file.setReadPos(offset).setReadLength(length), resp));
        }

        private static Future<Void> pipe(AsyncFile file, HttpServerResponse resp) {
            return file.pipe().endOnComplete(false).to(resp).eventually(file::close);
        }

        /**
         * sendfile(2) over HTTP/1.x from a file a worker opened; HTTP/2 takes no open file (Vert.x 5.0.7:
         * "does not support sending channel") but opens the path asynchronously itself.
         */
        @Override
        public Future<Void> send(HttpServerResponse resp, long offset, long length) {
            if (!http1) {
                return resp.sendFile(path.toString(), offset, length);
            }
            return vertx.executeBlocking(() -> FileChannel.open(path, StandardOpenOption.READ), false)
                    .compose(file -> resp.sendFile(file, offset, length).andThen(x -> closeQuietly(file)));
        }

        private static void closeQuietly(FileChannel file) {
            try {
                file.close();
            } catch (IOException e) {
                // only read from: nothing is lost
            }
        }
    }

    private record RemoteContent(SourceFile source) implements Content {

        @Override
        public long size() {
            return source.size();
        }

        @Override
        public long modifiedSeconds() {
            return source.modifiedSeconds();
        }

        @Override
        public Future<Void> write(HttpServerResponse resp, long offset, long length) {
            return source.read(offset, length).compose(body -> body.pipe().endOnComplete(false).to(resp));
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
