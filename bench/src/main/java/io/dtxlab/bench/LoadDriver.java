package io.dtxlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a workload's requests from {@code start} until {@code end} (warm-up and measured window together), closed
 * or open loop, and records every answer. Requests already sent when the time is up are waited for (the drain).
 */
final class LoadDriver {

    private final NanoClock clock;
    private final AtomicLong sent = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private ExecutorService pool;
    private Semaphore inFlight;
    private int cap;

    LoadDriver(NanoClock clock) {
        this.clock = clock;
    }

    /** Requests sent so far, warm-up included. */
    long sent() {
        return sent.get();
    }

    /** Starts the workers (closed loop) or the scheduler (open loop) and returns at once. */
    void start(Workload workload, LoopSpec loop, LatencyRecorder recorder, long startNanos, long endNanos) {
        AtomicInteger names = new AtomicInteger();
        if (!loop.open()) {
            for (int i = 0; i < loop.concurrency(); i++) {
                SplittableRandom random = new SplittableRandom(i * 7919L + System.nanoTime());
                Thread t = new Thread(() -> {
                    try {
                        clock.sleepUntil(startNanos);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long now;
                    while ((now = clock.nanoTime()) < endNanos && !Thread.currentThread().isInterrupted()) {
                        sent.incrementAndGet();
                        Workload.Result result = safeCall(workload, random);
                        recorder.record(result.operation(), result.outcome(), now, now, clock.nanoTime());
                    }
                }, "bench-worker-" + names.incrementAndGet());
                t.setDaemon(true);
                threads.add(t);
            }
        } else {
            cap = loop.concurrency();
            inFlight = new Semaphore(cap);
            pool = Executors.newFixedThreadPool(cap, r -> {
                Thread t = new Thread(r, "bench-worker-" + names.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            OpenLoopSchedule schedule = new OpenLoopSchedule(startNanos, loop.rate());
            SplittableRandom seeds = new SplittableRandom(System.nanoTime());
            Thread scheduler = new Thread(() -> {
                try {
                    for (long i = 0; ; i++) {
                        long intended = schedule.intendedStart(i);
                        if (intended >= endNanos) {
                            return;
                        }
                        clock.sleepUntil(intended);
                        inFlight.acquire(); // the cap: a request due now waits, and its latency shows it
                        SplittableRandom random = seeds.split();
                        sent.incrementAndGet();
                        pool.execute(() -> {
                            try {
                                long actual = clock.nanoTime();
                                Workload.Result result = safeCall(workload, random);
                                recorder.record(result.operation(), result.outcome(), intended, actual, clock.nanoTime());
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-scheduler");
            scheduler.setDaemon(true);
            threads.add(scheduler);
        }
        threads.forEach(Thread::start);
    }

    private static Workload.Result safeCall(Workload workload, SplittableRandom random) {
        try {
            return workload.call(random);
        } catch (RuntimeException e) {
            return new Workload.Result("?", Outcomes.ERROR);
        }
    }

    /** Waits for the loop to end and every request in flight to be answered, up to {@code drain} after the end. */
    void awaitDone(Duration drain) throws InterruptedException {
        long deadline = System.nanoTime() + drain.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (pool != null) {
            inFlight.tryAcquire(cap, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            pool.shutdownNow();
        }
        threads.forEach(Thread::interrupt);
    }
}
