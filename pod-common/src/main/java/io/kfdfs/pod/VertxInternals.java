package io.kfdfs.pod;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.nio.channels.FileChannel;

/**
 * The only place the pods reach into Vert.x's internal API ({@code io.vertx.core.internal}, not covered by
 * its compatibility promise), so an upgrade is checked here. Each use is for something the public API does
 * not do:
 * <ul>
 *   <li>Netty buffers in and out of Vert.x buffers without a copy (the public {@code Buffer} copies, and
 *       file content and pooled replies must go to the socket as they are);</li>
 *   <li>a {@code FileRegion} from an open channel (public {@code sendFile} takes a path and opens and stats
 *       it on the event loop), and raw messages on a socket, so frames are parsed straight off Netty's
 *       buffers;</li>
 *   <li>the socket's channel: its event loop (to keep a client's calls on it) and its config (auto-read,
 *       for back-pressure).</li>
 * </ul>
 */
public final class VertxInternals {

    private VertxInternals() {
    }

    /** The Netty buffer under a Vert.x buffer, shared (not copied). */
    public static ByteBuf byteBuf(Buffer buffer) {
        return ((BufferInternal) buffer).getByteBuf();
    }

    /** A Vert.x buffer over a Netty buffer, taking it over (not copied). */
    static Buffer buffer(ByteBuf buf) {
        return BufferInternal.buffer(buf);
    }

    /** A Vert.x buffer with a copy of a Netty buffer the caller keeps (Netty releases it after the read). */
    static Buffer safeBuffer(ByteBuf buf) {
        return BufferInternal.safeBuffer(buf);
    }

    /** Writes a Netty message (a buffer, a file region) as it is. */
    static Future<Void> write(NetSocket socket, Object message) {
        return ((NetSocketInternal) socket).writeMessage(message);
    }

    /** Writes {@code length} bytes of an open file from {@code offset} with sendfile; the channel is closed after. */
    static Future<Void> writeFile(NetSocket socket, FileChannel file, long offset, long length) {
        return write(socket, new DefaultFileRegion(file, offset, length));
    }

    /** Receives what Netty reads from the socket, unconverted. */
    static void messageHandler(NetSocket socket, Handler<Object> handler) {
        ((NetSocketInternal) socket).messageHandler(handler);
    }

    static ChannelHandlerContext channel(NetSocket socket) {
        return ((NetSocketInternal) socket).channelHandlerContext();
    }
}
