package io.kfdfs.storage.http;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.pod.FrameServer;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.http.PodHttpServer;
import io.kfdfs.pod.http.PodMetrics;
import io.kfdfs.pod.http.ReadinessCheck;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.storage.StorageFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file gateway over 127.0.0.1: a temp store path holds the local files, and a fake source storage
 * (a FrameServer answering QUERY_FILE_INFO and DOWNLOAD_FILE with the real codec) holds files that are
 * not here yet.
 */
class FileGatewayTest {

    static final String GROUP = "group1";
    static final String TXT = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt";
    static final String JPG = "M00/00/01/wKgBZGVT8QCAASNFAAAABTYQpoY123.jpg";
    static final String NO_EXT = "M00/00/01/wKgBZGVT8QCAASNFAAAABTYQpoY1234567";
    static final String ON_SOURCE = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY456.bin";
    static final String NOWHERE = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY789.txt";
    static final long MTIME = 1700000000L;
    static final long SOURCE_MTIME = 1700000500L;
    static final String SECRET = "s3cr3t";

    @TempDir
    Path storePath;
    @TempDir
    Path other;
    Vertx vertx;
    PodMetrics metrics;
    FrameServer source;
    int port;
    final byte[] text = random(1000, 1);
    final byte[] remote = random(2 * 1024 * 1024 + 5, 2);
    /** The fake source's files by file ID. */
    final Map<String, Path> sourceFiles = new ConcurrentHashMap<>();
    final CountDownLatch sourceConnectionClosed = new CountDownLatch(1);
    final List<DownloadRequest> downloads = new CopyOnWriteArrayList<>();
    final List<Integer> queryFlags = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final StoreFiles store = new StoreFiles() {
        @Override
        public String groupName() {
            return GROUP;
        }

        @Override
        public Optional<Path> resolve(RemoteFilename r) {
            return r.storePathIndex() == 0 ? Optional.of(storePath.resolve("data").resolve(r.dataPath())) : Optional.empty();
        }
    };

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        metrics = new PodMetrics("storage");
        for (String name : List.of(TXT, JPG, NO_EXT)) {
            Path p = storePath.resolve("data").resolve(RemoteFilename.parse(name).dataPath());
            Files.createDirectories(p.getParent());
            Files.write(p, text);
            Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(MTIME)));
        }
        sourceFiles.put(GROUP + "/" + ON_SOURCE, Files.write(other.resolve("on-source"), remote));
        sourceFiles.put("group2/" + TXT, Files.write(other.resolve("group2-text"), text));
        source = FrameServer.start(vertx, "127.0.0.1", 0, new FakeSource(), PodLimits.DEFAULT).await(5, TimeUnit.SECONDS);
        port = gateway(GatewayConfig.defaults(), sourceAt(source.actualPort()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
        metrics.close();
    }

    SourceFetcher sourceAt(int sourcePort) {
        return new StorageSourceFetcher(vertx, (id, info) -> Optional.of(SocketAddress.inetSocketAddress(sourcePort, "127.0.0.1")),
                PodLimits.DEFAULT);
    }

    /** Starts a pod HTTP server with a gateway; returns its port. */
    int gateway(GatewayConfig config, SourceFetcher fetcher) throws Exception {
        FileGateway gateway = new FileGateway(vertx, config, store, fetcher);
        return PodHttpServer.start(vertx, "127.0.0.1", 0, metrics, ReadinessCheck.ALWAYS, gateway::mount)
                .await(5, TimeUnit.SECONDS).actualPort();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send(port, "GET", path, headers);
    }

    HttpResponse<byte[]> send(int at, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** A request written byte for byte, so no client library normalises the path; returns the status code. */
    int rawStatus(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void servesAWholeLocalFileWithItsHeaders() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT);
        assertEquals(200, r.statusCode());
        assertArrayEquals(text, r.body());
        assertEquals("1000", header(r, "content-length"));
        assertEquals("text/plain", header(r, "content-type"));
        assertEquals("bytes", header(r, "accept-ranges"));
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", header(r, "last-modified"));
        assertEquals("\"" + Long.toHexString(MTIME) + "-3e8\"", header(r, "etag"));
        assertEquals(null, header(r, "content-disposition"));
    }

    /** HTTP/1.1 sends from a file a worker opened; the gateway holds it only while sending. */
    @Test
    void aSentFileIsClosedOnceItIsSent() throws Exception {
        Path file = storePath.resolve("data").resolve(RemoteFilename.parse(TXT).dataPath()).toRealPath();
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(text, get("/" + GROUP + "/" + TXT).body());
        }
        StorageFixture.awaitClosed(file);
    }

    @Test
    void headSendsTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<byte[]> r = send(port, "HEAD", "/" + GROUP + "/" + TXT);
        assertEquals(200, r.statusCode());
        assertEquals("1000", header(r, "content-length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void answersASingleRangeWith206() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT, "Range", "bytes=10-19");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 10-19/1000", header(r, "content-range"));
        assertEquals("10", header(r, "content-length"));
        assertArrayEquals(Arrays.copyOfRange(text, 10, 20), r.body());
    }

    @Test
    void answersASuffixRange() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT, "Range", "bytes=-100");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 900-999/1000", header(r, "content-range"));
        assertArrayEquals(Arrays.copyOfRange(text, 900, 1000), r.body());
    }

    @Test
    void answersSeveralRangesAsMultipartByteranges() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT, "Range", "bytes=0-9,-5");
        assertEquals(206, r.statusCode());
        String type = header(r, "content-type");
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        Buffer expected = Buffer.buffer()
                .appendString("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-9/1000\r\n\r\n")
                .appendBytes(Arrays.copyOfRange(text, 0, 10))
                .appendString("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 995-999/1000\r\n\r\n")
                .appendBytes(Arrays.copyOfRange(text, 995, 1000))
                .appendString("\r\n--" + boundary + "--\r\n");
        assertArrayEquals(expected.getBytes(), r.body());
        assertEquals(Integer.toString(expected.length()), header(r, "content-length"));
    }

    @Test
    void answersAnUnsatisfiableRangeWith416() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT, "Range", "bytes=1000-2000");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */1000", header(r, "content-range"));
    }

    @Test
    void answersValidatorsThatStillMatchWith304() throws Exception {
        String etag = header(get("/" + GROUP + "/" + TXT), "etag");
        assertEquals(304, get("/" + GROUP + "/" + TXT, "If-None-Match", etag).statusCode());
        assertEquals(200, get("/" + GROUP + "/" + TXT, "If-None-Match", "\"other\"").statusCode());
        assertEquals(304, get("/" + GROUP + "/" + TXT, "If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT").statusCode());
        assertEquals(200, get("/" + GROUP + "/" + TXT, "If-Modified-Since", "Tue, 14 Nov 2023 22:13:19 GMT").statusCode());
        // If-Range with a stale validator: the whole file, not the range
        assertEquals(200, get("/" + GROUP + "/" + TXT, "Range", "bytes=0-1", "If-Range", "\"stale\"").statusCode());
        assertEquals(206, get("/" + GROUP + "/" + TXT, "Range", "bytes=0-1", "If-Range", etag).statusCode());
    }

    @Test
    void setsTheContentTypeFromTheExtension() throws Exception {
        assertEquals("image/jpeg", header(get("/" + GROUP + "/" + JPG), "content-type"));
        assertEquals("application/octet-stream", header(get("/" + GROUP + "/" + NO_EXT), "content-type"));
    }

    @Test
    void namesTheDownloadWhenAskedTo() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + TXT + "?filename=report%20final.txt");
        assertEquals("attachment; filename=\"report final.txt\"", header(r, "content-disposition"));
        assertArrayEquals(text, r.body());
        assertEquals("attachment; filename=\"a_b_c__.txt\"; filename*=UTF-8''a%22b%5Cc%C3%A9%0D.txt",
                header(get("/" + GROUP + "/" + TXT + "?filename=a%22b%5Cc%C3%A9%0D.txt"), "content-disposition"));
    }

    @Test
    void rejectsTraversalAndMalformedPathsWith400() throws Exception {
        for (String path : List.of(
                "/group1/M00/00/00/../../../../etc/passwd",
                "/group1/M00/00/00/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/group1/M00/00/00/..%2f..%2f..%2fetc%2fpasswd",
                "/group1/M00/00/00/%2E%2E%5C%2E%2E%5Cetc",
                "/group1/M00/00/00\\..\\..\\etc\\passwd",
                "/group1/M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY..txt",
                "//etc/passwd",
                "/group1//etc/passwd",
                "/group1/M00/00/00/%77KgBZGVT8QCAASNFAAAABTYQpoY123.txt",
                "/group1/M00/0/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt",
                "/group1",
                "/gr.up/M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt",
                "/group1/M05/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt")) {
            assertEquals(400, rawStatus(path), path);
        }
        assertEquals(200, rawStatus("/" + GROUP + "/" + TXT));
    }

    @Test
    void refusesOtherMethods() throws Exception {
        HttpResponse<byte[]> r = send(port, "DELETE", "/" + GROUP + "/" + TXT);
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", header(r, "allow"));
    }

    @Test
    void servesUrlsWithoutTheGroupWhenConfiguredSo() throws Exception {
        int at = gateway(new GatewayConfig(false, Optional.empty(), Optional.empty(), true, "application/octet-stream"),
                SourceFetcher.NONE);
        HttpResponse<byte[]> r = send(at, "GET", "/" + TXT);
        assertEquals(200, r.statusCode());
        assertArrayEquals(text, r.body());
        assertEquals(400, send(at, "GET", "/" + GROUP + "/" + TXT).statusCode());
    }

    @Test
    void streamsAFileThatIsOnlyOnItsSource() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + ON_SOURCE);
        assertEquals(200, r.statusCode());
        assertArrayEquals(remote, r.body());
        assertEquals(Integer.toString(remote.length), header(r, "content-length"));
        assertEquals("Tue, 14 Nov 2023 22:21:40 GMT", header(r, "last-modified"));
        assertEquals(List.of(new DownloadRequest(0, remote.length, GROUP, ON_SOURCE)), downloads);
        assertEquals(List.of(QueryFileInfoResponse.FLAG_NOT_CALC_CRC32 | QueryFileInfoResponse.FLAG_KEEP_SILENCE), queryFlags);
    }

    @Test
    void readsOnlyTheRequestedRangesFromTheSource() throws Exception {
        HttpResponse<byte[]> r = get("/" + GROUP + "/" + ON_SOURCE, "Range", "bytes=1048576-1048675");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(remote, 1048576, 1048676), r.body());
        HttpResponse<byte[]> multi = get("/" + GROUP + "/" + ON_SOURCE, "Range", "bytes=0-1,-3");
        assertEquals(206, multi.statusCode());
        assertTrue(new String(multi.body(), StandardCharsets.ISO_8859_1).endsWith("--\r\n"));
        assertEquals(List.of(new DownloadRequest(1048576, 100, GROUP, ON_SOURCE),
                new DownloadRequest(0, 2, GROUP, ON_SOURCE),
                new DownloadRequest(remote.length - 3, 3, GROUP, ON_SOURCE)), downloads);
    }

    @Test
    void headOfASourceFileNeedsNoDownload() throws Exception {
        HttpResponse<byte[]> r = send(port, "HEAD", "/" + GROUP + "/" + ON_SOURCE);
        assertEquals(200, r.statusCode());
        assertEquals(Integer.toString(remote.length), header(r, "content-length"));
        assertEquals(List.of(), downloads);
    }

    @Test
    void servesAnotherGroupsFileThroughItsSource() throws Exception {
        HttpResponse<byte[]> r = get("/group2/" + TXT);
        assertEquals(200, r.statusCode());
        assertArrayEquals(text, r.body());
        assertEquals(List.of(new DownloadRequest(0, text.length, "group2", TXT)), downloads);
    }

    @Test
    void missingEverywhereIs404() throws Exception {
        assertEquals(404, get("/" + GROUP + "/" + NOWHERE).statusCode());
        int noSource = gateway(GatewayConfig.defaults(), SourceFetcher.NONE);
        assertEquals(404, send(noSource, "GET", "/" + GROUP + "/" + ON_SOURCE).statusCode());
    }

    @Test
    void anUnreachableSourceIs502() throws Exception {
        int at = gateway(GatewayConfig.defaults(), sourceAt(Ports.free()));
        assertEquals(502, send(at, "GET", "/" + GROUP + "/" + ON_SOURCE).statusCode());
        assertEquals(200, send(at, "GET", "/" + GROUP + "/" + TXT).statusCode());
    }

    @Test
    void checksTheAntiStealToken() throws Exception {
        AntiStealToken token = new AntiStealToken(SECRET, Duration.ofSeconds(600), Clock.systemUTC());
        int at = gateway(new GatewayConfig(true, Optional.of(token), Optional.empty(), true, "application/octet-stream"),
                SourceFetcher.NONE);
        long now = Instant.now().getEpochSecond();
        String url = "/" + GROUP + "/" + TXT;
        HttpResponse<byte[]> valid = send(at, "GET", url + "?token=" + AntiStealToken.token(TXT, SECRET, now) + "&ts=" + now);
        assertEquals(200, valid.statusCode());
        assertArrayEquals(text, valid.body());
        long old = now - 601;
        assertEquals(403, send(at, "GET", url + "?token=" + AntiStealToken.token(TXT, SECRET, old) + "&ts=" + old).statusCode());
        assertEquals(403, send(at, "GET", url + "?token=" + AntiStealToken.token(TXT, "wrong", now) + "&ts=" + now).statusCode());
        assertEquals(403, send(at, "GET", url + "?token=" + AntiStealToken.token(TXT, SECRET, now)).statusCode());
        assertEquals(403, send(at, "GET", url + "?token=" + AntiStealToken.token(TXT, SECRET, 0) + "&ts=0").statusCode());
        assertEquals(403, send(at, "GET", url).statusCode());
        // the token covers the name without the group; one over the full file ID is wrong
        assertEquals(403, send(at, "GET", url + "?token=" + AntiStealToken.token(GROUP + "/" + TXT, SECRET, now) + "&ts=" + now)
                .statusCode());
    }

    @Test
    void aTokenFailureServesTheConfiguredFileInstead() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        AntiStealToken token = new AntiStealToken(SECRET, Duration.ofSeconds(600), Clock.systemUTC());
        GatewayConfig.FailPage page = new GatewayConfig.FailPage(Buffer.buffer(png), "image/png");
        int at = gateway(new GatewayConfig(true, Optional.of(token), Optional.of(page), true, "application/octet-stream"),
                SourceFetcher.NONE);
        HttpResponse<byte[]> r = send(at, "GET", "/" + GROUP + "/" + TXT + "?token=00000000000000000000000000000000&ts=1");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", header(r, "content-type"));
        assertArrayEquals(png, r.body());
    }

    @Test
    void aClientLeavingMidDownloadReleasesTheSourceConnection() throws Exception {
        // far larger than what the socket buffers on both sides can hold, so the transfer cannot just finish
        Path big = other.resolve("big");
        try (var out = Files.newOutputStream(big)) {
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
        }
        String name = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY999.bin";
        sourceFiles.put(GROUP + "/" + name, big);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /" + GROUP + "/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(4096, s.getInputStream().readNBytes(4096).length);
        }
        assertTrue(sourceConnectionClosed.await(10, TimeUnit.SECONDS), "the gateway kept its source connection");
    }

    /** The source storage's side of the binary protocol, as much as the fetcher uses (blocking file calls: a test). */
    private final class FakeSource implements FrameHandler {

        @Override
        public BodyPolicy policy(Header h) {
            return BodyPolicy.buffered(256);
        }

        @Override
        public void onRequest(FrameConnection c, Header h, Buffer body) {
            try {
                if (h.cmd() == Cmd.QUERY_FILE_INFO) {
                    queryFlags.add(h.status());
                    Path file = sourceFiles.get(GroupFile.decode(Frames.byteBuffer(body)).fileId());
                    c.reply(file == null ? Frames.error(Status.ENOENT)
                            : Frames.response(new QueryFileInfoResponse(Files.size(file), SOURCE_MTIME, 0, "127.0.0.1", 16)));
                } else if (h.cmd() == Cmd.DOWNLOAD_FILE) {
                    DownloadRequest d = DownloadRequest.decode(Frames.byteBuffer(body));
                    downloads.add(d);
                    Path file = sourceFiles.get(d.group() + "/" + d.filename());
                    if (file == null) {
                        c.replyError(Status.ENOENT);
                        return;
                    }
                    long length = d.length() == 0 ? Files.size(file) - d.offset() : d.length();
                    FileChannel content = FileChannel.open(file, StandardOpenOption.READ);
                    c.write(Buffer.buffer(Header.response(length).toBytes()))
                            .compose(v -> c.sendFile(content, d.offset(), length))
                            .onComplete(v -> c.done());
                } else {
                    c.replyError(Status.EINVAL);
                }
            } catch (ProtocolException e) {
                c.replyError(e.status());
            } catch (IOException e) {
                c.replyError(Status.EIO);
            }
        }

        @Override
        public void onClose(FrameConnection c) {
            sourceConnectionClosed.countDown();
        }
    }
}
