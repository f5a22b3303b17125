package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.operator.model.Hashes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kubelet whose containers are processes: each pod the controllers make becomes an OS process started from
 * the built modules (the image's name says which: {@code *kfdfs-tracker*}, {@code *kfdfs-storage*}), with
 * its own loopback address as pod IP, the env of its spec (downward API fields, Secret keys, {@code $(VAR)}),
 * and its volumes mounted at the paths of its spec in a private mount namespace ({@code unshare -m} and bind
 * mounts), so that the configs the operator writes, with their absolute paths, run unchanged: ConfigMap and
 * Secret volumes are projected as the kubelet does (files behind a {@code ..data} symlink swapped
 * atomically, {@link #CONFIG_DELAY} after the object changed), PVCs are folders that outlive their pods,
 * emptyDirs folders of the pod. HTTP probes drive the Ready condition and restarts; a process that dies is
 * started again (restartPolicy Always, with a growing back-off). Needs root (mount namespaces).
 */
public final class Kubelet implements AutoCloseable {

    static final String READY = "ready";
    static final String NOT_READY = "not ready";
    /** Its pod was deleted: the process is being stopped. */
    static final String STOPPING = "stopping (SIGTERM)";
    /** How long a changed ConfigMap takes to reach a pod's volume (the kubelet's sync period; shortened). */
    static final Duration CONFIG_DELAY = Duration.ofSeconds(2);
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final KubernetesClient client;
    private final Path root;
    private final PodRuntime runtime;
    private final Path hostsFile;
    private final EventLog log;
    private final AddressPool ips;
    private final Map<String, RunningPod> pods = new ConcurrentHashMap<>();
    /** Pods deleted from the API whose processes are still stopping (SIGTERM sent). */
    private final List<RunningPod> stopping = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Claims backed by a size-limited tmpfs (a full disk on demand): claim key -> MiB. */
    private final Map<String, Integer> limitedClaims = new ConcurrentHashMap<>();
    /** Pods whose "node" is gone: killed and not restarted until it is back. */
    private final Set<String> vanished = ConcurrentHashMap.newKeySet();

    Kubelet(KubernetesClient client, Path root, PodRuntime runtime, Path hostsFile, EventLog log, AddressPool ips) {
        this.client = client;
        this.root = root;
        this.runtime = runtime;
        this.hostsFile = hostsFile;
        this.log = log;
        this.ips = ips;
    }

    static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String ip(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPodIP();
    }

    /** One pass: start new pods, stop deleted ones, restart dead ones, probe, project changed volumes. */
    void sync() {
        List<Pod> live = client.pods().inAnyNamespace().list().getItems();
        Map<String, Pod> byUid = new HashMap<>();
        live.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
        for (RunningPod r : List.copyOf(pods.values())) {
            if (!byUid.containsKey(r.uid)) {
                pods.remove(r.uid);
                r.terminate();
                stopping.add(r);
            }
        }
        for (Pod p : live) {
            RunningPod r = pods.get(p.getMetadata().getUid());
            if (r == null) {
                if (stopping.stream().anyMatch(x -> x.namespace.equals(p.getMetadata().getNamespace())
                        && x.name.equals(p.getMetadata().getName()))) {
                    // a StatefulSet member comes back only once its predecessor's container is gone (in
                    // Kubernetes the old pod stays Terminating until then): never two processes on one volume
                    continue;
                }
                r = new RunningPod(p);
                pods.put(r.uid, r);
            }
            r.step(p);
        }
        stopping.removeIf(r -> r.process == null || !r.process.isAlive());
    }

    /** The pod's process id, or -1 when it has none running. */
    public long pid(String namespace, String pod) {
        return find(namespace, pod).map(r -> r.process != null && r.process.isAlive() ? r.process.pid() : -1L).orElse(-1L);
    }

    /** SIGKILL of the pod's process: the kubelet finds it dead and starts it again (its restartCount grows). */
    public void kill(String namespace, String pod) {
        find(namespace, pod).ifPresent(r -> {
            if (r.process != null) {
                r.process.destroyForcibly();
                log.record(pod, "killed (SIGKILL)");
            }
        });
    }

    /** SIGSTOP of the pod's process: it holds its sockets and answers nothing (a hung or partitioned pod). */
    public void pause(String namespace, String pod) {
        signal(namespace, pod, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(String namespace, String pod) {
        signal(namespace, pod, "CONT");
    }

    private void signal(String namespace, String pod, String signal) {
        long pid = pid(namespace, pod);
        if (pid < 0 || run("kill", "-" + signal, Long.toString(pid)) != 0) {
            throw new IllegalStateException("cannot send SIG" + signal + " to pod " + pod + " (pid " + pid + ")");
        }
        log.record(pod, "SIG" + signal + " to pid " + pid + ", now " + state(pid));
    }

    /** The process state letter of /proc/<pid>/stat (R, S, T for stopped, ...). */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    /** The pods' "node" is gone: their processes are killed and stay down until {@link #restore}. */
    public void vanish(String namespace, List<String> names) {
        for (String name : names) {
            vanished.add(namespace + "/" + name);
            kill(namespace, name);
        }
    }

    public void restore(String namespace, List<String> names) {
        names.forEach(n -> vanished.remove(namespace + "/" + n));
    }

    /** Backs the claim with a tmpfs of {@code mib} MiB when it is first mounted (a disk that can fill up). */
    public void limitClaim(String namespace, String claim, int mib) {
        limitedClaims.put(namespace + "/" + claim, mib);
    }

    /** The folder that holds a claim's data (it outlives the pods that mount it). */
    public Path claimDir(String namespace, String claim) {
        return root.resolve("claims").resolve(namespace).resolve(claim);
    }

    private java.util.Optional<RunningPod> find(String namespace, String pod) {
        return pods.values().stream().filter(r -> r.namespace.equals(namespace) && r.name.equals(pod)).findFirst();
    }

    @Override
    public void close() {
        pods.values().forEach(RunningPod::terminate);
        pods.values().forEach(RunningPod::awaitStopped);
        stopping.forEach(RunningPod::awaitStopped);
        pods.clear();
        for (String claim : limitedClaims.keySet()) {
            Path dir = claimDir(claim.substring(0, claim.indexOf('/')), claim.substring(claim.indexOf('/') + 1));
            run("umount", dir.toString());
        }
    }

    /** A pod this kubelet has taken on. */
    private final class RunningPod {

        final String uid;
        final String namespace;
        final String name;
        final Path dir;
        String ip;
        PodProcess.Role role;
        String startProblem;
        Process process;
        int restarts;
        long notBefore;
        boolean ready;
        int livenessFailures;
        int readinessFailures;
        long nextReadiness;
        long nextLiveness;
        long startedAt;
        /** Volume name -> (projected content hash, first time a different content was seen). */
        final Map<String, String> projected = new HashMap<>();
        final Map<String, Long> changedSince = new HashMap<>();
        String lastStatus;

        RunningPod(Pod p) {
            this.uid = p.getMetadata().getUid();
            this.namespace = p.getMetadata().getNamespace();
            this.name = p.getMetadata().getName();
            this.dir = root.resolve("pods").resolve(namespace).resolve(name + "-" + uid.substring(0, 8));
        }

        void step(Pod p) {
            if (ip == null) {
                ip = ips.next();
                role = roleOf(p.getSpec().getContainers().get(0).getImage());
                if (role == null) {
                    startProblem = "the stand-in runs no image " + p.getSpec().getContainers().get(0).getImage();
                }
            }
            long now = System.currentTimeMillis();
            boolean down = process == null || !process.isAlive();
            if (startProblem == null && down && !vanished.contains(namespace + "/" + name) && now >= notBefore) {
                if (process != null) {
                    restarts++;
                    log.record(name, "exited with " + process.exitValue() + ", restarting (" + restarts + ")");
                }
                start(p);
            }
            if (process != null && process.isAlive()) {
                probe(p, now);
                projectChanged(p, now);
            } else if (ready) {
                ready = false;
                log.record(name, NOT_READY);
            }
            writeStatus(p);
        }

        private void start(Pod p) {
            Container c = p.getSpec().getContainers().get(0);
            try {
                Files.createDirectories(dir);
                Map<String, Path> volumes = new LinkedHashMap<>();
                for (Volume v : p.getSpec().getVolumes()) {
                    volumes.put(v.getName(), volume(p, v));
                }
                Map<String, String> env = env(p, c);
                StringBuilder script = new StringBuilder("set -e\n");
                List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
                mounts.sort(Comparator.comparing(m -> m.getMountPath().length()));
                for (VolumeMount m : mounts) {
                    Path source = volumes.get(m.getName());
                    if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                        source = source.resolve(m.getSubPath());
                    }
                    script.append("mkdir -p ").append(quote(m.getMountPath())).append("\nmount --bind ")
                            .append(quote(source.toString())).append(' ').append(quote(m.getMountPath())).append('\n');
                }
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(runtime.jvmOptions(role));
                command.add("-Djdk.net.hosts.file=" + hostsFile);
                command.add("-cp");
                command.add(runtime.classpath(role));
                command.add(role.mainClass());
                command.addAll(c.getArgs() == null ? List.of() : c.getArgs().stream().map(a -> expand(a, env)).toList());
                script.append("exec");
                command.forEach(a -> script.append(' ').append(quote(a)));
                ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "/bin/sh",
                        "-c", script.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()));
                pb.environment().putAll(runtime.environment());
                pb.environment().putAll(env);
                Files.writeString(dir.resolve("log"), "---- " + Instant.now() + " start (" + ip + ")\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                process = pb.start();
                startedAt = System.currentTimeMillis();
                notBefore = startedAt + Math.min(10_000, 1000L << Math.min(restarts, 4));
                livenessFailures = 0;
                readinessFailures = 0;
                nextReadiness = startedAt + 500;
                nextLiveness = startedAt + delay(c.getLivenessProbe()) * 1000L;
                log.record(name, "started at " + ip + " (pid " + process.pid() + ")");
            } catch (IOException | RuntimeException e) {
                startProblem = "cannot start: " + e.getMessage();
                log.record(name, startProblem);
            }
        }

        private void probe(Pod p, long now) {
            Container c = p.getSpec().getContainers().get(0);
            Probe readiness = c.getReadinessProbe();
            if (now >= nextReadiness) {
                // checked every second at most, whatever the spec says: tests wait for readiness
                nextReadiness = now + Math.min(1000, period(readiness) * 1000L);
                boolean ok = readiness == null || answers(c, readiness);
                readinessFailures = ok ? 0 : readinessFailures + 1;
                if (ok && !ready) {
                    ready = true;
                    log.record(name, READY);
                } else if (!ok && ready && readinessFailures >= threshold(readiness)) {
                    ready = false;
                    log.record(name, NOT_READY);
                }
            }
            Probe liveness = c.getLivenessProbe();
            if (liveness != null && now >= nextLiveness) {
                nextLiveness = now + period(liveness) * 1000L;
                livenessFailures = answers(c, liveness) ? 0 : livenessFailures + 1;
                if (livenessFailures >= threshold(liveness)) {
                    log.record(name, "liveness failed " + livenessFailures + " times: killed");
                    process.destroyForcibly();
                }
            }
        }

        private boolean answers(Container c, Probe probe) {
            if (probe.getHttpGet() == null) {
                return true;
            }
            int port = port(c, probe.getHttpGet().getPort());
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + probe.getHttpGet().getPath()))
                        .timeout(Duration.ofSeconds(Math.max(1, probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds())))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void projectChanged(Pod p, long now) {
            for (Volume v : p.getSpec().getVolumes()) {
                if (v.getConfigMap() == null && v.getSecret() == null) {
                    continue;
                }
                Map<String, byte[]> content = content(p, v);
                String hash = hash(content);
                if (hash.equals(projected.get(v.getName()))) {
                    changedSince.remove(v.getName());
                    continue;
                }
                long since = changedSince.computeIfAbsent(v.getName(), k -> now);
                if (now - since >= CONFIG_DELAY.toMillis()) {
                    project(dir.resolve("volumes").resolve(v.getName()), content);
                    projected.put(v.getName(), hash);
                    changedSince.remove(v.getName());
                    log.record(name, "volume " + v.getName() + " updated");
                }
            }
        }

        private Path volume(Pod p, Volume v) throws IOException {
            if (v.getPersistentVolumeClaim() != null) {
                String claim = v.getPersistentVolumeClaim().getClaimName();
                Path d = claimDir(namespace, claim);
                Files.createDirectories(d);
                Integer mib = limitedClaims.get(namespace + "/" + claim);
                if (mib != null && !isMountPoint(d)) {
                    run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", d.toString());
                }
                return d;
            }
            Path d = dir.resolve("volumes").resolve(v.getName());
            Files.createDirectories(d);
            if (v.getConfigMap() != null || v.getSecret() != null) {
                Map<String, byte[]> content = content(p, v);
                project(d, content);
                projected.put(v.getName(), hash(content));
            }
            return d;
        }

        private Map<String, byte[]> content(Pod p, Volume v) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            if (v.getConfigMap() != null) {
                ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
                if (cm != null && cm.getData() != null) {
                    cm.getData().forEach((k, text) -> files.put(k, text.getBytes(StandardCharsets.UTF_8)));
                }
            } else {
                Secret s = client.secrets().inNamespace(namespace).withName(v.getSecret().getSecretName()).get();
                if (s != null && s.getData() != null) {
                    s.getData().forEach((k, b64) -> files.put(k, Base64.getDecoder().decode(b64)));
                }
            }
            return files;
        }

        private Map<String, String> env(Pod p, Container c) {
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                String value = e.getValue();
                if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                    value = switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                        case "status.podIP" -> ip;
                        case "metadata.name" -> name;
                        case "metadata.namespace" -> namespace;
                        case "spec.nodeName" -> "standin";
                        default -> "";
                    };
                } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                    if (s == null || s.getData() == null || !s.getData().containsKey(ref.getKey())) {
                        throw new IllegalStateException("secret " + ref.getName() + " has no key " + ref.getKey());
                    }
                    value = new String(Base64.getDecoder().decode(s.getData().get(ref.getKey())), StandardCharsets.UTF_8);
                }
                env.put(e.getName(), expand(value == null ? "" : value, env));
            }
            return env;
        }

        void terminate() {
            if (process != null && process.isAlive()) {
                process.destroy();
                log.record(name, STOPPING);
            }
        }

        void awaitStopped() {
            if (process != null) {
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void writeStatus(Pod p) {
            boolean running = process != null && process.isAlive();
            String phase = startProblem != null ? "Pending" : running ? "Running" : "Pending";
            String state = phase + "/" + ready + "/" + restarts + "/" + ip + "/" + startProblem;
            if (state.equals(lastStatus) && ip.equals(ip(p))) {
                return;
            }
            p.setStatus(new PodStatusBuilder().withPhase(phase).withPodIP(ip).withPodIPs(new PodIPBuilder().withIp(ip).build())
                    .withHostIP("127.0.0.1").withStartTime(Instant.ofEpochMilli(startedAt).toString())
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                            .withReason(startProblem == null ? null : "StandInCannotRun").withMessage(startProblem).build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName(p.getSpec().getContainers().get(0).getName())
                            .withImage(p.getSpec().getContainers().get(0).getImage()).withReady(ready)
                            .withRestartCount(restarts).withStarted(running).build())
                    .build());
            try {
                client.pods().inNamespace(namespace).resource(p).updateStatus();
                lastStatus = state;
            } catch (KubernetesClientException e) {
                // deleted or changed meanwhile: the next pass writes it again
            }
        }
    }

    /** Which pod module an image runs: the stand-in's table of images. */
    static PodProcess.Role roleOf(String image) {
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        if (repository.endsWith("kfdfs-tracker")) {
            return PodProcess.Role.TRACKER;
        }
        if (repository.endsWith("kfdfs-storage")) {
            return PodProcess.Role.STORAGE;
        }
        return null;
    }

    /** The kubelet's atomic projection: files under a timestamped folder, {@code ..data} swapped to it. */
    static void project(Path volume, Map<String, byte[]> files) {
        try {
            String stamp = "..stamp_" + System.nanoTime();
            Path fresh = volume.resolve(stamp);
            Files.createDirectories(fresh);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(fresh.resolve(f.getKey()), f.getValue());
            }
            Path tmp = volume.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, Path.of(stamp));
            Path data = volume.resolve("..data");
            Path previous = Files.isSymbolicLink(data) ? Files.readSymbolicLink(data) : null;
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (String key : files.keySet()) {
                Path link = volume.resolve(key);
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, Path.of("..data").resolve(key));
                }
            }
            if (previous != null) {
                deleteTree(volume.resolve(previous));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(Map<String, byte[]> content) {
        List<String> parts = new ArrayList<>();
        content.forEach((k, v) -> {
            parts.add(k);
            parts.add(Base64.getEncoder().encodeToString(v));
        });
        return Hashes.of(parts.toArray(String[]::new));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort cp : c.getPorts()) {
            if (port.getStrVal().equals(cp.getName())) {
                return cp.getContainerPort();
            }
        }
        throw new IllegalArgumentException("no container port named " + port.getStrVal());
    }

    private static int period(Probe p) {
        return p == null || p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
    }

    private static int threshold(Probe p) {
        return p == null || p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    }

    private static int delay(Probe p) {
        return p == null || p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
    }

    static String expand(String value, Map<String, String> env) {
        Matcher m = VAR.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(b).toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean isMountPoint(Path dir) {
        return run("mountpoint", "-q", dir.toString()) == 0;
    }

    static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
