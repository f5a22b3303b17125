package io.kfdfs.storage.store;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who this storage is and how it writes names, as far as it knows: the group and IDs come from
 * storage.conf or the trackers, the naming policy from the tracker's PARAMETER_REQ reply. Read by the
 * request handlers, updated by the tracker reporters.
 */
public final class Identity {

    private static final Pattern SERVER_ID = Pattern.compile("[0-9]{1,8}");

    private volatile String group;
    private volatile String serverId;
    private volatile String ip;
    private volatile boolean idInFilename;
    private volatile int responseIpSize = 16;
    private volatile boolean slaveAsLink;
    private volatile Map<String, String> peerIps = Map.of();

    public Identity(String group, String serverId, String ip) {
        this.group = group;
        this.serverId = serverId;
        this.ip = ip;
    }

    public String group() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String serverId() {
        return serverId;
    }

    public void setServerId(String serverId) {
        this.serverId = serverId;
    }

    /** This storage's IPv4 address as the trackers see it; empty while unknown. */
    public String ip() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    /** Tracker parameters {@code use_storage_id && id_type_in_filename = id}. */
    public void setIdInFilename(boolean idInFilename) {
        this.idInFilename = idInFilename;
    }

    public int responseIpSize() {
        return responseIpSize;
    }

    public void setResponseIpSize(int responseIpSize) {
        this.responseIpSize = responseIpSize;
    }

    /** Tracker parameter {@code store_slave_file_use_link}. */
    public boolean slaveAsLink() {
        return slaveAsLink;
    }

    public void setSlaveAsLink(boolean slaveAsLink) {
        this.slaveAsLink = slaveAsLink;
    }

    /** The first IP of every storage ID in storage_ids.conf, for QUERY_FILE_INFO. */
    public void setPeerIps(Map<String, String> peerIps) {
        this.peerIps = Map.copyOf(peerIps);
    }

    /**
     * The source field of names this storage creates (§7.2): its numeric server ID when the tracker says
     * {@code id_type_in_filename = id}, else its IPv4 address.
     *
     * @throws ProtocolException EAGAIN while neither is known (no tracker has answered yet)
     */
    public int nameSource() throws ProtocolException {
        String id = serverId;
        if (idInFilename && id != null && SERVER_ID.matcher(id).matches()) {
            long v = Long.parseLong(id);
            if (v >= 1 && v <= FileName.MAX_SERVER_ID) {
                return FileName.sourceOfServerId(v);
            }
        }
        String address = ip;
        if (address == null || !HostPort.isIpv4Literal(address)) {
            throw new ProtocolException(Status.EAGAIN, "own IPv4 address not known yet");
        }
        return FileName.sourceOfIpv4(address);
    }

    /** The IP QUERY_FILE_INFO reports for a name's source: the embedded IPv4, or the server ID's IP. */
    public String sourceIp(FileName.Block block) {
        if (!block.isServerId()) {
            return block.ipv4();
        }
        return peerIps.getOrDefault(Integer.toString(block.serverId()), "");
    }
}
