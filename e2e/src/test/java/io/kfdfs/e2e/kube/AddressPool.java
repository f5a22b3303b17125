package io.kfdfs.e2e.kube;

/**
 * Loopback addresses for the stand-in's pods ({@code 127.0.20.1} upward) and Services ({@code 127.0.250.1}
 * upward): on Linux every 127.x.y.z is the local host, so each pod binds its own address as on its own node.
 */
final class AddressPool {

    private final int firstSubnet;
    private int next;

    AddressPool(int firstSubnet) {
        this.firstSubnet = firstSubnet;
    }

    static AddressPool pods() {
        return new AddressPool(20);
    }

    static AddressPool services() {
        return new AddressPool(250);
    }

    synchronized String next() {
        int n = next++;
        return "127.0." + (firstSubnet + n / 254) + "." + (1 + n % 254);
    }
}
