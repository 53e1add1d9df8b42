package io.dtxlab.chaos.report;

import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.check.OrdersChecker;
import io.dtxlab.chaos.check.Validity;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Invoke;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Nemesis;
import io.dtxlab.chaos.history.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small run built by hand: c1 runs the register workload, c2 orders; a crash that is healed and a partition that
 * never is; ok, fail and info operations; a read of a value never written (with HTML in the value written), which
 * the register verdict names.
 */
final class SmallRun {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String CRASH = "crash coordinator-2";
    static final String PARTITION = "partition [order] | [inventory, payment]";
    static final String COMMAND = "./dtx chaos --seed 42 --workload register,orders --time 60s";
    static final long MS = 1_000_000;

    static final History HISTORY;

    static {
        Invoke write = new Invoke("c1", "write", "k1", JsonLines.value(SCRIPT), 0);
        Invoke order1 = new Invoke("c2", "order", null, JsonLines.value(Map.of("sku", "SKU-00001", "quantity", 2)),
                1 * MS);
        Invoke read1 = new Invoke("c1", "read", "k1", null, 4 * MS);
        Invoke order2 = new Invoke("c2", "order", null, JsonLines.value(Map.of("sku", "SKU-00002", "quantity", 1)),
                6 * MS);
        Invoke read2 = new Invoke("c1", "read", "k1", null, 11 * MS);
        HISTORY = History.of(
                write,
                order1,
                write.ok(JsonLines.value(Map.of("index", 1, "epoch", 1)), 2 * MS),
                Nemesis.start(CRASH, 3 * MS),
                read1,
                order1.fail("503 writes-refused", 5 * MS),
                order2,
                read1.ok(JsonLines.value(SCRIPT), 7 * MS),
                Nemesis.stop(CRASH, 8 * MS),
                order2.info(null, "timeout", 9 * MS),
                Nemesis.start(PARTITION, 10 * MS),
                read2,
                read2.ok(JsonLines.value("v0"), 12 * MS));
    }

    static final ChaosReport.Run RUN = new ChaosReport.Run(42, List.of("register", "orders"), Duration.ofSeconds(60),
            Instant.parse("2026-12-01T14:00:00Z"), COMMAND, List.of("could not heal <pause replica-1>: timeout"));

    private SmallRun() {
    }

    /** The operation of {@code process} invoked at {@code invokedMs}. */
    static Operation op(String process, long invokedMs) {
        return HISTORY.operations().stream().filter(o -> o.process().equals(process)
                && o.invokedAt() == invokedMs * MS).findFirst().orElseThrow();
    }

    /** INVALID: the read at 11 ms returned v0, which nobody wrote. */
    static Verdict registerVerdict() {
        return new Verdict(LinearizableRegisterChecker.NAME, Validity.INVALID, List.of(new Finding(
                LinearizableRegisterChecker.LINEARIZABLE, "k1", "not linearizable: read v0, never written",
                List.of(op("c1", 11), op("c1", 0)))), List.of());
    }

    /** VALID, with a note. */
    static Verdict ordersVerdict() {
        return new Verdict(OrdersChecker.NAME, Validity.VALID, List.of(), List.of(new Finding("answers", null,
                "2 orders: {UNKNOWN=1, failed=1}")));
    }

    static ChaosReport report() {
        return ChaosReport.of(RUN, HISTORY, Map.of("c1", "register", "c2", "orders")::get,
                List.of(registerVerdict(), ordersVerdict()));
    }
}
