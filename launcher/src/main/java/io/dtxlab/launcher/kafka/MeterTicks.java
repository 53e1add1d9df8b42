package io.dtxlab.launcher.kafka;

import com.yammer.metrics.core.MetricsRegistry;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;

/**
 * Makes the broker's Yammer meters tick together, once every 5 s, instead of each on its own timer.
 *
 * <p>Kafka's broker keeps about 150 Yammer meters (metrics-core 2.2, which Kafka pins). Each meter schedules its own
 * 5 s tick when it is created, so their ticks are spread over the period and woke the tick threads about 30 times a
 * second: a tenth of what a cluster at rest cost, for rates nobody reads here. Ticks rounded up to one shared 5 s
 * grid run back to back on a single wake-up. A meter's first interval becomes up to 5 s longer; its rates are
 * unchanged after that.
 *
 * <p>metrics-core offers no hook for its tick pool, so this puts an executor under the pool's name ({@code
 * meter-tick}) into the registry's private pool map before the broker creates any meter. If the library's shape
 * ever changes, nothing breaks: the meters keep their own timers.
 */
final class MeterTicks {

    /** The name metrics-core gives the pool it ticks meters on. */
    static final String POOL = "meter-tick";

    private MeterTicks() {}

    /** Installs the shared grid in Kafka's default Yammer registry; returns whether it could. Call before start-up. */
    static boolean coalesce() {
        try {
            MetricsRegistry registry = KafkaYammerMetrics.defaultRegistry();
            Object pools = field(MetricsRegistry.class, "threadPools").get(registry);
            @SuppressWarnings("unchecked")
            Map<String, Object> byName = (Map<String, Object>) field(pools.getClass(), "threadPools").get(pools);
            byName.putIfAbsent(POOL, new Grid());
            return byName.get(POOL) instanceof Grid;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** A one-thread scheduler that starts every fixed-rate task on a multiple of its period from a shared origin. */
    static final class Grid extends ScheduledThreadPoolExecutor {

        private final long origin = System.nanoTime();

        Grid() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "metrics-meter-tick");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                TimeUnit unit) {
            long periodNanos = unit.toNanos(period);
            long now = System.nanoTime();
            long first = now + unit.toNanos(initialDelay);
            long steps = Math.max(1, -Math.floorDiv(-(first - origin), periodNanos)); // ceiling
            return super.scheduleAtFixedRate(command, origin + steps * periodNanos - now, periodNanos,
                    TimeUnit.NANOSECONDS);
        }
    }
}
