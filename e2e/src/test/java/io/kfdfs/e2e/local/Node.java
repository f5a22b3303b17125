package io.kfdfs.e2e.local;

import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.process.PodProcess;

import java.nio.file.Path;

/**
 * One pod of a {@link LocalCluster}: a host of its own (a loopback address), its ports, folders and
 * process. {@code group}, {@code member} and {@code id} are for storages only (null / 0 for a tracker).
 */
public final class Node {

    private final String name;
    private final PodProcess.Role role;
    private final String address;
    private final int port;
    private final int httpPort;
    private final Path base;
    private final Path store;
    private final String group;
    private final int member;
    private final String id;
    final PodProcess process;
    /** False once the test stopped or killed it on purpose: a pod found dead while this holds crashed. */
    volatile boolean meantToRun;

    Node(String name, PodProcess.Role role, String address, int port, int httpPort, Path base, Path store,
         String group, int member, String id, PodProcess process) {
        this.name = name;
        this.role = role;
        this.address = address;
        this.port = port;
        this.httpPort = httpPort;
        this.base = base;
        this.store = store;
        this.group = group;
        this.member = member;
        this.id = id;
        this.process = process;
    }

    public String name() {
        return name;
    }

    public PodProcess.Role role() {
        return role;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public HostPort hostPort() {
        return new HostPort(address, port);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path base() {
        return base;
    }

    /** store_path0 of a storage: its files are under {@code data/HH/HH}. */
    public Path store() {
        return store;
    }

    public String group() {
        return group;
    }

    public int member() {
        return member;
    }

    public String id() {
        return id;
    }

    public PodProcess process() {
        return process;
    }

    @Override
    public String toString() {
        return name + "@" + address + ":" + port;
    }
}
