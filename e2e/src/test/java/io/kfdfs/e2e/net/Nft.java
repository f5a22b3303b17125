package io.kfdfs.e2e.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One nftables table of this test JVM's own ({@code kfdfs_e2e_<pid>}, family inet), holding the rules a
 * scenario adds; closing deletes the table and every rule in it, whatever happened. Needs nft(8) and the
 * right to change the ruleset (root).
 */
public final class Nft implements AutoCloseable {

    private final String table = "kfdfs_e2e_" + ProcessHandle.current().pid();
    private boolean created;

    /** Null when nft works here, else why not (to report the scenario as not run). */
    public static String unavailable() {
        try (Nft probe = new Nft()) {
            probe.create();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Creates the table with a filter chain and a NAT chain on the output hook (loopback traffic passes there). */
    public void create() throws IOException {
        nft("add", "table", "inet", table);
        created = true;
        nft("add", "chain", "inet", table, "cut", "{ type filter hook output priority 0 ; }");
        nft("add", "chain", "inet", table, "nat_out", "{ type nat hook output priority -100 ; }");
    }

    /** Drops every packet between {@code a} and each of {@code others}, both ways. */
    public void cut(String a, List<String> others) throws IOException {
        String set = "{ " + String.join(", ", others) + " }";
        nft("add", "rule", "inet", table, "cut", "ip", "saddr", a, "ip", "daddr", set, "drop");
        nft("add", "rule", "inet", table, "cut", "ip", "saddr", set, "ip", "daddr", a, "drop");
    }

    /** Removes the cuts (the NAT rules stay). */
    public void heal() throws IOException {
        nft("flush", "chain", "inet", table, "cut");
    }

    /** New connections from {@code from} to {@code to}:{@code port} go to {@code via} instead. */
    public void redirect(String from, String to, int port, String viaAddress, int viaPort) throws IOException {
        nft("add", "rule", "inet", table, "nat_out", "ip", "saddr", from, "ip", "daddr", to, "tcp", "dport",
                Integer.toString(port), "dnat", "ip", "to", viaAddress + ":" + viaPort);
    }

    private static void nft(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nft"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new IOException("nft not found: " + missing.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (created) {
            created = false;
            nft("delete", "table", "inet", table);
        }
    }
}
