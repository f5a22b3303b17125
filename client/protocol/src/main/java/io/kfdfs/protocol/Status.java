package io.kfdfs.protocol;

/** Status codes on the wire: Linux errno values truncated to a byte (docs/protocol.md §1.5). */
public final class Status {
    public static final int OK = 0;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENAMETOOLONG = 36;
    public static final int ENONET = 64;
    public static final int EOPNOTSUPP = 95;
    public static final int ECONNREFUSED = 111;
    public static final int ETIMEDOUT = 110;
    public static final int EALREADY = 114;

    private Status() {
    }

    public static String name(int status) {
        return switch (status) {
            case OK -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENONET -> "ENONET";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ECONNREFUSED -> "ECONNREFUSED";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EALREADY -> "EALREADY";
            default -> "errno " + status;
        };
    }

    /** A short human description, for CLI messages such as "no such file (ENOENT)". */
    public static String describe(int status) {
        String text = switch (status) {
            case ENOENT -> "no such file or group";
            case EEXIST -> "already exists";
            case EINVAL -> "invalid argument";
            case ENOSPC -> "no space left";
            case EACCES -> "permission denied";
            case EBUSY -> "busy";
            case EOPNOTSUPP -> "not supported";
            case EIO -> "I/O error";
            case EISDIR -> "not a regular file";
            case EALREADY -> "already done";
            case EAGAIN -> "try again";
            default -> "error";
        };
        return text + " (" + name(status) + ")";
    }
}
