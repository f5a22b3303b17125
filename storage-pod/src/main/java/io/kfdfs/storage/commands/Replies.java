package io.kfdfs.storage.commands;

import io.kfdfs.pod.Answer;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turning results and failures into replies: every failure becomes the errno the C storage would send. */
public final class Replies {

    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private Replies() {
    }

    public static void ok(Answer conn) {
        conn.reply(Frames.ok());
    }

    public static void ok(Answer conn, Body body) {
        conn.reply(Frames.response(body));
    }

    /** Answers the status a failure stands for, or closes the connection if the client is gone. */
    public static void fail(Answer conn, int cmd, Throwable e) {
        if (e instanceof ProtocolException pe) {
            LOG.log(System.Logger.Level.DEBUG, () -> Cmd.name(cmd) + " from " + conn.remoteAddress() + ": " + pe.getMessage());
            if (pe.closeConnection()) {
                conn.close();
            } else {
                conn.replyError(pe.status());
            }
            return;
        }
        if (conn.isClosed()) {
            LOG.log(System.Logger.Level.INFO, Cmd.name(cmd) + " from " + conn.remoteAddress() + " abandoned: " + e);
            return;
        }
        int status = status(e);
        LOG.log(status == Status.EIO ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                Cmd.name(cmd) + " from " + conn.remoteAddress() + " failed: " + e);
        conn.replyError(status);
    }

    public static int status(Throwable e) {
        if (e instanceof ProtocolException pe) {
            return pe.status();
        }
        if (e instanceof NoSuchFileException) {
            return Status.ENOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return Status.EEXIST;
        }
        if (e instanceof IOException && String.valueOf(e.getMessage()).contains("No space left")) {
            return Status.ENOSPC;
        }
        return Status.EIO;
    }
}
