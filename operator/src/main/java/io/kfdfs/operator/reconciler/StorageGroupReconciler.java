package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kfdfs.client.FdfsException;
import io.kfdfs.conf.HostPort;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorageGroupStatus;
import io.kfdfs.operator.fdfs.GroupHealth;
import io.kfdfs.operator.fdfs.MemberHealth;
import io.kfdfs.operator.fdfs.Retirer;
import io.kfdfs.operator.fdfs.TrackerPod;
import io.kfdfs.operator.fdfs.TrackerReader;
import io.kfdfs.operator.fdfs.TrackerReport;
import io.kfdfs.operator.model.ConfFiles;
import io.kfdfs.operator.model.Defaults;
import io.kfdfs.operator.model.Labels;
import io.kfdfs.operator.model.Names;
import io.kfdfs.operator.model.Specs;
import io.kfdfs.operator.model.StorageGroupModel;
import io.kfdfs.operator.model.StorageIdPlan;
import io.kfdfs.protocol.storage.RetireStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reconciles a {@link StorageGroup}: its cluster, a valid spec, its storage IDs, the desired objects, what
 * Kubernetes and the trackers show, one step of scale or rolling update ({@link GroupSteps}), status.
 */
@ControllerConfiguration(name = "storagegroup")
public final class StorageGroupReconciler implements Reconciler<StorageGroup> {

    private static final System.Logger LOG = System.getLogger(StorageGroupReconciler.class.getName());
    private static final Duration BUSY = Duration.ofSeconds(3);
    private static final Duration IDLE = Duration.ofSeconds(15);

    private final Defaults defaults;
    private final TrackerReader trackers;
    private final Retirer retirer;
    private final ReconcileMetrics metrics;
    private final EventRecorder events;

    public StorageGroupReconciler(Defaults defaults, TrackerReader trackers, Retirer retirer, ReconcileMetrics metrics,
                                  EventRecorder events) {
        this.defaults = defaults;
        this.trackers = trackers;
        this.retirer = retirer;
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public List<EventSource<?, StorageGroup>> prepareEventSources(EventSourceContext<StorageGroup> context) {
        List<EventSource<?, StorageGroup>> sources = EventSources.madeAndPods(StorageGroup.class, Labels.STORAGE,
                Labels.STORAGE_GROUP, List.of(StatefulSet.class, Service.class, ConfigMap.class, PodDisruptionBudget.class),
                context);
        // a cluster created, changed (image, defaults) or given storage IDs moves its groups on
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(FdfsCluster.class, StorageGroup.class)
                .withName("clusters")
                .withSecondaryToPrimaryMapper(c -> context.getPrimaryCache().list(c.getMetadata().getNamespace())
                        .filter(g -> c.getMetadata().getName().equals(g.getSpec().cluster))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context));
        return sources;
    }

    @Override
    public UpdateControl<StorageGroup> reconcile(StorageGroup cached, Context<StorageGroup> context) throws Exception {
        return metrics.time("StorageGroup", () -> {
            // the status is this reconciler's memory between steps (a retirement under way): read the
            // stored one, which the informer's cache can lag behind
            StorageGroup group = context.getClient().resources(StorageGroup.class)
                    .inNamespace(cached.getMetadata().getNamespace()).withName(cached.getMetadata().getName()).get();
            return group == null ? UpdateControl.<StorageGroup>noUpdate() : new Run(group, context.getClient()).reconcile();
        });
    }

    /** One reconcile of one group. */
    private final class Run {

        private final StorageGroup group;
        private final KubernetesClient client;
        private final StorageGroupStatus status;
        private FdfsCluster cluster;
        /** The group's pods, as observed this reconcile: in IP mode a member is known by its pod's IP. */
        private List<GroupSteps.Pod> observedPods = List.of();

        Run(StorageGroup group, KubernetesClient client) {
            this.group = group;
            this.client = client;
            this.status = group.getStatus() != null ? group.getStatus() : new StorageGroupStatus();
            group.setStatus(status);
        }

        UpdateControl<StorageGroup> reconcile() {
            cluster = Kube.cluster(client, group.getMetadata().getNamespace(), group.getSpec().cluster);
            if (cluster == null) {
                return waiting("ClusterNotFound", "FdfsCluster " + group.getSpec().cluster + " does not exist (yet)");
            }
            adoptByCluster();
            String problem = specProblem();
            if (problem != null) {
                events.record(group, EventRecorder.WARNING, "InvalidSpec", problem);
                Conditions.set(status.conditions, Conditions.DEGRADED, true, "InvalidSpec", problem, generation());
                Conditions.set(status.conditions, Conditions.READY, false, "InvalidSpec", problem, generation());
                Conditions.set(status.conditions, Conditions.PROGRESSING, false, "InvalidSpec", problem, generation());
                return done(IDLE);
            }
            Integer block = cluster.getStatus() == null ? null : cluster.getStatus().storageIdBlocks.get(group.getSpec().groupName);
            if (block == null && !Specs.ipMode(cluster)) {
                return waiting("WaitingForStorageIds", "the FdfsCluster has not given group " + group.getSpec().groupName
                        + " its storage IDs yet");
            }
            status.storageIdBase = Specs.ipMode(cluster) ? null : StorageIdPlan.base(block);
            if (status.storePathCount == null) {
                status.storePathCount = Specs.storePaths(cluster, group).size();
            }
            StorageGroupModel model = new StorageGroupModel(cluster, group, defaults);
            Apply apply = new Apply(client);
            if (!cluster.getSpec().paused) {
                apply.apply(model.config());
                apply.apply(model.headlessService());
                apply.apply(model.pdb());
            }
            StatefulSet sts = client.apps().statefulSets().inNamespace(ns()).withName(Names.group(group)).get();
            // a new group starts empty and scales out like any other: its members wait for their storage IDs
            int current = sts == null ? 0 : sts.getSpec().getReplicas();
            List<TrackerPod> trackerPods = Kube.trackerPods(client, cluster);
            List<TrackerReport> reports = trackers.read(trackerPods, cluster.getSpec().trackers.port);
            GroupHealth health = GroupHealth.of(group.getSpec().groupName, reports, cluster.getSpec().trackers.port);
            List<Pod> pods = client.pods().inNamespace(ns()).withLabels(Labels.groupSelector(group)).list().getItems();
            GroupSteps.Observed observed = observe(sts, current, pods, health);
            GroupSteps.Step step = cluster.getSpec().paused ? new GroupSteps.Hold("paused") : GroupSteps.next(observed);
            String waitingFor = cluster.getSpec().paused ? "paused" : take(step, observed, model, apply, trackerPods);
            writeStatus(observed, pods, health, reports, step, waitingFor);
            return done(step instanceof GroupSteps.Hold h && h.waitingFor() == null ? IDLE : BUSY);
        }

        /** Deleting the cluster deletes its groups (and through them their pods), as it deletes its trackers. */
        private void adoptByCluster() {
            if (Kube.ownedBy(group, cluster)) {
                return;
            }
            try {
                client.resources(StorageGroup.class).inNamespace(ns()).withName(group.getMetadata().getName()).edit(g -> {
                    g.getMetadata().getOwnerReferences().add(new OwnerReferenceBuilder()
                            .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                            .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid()).build());
                    return g;
                });
            } catch (KubernetesClientException e) {
                LOG.log(System.Logger.Level.WARNING, "StorageGroup " + ns() + "/" + group.getMetadata().getName()
                        + ": cannot add its cluster as owner: " + e.getMessage());
            }
        }

        /** What Kubernetes cannot check itself (the mock server checks nothing), or null. */
        private String specProblem() {
            String name = group.getSpec().groupName;
            if (name == null || !name.matches("[A-Za-z0-9]{1,16}")) {
                return "groupName \"" + name + "\" is not 1-16 letters or digits";
            }
            if (group.getSpec().replicas < 1 || group.getSpec().replicas > StorageIdPlan.BLOCK_SIZE) {
                return "replicas " + group.getSpec().replicas + " is not in 1.." + StorageIdPlan.BLOCK_SIZE;
            }
            StatefulSet sts = client.apps().statefulSets().inNamespace(ns()).withName(Names.group(group)).get();
            String created = sts == null ? null : sts.getMetadata().getLabels().get(Labels.GROUP);
            if (created != null && !created.equals(name)) {
                return "groupName cannot change: this group was created as " + created;
            }
            int paths = Specs.storePaths(cluster, group).size();
            if (status.storePathCount != null && status.storePathCount != paths) {
                return "the number of store paths cannot change: created with " + status.storePathCount + ", now " + paths;
            }
            for (StorageGroup other : Kube.groups(client, cluster)) {
                if (other == group || other.getMetadata().getName().equals(group.getMetadata().getName())) {
                    break;
                }
                if (name.equals(other.getSpec().groupName)) {
                    return "group " + name + " is already StorageGroup " + other.getMetadata().getName() + "'s";
                }
            }
            return ConfFiles.storageConfigProblem(cluster, group);
        }

        private GroupSteps.Observed observe(StatefulSet sts, int current, List<Pod> pods, GroupHealth health) {
            String revision = sts == null || sts.getStatus() == null ? null : sts.getStatus().getUpdateRevision();
            observedPods = new ArrayList<>();
            for (Pod p : pods) {
                if (p.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                int ordinal = ordinalOf(p);
                String podRevision = p.getMetadata().getLabels().get(Labels.REVISION);
                observedPods.add(new GroupSteps.Pod(ordinal, p.getStatus() == null ? null : p.getStatus().getPodIP(),
                        Kube.ready(p), revision == null || revision.equals(podRevision)));
            }
            Map<Integer, MemberHealth> members = new HashMap<>();
            for (MemberHealth m : health.members()) {
                int ordinal = ordinalOf(m);
                if (ordinal >= 0 && !m.state().equals("DELETED")) {
                    members.put(ordinal, m);
                }
            }
            GroupSteps.Retiring retiring = status.retiring == null ? null : new GroupSteps.Retiring(
                    ordinalOf(status.retiring.pod), status.retiring.storageId, status.retiring.step);
            return new GroupSteps.Observed(group.getSpec().replicas, current, observedPods, members, retiring, listedIds());
        }

        /** Ordinals of this group in the trackers' storage_ids.conf, as the cluster's reconciler wrote it. */
        private int listedIds() {
            if (Specs.ipMode(cluster)) {
                return StorageIdPlan.BLOCK_SIZE;
            }
            ConfigMap ids = client.configMaps().inNamespace(ns()).withName(Names.storageIds(cluster)).get();
            String text = ids == null || ids.getData() == null ? null : ids.getData().get(Names.STORAGE_IDS_CONF);
            if (text == null) {
                return 0;
            }
            int listed = 0;
            while (listed < StorageIdPlan.BLOCK_SIZE && text.contains("\n" + id(listed) + " " + group.getSpec().groupName + " ")) {
                listed++;
            }
            return listed;
        }

        private int ordinalOf(Pod p) {
            return ordinalOf(p.getMetadata().getName());
        }

        private int ordinalOf(String podName) {
            return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
        }

        /** The ordinal of a member the trackers list, -1 if it is not one of the pods (a joined cluster's member). */
        private int ordinalOf(MemberHealth m) {
            if (Specs.ipMode(cluster)) {
                return observedPods.stream().filter(p -> m.ip().equals(p.ip())).mapToInt(GroupSteps.Pod::ordinal)
                        .findFirst().orElse(-1);
            }
            try {
                int ordinal = Integer.parseInt(m.id()) - status.storageIdBase;
                return ordinal >= 0 && ordinal < StorageIdPlan.BLOCK_SIZE ? ordinal : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The storage ID of an ordinal; in IP mode its pod's IP (null while it has none), kept while it retires. */
        private String id(int ordinal) {
            if (!Specs.ipMode(cluster)) {
                return String.valueOf(status.storageIdBase + ordinal);
            }
            if (status.retiring != null && status.retiring.storageId != null && ordinalOf(status.retiring.pod) == ordinal) {
                return status.retiring.storageId;
            }
            return observedPods.stream().filter(p -> p.ordinal() == ordinal).findFirst().map(GroupSteps.Pod::ip).orElse(null);
        }

        /** Takes {@code step}; returns what the group waits for afterwards (null: nothing). */
        private String take(GroupSteps.Step step, GroupSteps.Observed o, StorageGroupModel model, Apply apply,
                            List<TrackerPod> trackerPods) {
            int replicas = step instanceof GroupSteps.ScaleTo s ? s.replicas() : o.current();
            if (step instanceof GroupSteps.ScaleTo s && s.replicas() != o.current()) {
                events.record(group, EventRecorder.NORMAL, s.replicas() > o.current() ? "ScalingOut" : "ScalingIn",
                        "StatefulSet " + Names.group(group) + " from " + o.current() + " to " + s.replicas() + " members");
            }
            apply.apply(model.statefulSet(replicas));
            if (step instanceof GroupSteps.Hold h) {
                return h.waitingFor();
            }
            if (step instanceof GroupSteps.ScaleTo s) {
                return s.replicas() > o.current() ? "new members to join and sync" : null;
            }
            if (step instanceof GroupSteps.Prepare p) {
                return prepare(p.ordinal(), o, model, apply);
            }
            if (step instanceof GroupSteps.DeleteOnTrackers d) {
                return deleteOnTrackers(d.ordinal(), trackerPods);
            }
            if (step instanceof GroupSteps.Cancel c) {
                return cancel(c.ordinal(), o);
            }
            return replace(((GroupSteps.Replace) step).ordinal());
        }

        private String prepare(int ordinal, GroupSteps.Observed o, StorageGroupModel model, Apply apply) {
            HostPort address = address(ordinal, o);
            setRetiring(ordinal, GroupSteps.Retiring.PREPARING, null);
            if (address == null) {
                return retiringWait("member " + ordinal + " has no address to be asked at");
            }
            try {
                RetireStatus answer = retirer.prepare(address);
                if (!answer.ready()) {
                    return retiringWait("its peers to receive all its changes: " + Retirer.reasons(answer));
                }
                retirer.leave(address);
            } catch (FdfsException e) {
                return retiringWait("member " + id(ordinal) + " at " + address + " to answer: " + e.getMessage());
            }
            events.record(group, EventRecorder.NORMAL, "MemberRetired", "storage " + id(ordinal) + " (" + Names.pod(group, ordinal)
                    + ") has left: every other member has its changes; shrinking the StatefulSet to " + ordinal);
            setRetiring(ordinal, GroupSteps.Retiring.LEFT, null);
            // at once: the retired storage exits, and its container would be started again
            apply.apply(model.statefulSet(ordinal));
            return "member " + id(ordinal) + " to be deleted on every tracker";
        }

        private String retiringWait(String reason) {
            status.retiring.waitingFor = reason;
            events.record(group, EventRecorder.NORMAL, "ScaleInWaiting", "storage " + status.retiring.storageId
                    + " stays until " + reason);
            return "scale-in: storage " + status.retiring.storageId + " waits for " + reason;
        }

        private String deleteOnTrackers(int ordinal, List<TrackerPod> trackerPods) {
            List<String> serving = new ArrayList<>();
            for (TrackerPod t : trackerPods) {
                if (t.ip() == null) {
                    continue;
                }
                try {
                    if (retirer.delete(new HostPort(t.ip(), cluster.getSpec().trackers.port), group.getSpec().groupName,
                            id(ordinal)) == Retirer.Deletion.STILL_SERVING) {
                        serving.add(t.name());
                    }
                } catch (FdfsException e) {
                    serving.add(t.name() + " (" + e.getMessage() + ")");
                }
            }
            if (!serving.isEmpty()) {
                status.retiring.waitingFor = "trackers " + String.join(", ", serving) + " to see it offline";
                return "scale-in: deleting storage " + id(ordinal) + " on the trackers";
            }
            events.record(group, EventRecorder.NORMAL, "ScaledIn", "storage " + id(ordinal) + " deleted on every tracker");
            status.retiring = null;
            return null;
        }

        private String cancel(int ordinal, GroupSteps.Observed o) {
            HostPort address = address(ordinal, o);
            try {
                if (address != null) {
                    retirer.cancel(address);
                }
            } catch (FdfsException e) {
                LOG.log(System.Logger.Level.WARNING, "StorageGroup " + ns() + "/" + group.getMetadata().getName()
                        + ": storage " + id(ordinal) + " not made writable again: " + e.getMessage());
            }
            events.record(group, EventRecorder.NORMAL, "ScaleInCancelled", "storage " + id(ordinal) + " stays and takes uploads again");
            status.retiring = null;
            return null;
        }

        private String replace(int ordinal) {
            events.record(group, EventRecorder.NORMAL, "RollingUpdate", "replacing pod " + Names.pod(group, ordinal)
                    + " (every member ACTIVE and caught up)");
            client.pods().inNamespace(ns()).withName(Names.pod(group, ordinal)).delete();
            return "pod " + Names.pod(group, ordinal) + " to come back updated";
        }

        private HostPort address(int ordinal, GroupSteps.Observed o) {
            GroupSteps.Pod p = o.pod(ordinal);
            String ip = p != null && p.ip() != null ? p.ip()
                    : o.members().containsKey(ordinal) ? o.members().get(ordinal).ip() : null;
            return ip == null ? null : new HostPort(ip, Names.STORAGE_PORT);
        }

        private void setRetiring(int ordinal, String step, String waitingFor) {
            StorageGroupStatus.Retirement r = new StorageGroupStatus.Retirement();
            r.storageId = id(ordinal);
            r.pod = Names.pod(group, ordinal);
            r.step = step;
            r.waitingFor = waitingFor;
            status.retiring = r;
        }

        private void writeStatus(GroupSteps.Observed o, List<Pod> pods, GroupHealth health, List<TrackerReport> reports,
                                 GroupSteps.Step step, String waitingFor) {
            status.observedGeneration = generation();
            status.members = new ArrayList<>();
            long minFree = Long.MAX_VALUE;
            int active = 0;
            for (int ordinal = 0; ordinal < Math.max(o.current(), o.desired()); ordinal++) {
                StorageGroupStatus.Member m = new StorageGroupStatus.Member();
                m.storageId = id(ordinal);
                m.pod = Names.pod(group, ordinal);
                GroupSteps.Pod p = o.pod(ordinal);
                m.podReady = p != null && p.ready();
                m.updated = p != null && p.updated();
                m.ip = p == null ? null : p.ip();
                MemberHealth h = m.storageId == null ? null : health.member(m.storageId).orElse(null);
                m.state = h == null ? GroupHealth.MISSING : h.state();
                if (h != null) {
                    m.freeBytes = h.freeMb() << 20;
                    m.totalBytes = h.totalMb() << 20;
                    m.syncDelaySeconds = h.syncDelaySeconds();
                    m.lastHeartbeat = h.lastHeartbeat();
                    active += h.activeEverywhere() ? 1 : 0;
                    minFree = h.activeEverywhere() ? Math.min(minFree, h.freeMb()) : minFree;
                }
                status.members.add(m);
            }
            status.activeMembers = active;
            status.replicas = o.current();
            status.free = minFree == Long.MAX_VALUE ? null : humanMb(minFree);
            boolean trackersAnswer = reports.stream().anyMatch(TrackerReport::answered);
            boolean whole = o.current() == o.desired() && status.retiring == null
                    && GroupSteps.firstNotCaughtUp(o) == null && o.pods().stream().allMatch(GroupSteps.Pod::updated);
            String reason = reason(step, o);
            Conditions.set(status.conditions, Conditions.READY, whole && trackersAnswer, whole && trackersAnswer ? "AllMembersActive" : reason,
                    whole ? active + "/" + o.desired() + " members ACTIVE and caught up on every tracker" : waitingFor, generation());
            Conditions.set(status.conditions, Conditions.PROGRESSING, waitingFor != null && !(step instanceof GroupSteps.Hold),
                    reason, waitingFor, generation());
            String degraded = !trackersAnswer ? "no tracker answered: " + reports.stream().map(TrackerReport::error)
                    .filter(Objects::nonNull).findFirst().orElse("no tracker pods")
                    : step instanceof GroupSteps.Hold && waitingFor != null && !cluster.getSpec().paused ? waitingFor : null;
            Conditions.set(status.conditions, Conditions.DEGRADED, degraded != null,
                    degraded == null ? "AsDesired" : trackersAnswer ? "MembersNotActive" : "TrackersUnreachable", degraded, generation());
        }

        private String reason(GroupSteps.Step step, GroupSteps.Observed o) {
            if (cluster.getSpec().paused) {
                return "Paused";
            }
            if (status.retiring != null || o.desired() < o.current()) {
                return "ScalingIn";
            }
            if (o.desired() > o.current() || step instanceof GroupSteps.ScaleTo) {
                return "ScalingOut";
            }
            if (step instanceof GroupSteps.Replace || o.pods().stream().anyMatch(p -> !p.updated())) {
                return "RollingUpdate";
            }
            return "WaitingForMembers";
        }

        private UpdateControl<StorageGroup> waiting(String reason, String message) {
            Conditions.set(status.conditions, Conditions.READY, false, reason, message, generation());
            Conditions.set(status.conditions, Conditions.PROGRESSING, true, reason, message, generation());
            status.observedGeneration = generation();
            return done(BUSY);
        }

        private UpdateControl<StorageGroup> done(Duration again) {
            return StatusWriter.replace(client, group, again);
        }

        private Long generation() {
            return group.getMetadata().getGeneration();
        }

        private String ns() {
            return group.getMetadata().getNamespace();
        }
    }

    static String humanMb(long mb) {
        return mb >= 1024 ? String.format(java.util.Locale.ROOT, "%.1fGi", mb / 1024.0) : mb + "Mi";
    }
}
