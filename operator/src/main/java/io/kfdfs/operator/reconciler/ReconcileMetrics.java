package io.kfdfs.operator.reconciler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.Callable;

/** kfdfs_operator_reconcile_seconds{kind,result}: how many reconciles, how long, how many failed. */
public final class ReconcileMetrics {

    private final MeterRegistry registry;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> T time(String kind, Callable<T> reconcile) throws Exception {
        long start = System.nanoTime();
        String result = "error";
        try {
            T t = reconcile.call();
            result = "success";
            return t;
        } finally {
            Timer.builder("kfdfs_operator_reconcile").description("Reconciles of kfdfs resources")
                    .tag("kind", kind).tag("result", result).register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
