package io.kfdfs.protocol;

/**
 * A file ID {@code group/Mxx/HH/HH/name} (docs/protocol.md §7.1). Clients split it at the first {@code /}.
 */
public record FileId(String group, RemoteFilename remote) {

    public static FileId of(String group, String remoteFilename) throws ProtocolException {
        checkGroup(group);
        return new FileId(group, RemoteFilename.parse(remoteFilename));
    }

    public static FileId parse(String fileId) throws ProtocolException {
        if (fileId == null) {
            throw ProtocolException.invalid("empty file ID");
        }
        int slash = fileId.indexOf('/');
        if (slash < 0) {
            throw ProtocolException.invalid("file ID without '/': " + RemoteFilename.printable(fileId));
        }
        return of(fileId.substring(0, slash), fileId.substring(slash + 1));
    }

    /** Group names are 1–16 characters {@code [A-Za-z0-9]} (validated by C at JOIN and for store_group). */
    public static void checkGroup(String group) throws ProtocolException {
        if (group == null || group.isEmpty() || group.length() > Fields.GROUP_NAME_SIZE) {
            throw ProtocolException.invalid("group name must be 1-16 characters: "
                    + (group == null ? "null" : RemoteFilename.printable(group)));
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw ProtocolException.invalid("group name may only hold [A-Za-z0-9]: "
                        + RemoteFilename.printable(group));
            }
        }
    }

    @Override
    public String toString() {
        return group + "/" + remote.text();
    }
}
