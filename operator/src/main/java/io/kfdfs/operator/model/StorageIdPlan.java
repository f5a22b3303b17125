package io.kfdfs.operator.model;

import io.kfdfs.operator.api.StorageGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage IDs. FastDFS writes a storage's ID into the names of the files uploaded to it
 * ({@code id_type_in_filename = id}), so an ID must never change and never be given to another storage.
 * Each FastDFS group of a cluster gets a block of {@value #BLOCK_SIZE} IDs, recorded in the cluster's
 * status; ordinal n of the group is {@code 100001 + 100 x block + n}. Blocks go to groups in the order the
 * groups were created, each the next never used, so a group removed and another added never share IDs,
 * and a group re-created under the same FastDFS name (on its kept volumes) gets its IDs back.
 */
public final class StorageIdPlan {

    public static final int FIRST_ID = 100001;
    public static final int BLOCK_SIZE = 100;
    /** FastDFS's largest storage ID (a 24-bit number in IP-mode file names; Identity checks it). */
    public static final int MAX_ID = 16_777_215;

    /** One line of storage_ids.conf. */
    public record Member(int id, String group, String host) {
    }

    private StorageIdPlan() {
    }

    public static int base(int block) {
        return FIRST_ID + BLOCK_SIZE * block;
    }

    /**
     * The blocks after giving one to every group in {@code groups} that has none, none below {@code firstBlock};
     * {@code known} is kept as it is (blocks of deleted groups stay taken).
     */
    public static Map<String, Integer> allocate(Map<String, Integer> known, Collection<StorageGroup> groups, int firstBlock) {
        Map<String, Integer> blocks = new LinkedHashMap<>(known);
        int next = Math.max(firstBlock, blocks.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1);
        List<StorageGroup> byAge = new ArrayList<>(groups);
        byAge.sort(Comparator.comparing((StorageGroup g) -> g.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(g -> g.getMetadata().getName()));
        for (StorageGroup g : byAge) {
            String name = g.getSpec().groupName;
            if (name != null && !blocks.containsKey(name) && base(next) + BLOCK_SIZE - 1 <= MAX_ID) {
                blocks.put(name, next++);
            }
        }
        return blocks;
    }

    /** The first block whose IDs are all above {@code taken} (a joined cluster's IDs; non-numeric ones take none). */
    public static int firstBlockAbove(Collection<String> taken) {
        long highest = taken.stream().filter(id -> id.matches("[0-9]{1,9}")).mapToLong(Long::parseLong).max().orElse(0);
        return highest < FIRST_ID ? 0 : (int) ((highest - FIRST_ID) / BLOCK_SIZE + 1);
    }

    /** Every member of {@code g} up to {@code count} ordinals, with its pod's DNS name. */
    public static List<Member> members(StorageGroup g, int block, int count, String clusterDomain) {
        List<Member> members = new ArrayList<>();
        for (int ordinal = 0; ordinal < count; ordinal++) {
            members.add(new Member(base(block) + ordinal, g.getSpec().groupName, Names.podHost(g, ordinal, clusterDomain)));
        }
        return members;
    }
}
