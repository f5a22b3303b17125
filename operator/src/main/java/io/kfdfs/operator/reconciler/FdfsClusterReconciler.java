package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.FdfsClusterStatus;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.fdfs.TrackerPod;
import io.kfdfs.operator.fdfs.TrackerReader;
import io.kfdfs.operator.fdfs.TrackerReport;
import io.kfdfs.operator.model.ConfFiles;
import io.kfdfs.operator.model.Defaults;
import io.kfdfs.operator.model.Labels;
import io.kfdfs.operator.model.Names;
import io.kfdfs.operator.model.Specs;
import io.kfdfs.operator.model.StorageIdPlan;
import io.kfdfs.operator.model.TrackerModel;
import io.kfdfs.protocol.tracker.GroupStat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles a {@link FdfsCluster}: a valid tracker config, storage IDs for every group, the trackers'
 * objects (with storage_ids.conf listing every member of every group), what the trackers report, status.
 */
@ControllerConfiguration(name = "fdfscluster")
public final class FdfsClusterReconciler implements Reconciler<FdfsCluster> {

    private static final Duration BUSY = Duration.ofSeconds(3);
    private static final Duration IDLE = Duration.ofSeconds(15);

    private final Defaults defaults;
    private final TrackerReader trackers;
    private final ReconcileMetrics metrics;
    private final EventRecorder events;

    public FdfsClusterReconciler(Defaults defaults, TrackerReader trackers, ReconcileMetrics metrics, EventRecorder events) {
        this.defaults = defaults;
        this.trackers = trackers;
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public List<EventSource<?, FdfsCluster>> prepareEventSources(EventSourceContext<FdfsCluster> context) {
        List<EventSource<?, FdfsCluster>> sources = EventSources.madeAndPods(FdfsCluster.class, Labels.TRACKER,
                Labels.INSTANCE, List.of(Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class), context);
        // a group added, scaled or removed changes storage_ids.conf and the status
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(StorageGroup.class, FdfsCluster.class)
                .withName("groups")
                .withSecondaryToPrimaryMapper(g -> g.getSpec().cluster == null ? Set.of()
                        : Set.of(new ResourceID(g.getSpec().cluster, g.getMetadata().getNamespace())))
                .build(), context));
        return sources;
    }

    @Override
    public UpdateControl<FdfsCluster> reconcile(FdfsCluster cached, Context<FdfsCluster> context) throws Exception {
        return metrics.time("FdfsCluster", () -> {
            // the storage ID blocks live in the status: read the stored one, which the cache can lag behind
            FdfsCluster cluster = Kube.cluster(context.getClient(), cached.getMetadata().getNamespace(),
                    cached.getMetadata().getName());
            return cluster == null ? UpdateControl.<FdfsCluster>noUpdate() : reconcile(cluster, context.getClient());
        });
    }

    private UpdateControl<FdfsCluster> reconcile(FdfsCluster cluster, KubernetesClient client) {
        FdfsClusterStatus status = cluster.getStatus() != null ? cluster.getStatus() : new FdfsClusterStatus();
        cluster.setStatus(status);
        Long generation = cluster.getMetadata().getGeneration();
        List<StorageGroup> groups = Kube.groups(client, cluster);
        status.storageIdBlocks = StorageIdPlan.allocate(status.storageIdBlocks, groups, StorageIdPlan.firstBlockAbove(
                ConfFiles.joinedIds(cluster).stream().map(StorageIds.Entry::id).toList()));
        String problem = ConfFiles.trackerConfigProblem(cluster);
        if (problem != null) {
            events.record(cluster, EventRecorder.WARNING, "InvalidSpec", problem);
        } else if (!cluster.getSpec().paused) {
            applyTrackers(cluster, client, groups);
        }
        List<TrackerPod> pods = Kube.trackerPods(client, cluster);
        List<TrackerReport> reports = trackers.read(pods, cluster.getSpec().trackers.port);
        observe(cluster, status, reports, groups);

        Deployment d = client.apps().deployments().inNamespace(cluster.getMetadata().getNamespace())
                .withName(Names.tracker(cluster)).get();
        int desired = cluster.getSpec().trackers.replicas;
        int ready = d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
        boolean trackersUp = ready >= desired && reports.stream().filter(TrackerReport::answered).count() >= desired
                && status.leader != null;
        boolean groupsUp = groups.stream().allMatch(g -> g.getStatus() != null
                && Conditions.isTrue(g.getStatus().conditions, Conditions.READY));
        status.trackersReady = ready + "/" + desired;
        status.groupsReady = groups.stream().filter(g -> g.getStatus() != null
                && Conditions.isTrue(g.getStatus().conditions, Conditions.READY)).count() + "/" + groups.size();
        String waiting = problem != null ? problem
                : cluster.getSpec().paused ? "paused"
                : !trackersUp ? "trackers: " + status.trackersReady + " ready, " + reports.stream().filter(TrackerReport::answered).count()
                        + " answering" + (status.leader == null ? ", no leader yet" : "")
                : !groupsUp ? "groups: " + status.groupsReady + " ready"
                : null;
        String reason = problem != null ? "InvalidSpec" : cluster.getSpec().paused ? "Paused"
                : !trackersUp ? "TrackersNotReady" : !groupsUp ? "GroupsNotReady" : "Ready";
        Conditions.set(status.conditions, Conditions.READY, waiting == null, reason,
                waiting == null ? status.trackersReady + " trackers, " + status.groupsReady + " groups ready" : waiting, generation);
        Conditions.set(status.conditions, Conditions.PROGRESSING, waiting != null && problem == null && !cluster.getSpec().paused,
                reason, waiting, generation);
        boolean degraded = problem != null || (!pods.isEmpty() && reports.stream().noneMatch(TrackerReport::answered));
        Conditions.set(status.conditions, Conditions.DEGRADED, degraded, degraded ? (problem != null ? "InvalidSpec" : "TrackersUnreachable")
                : "AsDesired", degraded ? waiting : null, generation);
        status.observedGeneration = generation;
        return StatusWriter.replace(client, cluster, waiting == null ? IDLE : BUSY);
    }

    /** Config maps, services, the Deployment and its PodDisruptionBudget. */
    private void applyTrackers(FdfsCluster cluster, KubernetesClient client, List<StorageGroup> groups) {
        TrackerModel model = new TrackerModel(cluster, defaults);
        Apply apply = new Apply(client);
        apply.apply(model.config());
        apply.apply(model.storageIds(members(cluster, client, groups)));
        apply.apply(model.service());
        apply.apply(model.headlessService());
        apply.apply(model.deployment());
        Optional<PodDisruptionBudget> pdb = model.pdb();
        if (pdb.isPresent()) {
            apply.apply(pdb.get());
        } else {
            client.policy().v1().podDisruptionBudget().inNamespace(cluster.getMetadata().getNamespace())
                    .withName(Names.tracker(cluster)).delete();
        }
    }

    /**
     * Every member of every group with storage IDs: as many as its spec asks or its StatefulSet still has
     * (a member being retired stays listed until it is gone).
     */
    private List<StorageIdPlan.Member> members(FdfsCluster cluster, KubernetesClient client, List<StorageGroup> groups) {
        List<StorageIdPlan.Member> members = new ArrayList<>();
        if (Specs.ipMode(cluster)) {
            return members;
        }
        Map<String, Integer> blocks = cluster.getStatus().storageIdBlocks;
        for (StorageGroup g : groups) {
            Integer block = blocks.get(g.getSpec().groupName);
            if (block == null || !g.getMetadata().getName().equals(owner(groups, g.getSpec().groupName))) {
                continue;
            }
            StatefulSet sts = client.apps().statefulSets().inNamespace(g.getMetadata().getNamespace())
                    .withName(Names.group(g)).get();
            int count = Math.max(g.getSpec().replicas, sts == null ? 0 : sts.getSpec().getReplicas());
            members.addAll(StorageIdPlan.members(g, block, Math.min(count, StorageIdPlan.BLOCK_SIZE), defaults.clusterDomain()));
        }
        return members;
    }

    /** The StorageGroup that has a FastDFS group name: the oldest that names it (the others are refused). */
    private static String owner(List<StorageGroup> groups, String groupName) {
        return groups.stream().filter(g -> groupName.equals(g.getSpec().groupName)).findFirst()
                .map(g -> g.getMetadata().getName()).orElse(null);
    }

    private static void observe(FdfsCluster cluster, FdfsClusterStatus status, List<TrackerReport> reports,
                                List<StorageGroup> groups) {
        int port = cluster.getSpec().trackers.port;
        status.trackers = new ArrayList<>();
        status.leader = null;
        for (TrackerReport r : reports) {
            FdfsClusterStatus.TrackerState t = new FdfsClusterStatus.TrackerState();
            t.pod = r.pod().name();
            t.ip = r.pod().ip();
            t.ready = r.pod().ready();
            t.leader = r.leads(port);
            t.error = r.error();
            status.trackers.add(t);
            if (t.leader) {
                status.leader = r.leader();
            }
        }
        List<String> named = reports.stream().filter(TrackerReport::answered).map(TrackerReport::leader).distinct().toList();
        if (status.leader == null && cluster.getSpec().join != null && named.size() == 1 && named.get(0) != null) {
            // a tracker of the joined cluster leads, as every tracker of the operator's agrees
            status.leader = named.get(0);
        }
        TrackerReport source = reports.stream().filter(r -> r.leads(port)).findFirst()
                .or(() -> reports.stream().filter(TrackerReport::answered).findFirst()).orElse(null);
        status.groups = new ArrayList<>();
        for (StorageGroup g : groups) {
            FdfsClusterStatus.GroupSummary s = new FdfsClusterStatus.GroupSummary();
            s.name = g.getSpec().groupName;
            s.storageGroup = g.getMetadata().getName();
            s.desiredMembers = g.getSpec().replicas;
            s.activeMembers = g.getStatus() == null ? 0 : g.getStatus().activeMembers;
            if (source != null) {
                for (GroupStat stat : source.groups()) {
                    if (stat.group().equals(s.name)) {
                        s.freeBytes = stat.freeMb() << 20;
                        s.totalBytes = stat.totalMb() << 20;
                    }
                }
            }
            status.groups.add(s);
        }
    }
}
