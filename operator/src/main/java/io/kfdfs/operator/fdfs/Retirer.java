package io.kfdfs.operator.fdfs;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.RetireRequest;
import io.kfdfs.protocol.storage.RetireStatus;

import java.time.Duration;

/**
 * The steps of kfdfs's retirement (docs/replication.md), one short call each, so that a reconcile never
 * waits for a member's peers: the operator calls {@link #prepare} again at its next reconcile until the
 * storage is ready, then {@link #leave}, then {@link #delete} on every tracker pod.
 */
public final class Retirer {

    /** What a tracker said to the deletion of a storage. */
    public enum Deletion { DONE, STILL_SERVING }

    private final Duration timeout;

    public Retirer(Duration timeout) {
        this.timeout = timeout;
    }

    /** KFDFS_RETIRE PREPARE: the storage turns read-only and says whether its peers have all its changes. */
    public RetireStatus prepare(HostPort storage) {
        try (FdfsClient c = client(storage)) {
            return c.storage().prepareRetirement(storage);
        }
    }

    /** KFDFS_RETIRE LEAVE: the storage stops reporting and syncing, marks its data retired and exits. */
    public void leave(HostPort storage) {
        try (FdfsClient c = client(storage)) {
            c.storage().retirementStep(storage, RetireRequest.LEAVE);
        }
    }

    /** KFDFS_RETIRE CANCEL: the storage takes uploads again (a scale-in called off). */
    public void cancel(HostPort storage) {
        try (FdfsClient c = client(storage)) {
            c.storage().retirementStep(storage, RetireRequest.CANCEL);
        }
    }

    /** 93 on one tracker; a storage the tracker still sees serving is answered EBUSY: try again later. */
    public Deletion delete(HostPort tracker, String group, String storageId) {
        try (FdfsClient c = client(tracker)) {
            c.tracker().only(tracker).deleteStorage(group, storageId);
            return Deletion.DONE;
        } catch (FdfsException e) {
            if (e.status() == Status.EALREADY || e.status() == Status.ENOENT) {
                return Deletion.DONE;
            }
            if (e.status() == Status.EBUSY) {
                return Deletion.STILL_SERVING;
            }
            throw e;
        }
    }

    private FdfsClient client(HostPort server) {
        return FdfsClient.create(ClientSettings.builder().tracker(server).connectTimeout(timeout)
                .networkTimeout(timeout).build());
    }

    /** A storage's reasons, one line. */
    public static String reasons(RetireStatus s) {
        return s.reasons().isEmpty() ? "not ready" : String.join("; ", s.reasons());
    }
}
