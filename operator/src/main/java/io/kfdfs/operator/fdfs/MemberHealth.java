package io.kfdfs.operator.fdfs;

/**
 * One storage of a group as the trackers report it, merged over every tracker that answered.
 *
 * @param state            its FastDFS state if every answering tracker agrees, else the first that differs
 *                         from ACTIVE (the leader's first); MISSING when an answering tracker does not list it
 * @param activeEverywhere ACTIVE on every tracker that answered (and at least one answered)
 * @param syncDelaySeconds its peers' newest change minus what it has received from them, the largest any
 *                         tracker computes; null when unknown (it has not reported any sync yet)
 */
public record MemberHealth(String id, String ip, String state, boolean activeEverywhere, long freeMb, long totalMb,
                           Long syncDelaySeconds, long lastHeartbeat) {

    /** ACTIVE everywhere and behind its peers by at most {@code maxDelaySeconds}. */
    public boolean caughtUp(long maxDelaySeconds) {
        return activeEverywhere && (syncDelaySeconds == null || syncDelaySeconds <= maxDelaySeconds);
    }
}
