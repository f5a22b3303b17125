package io.kfdfs.cli.resilience;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.NoSuchFileException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads sharing one {@link FdfsClient}, each repeating upload, download, ranged download,
 * delete and a download of the deleted file, with every byte checked. A payload starts with its thread and
 * round, so a reply meant for another request cannot pass for the right one.
 */
final class Workload implements AutoCloseable {

    /** One round that threw, with when it started (System.nanoTime()). */
    record Failure(long startedNanos, Throwable error) {
    }

    final AtomicInteger rounds = new AtomicInteger();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code threadCount} threads, each running until {@link #close()} or {@code maxRounds}. */
    Workload(FdfsClient client, int threadCount, int maxRounds) {
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Random random = new Random(thread);
                for (int round = 0; round < maxRounds && !stop.get(); round++) {
                    long started = System.nanoTime();
                    try {
                        round(client, payload(random, thread, round), random);
                        rounds.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(new Failure(started, e));
                        pause(); // a server down fails at once: do not spin
                    }
                }
            }, "workload-" + t);
            threads.add(worker);
            worker.start();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] payload(Random random, int thread, int round) {
        // mostly small, now and then larger than the client's 64 KiB transfer buffer
        byte[] data = new byte[8 + (random.nextInt(8) == 0 ? random.nextInt(300_000) : random.nextInt(5_000))];
        random.nextBytes(data);
        ByteBuffer.wrap(data).putInt(thread).putInt(round);
        return data;
    }

    private static void round(FdfsClient client, byte[] data, Random random) throws Exception {
        String id = client.upload(Content.of(data), "bin");
        check(data, download(client, id, 0, 0), id);
        int offset = random.nextInt(data.length);
        int length = 1 + random.nextInt(data.length - offset);
        check(Arrays.copyOfRange(data, offset, offset + length), download(client, id, offset, length), id);
        client.delete(id);
        try {
            client.download(id, new ByteArrayOutputStream());
            throw new AssertionError(id + " still downloads after its delete");
        } catch (NoSuchFileException expected) {
            // deleted
        }
    }

    private static byte[] download(FdfsClient client, String id, long offset, long length) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(id, offset, length, out);
        return out.toByteArray();
    }

    private static void check(byte[] expected, byte[] actual, String id) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(id + ": " + actual.length + " bytes differ from the " + expected.length + " expected");
        }
    }

    /** Waits for the threads to finish their rounds. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Stops after the rounds in progress. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        join();
    }
}
