package io.dtxlab.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dtxlab.chaos.history.Event;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Invoke;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations: histories of a real sequential register whose operations overlap at random are linearizable by
 * construction; a read changed to a value nobody wrote never is; and on small histories the checker agrees with a
 * brute-force search of every order. A failure names its seed and prints the history.
 */
class RandomRegisterHistoryTest {

    private final LinearizableRegisterChecker checker = new LinearizableRegisterChecker();

    @Test
    void historiesOfARealRegisterAreAlwaysLinearizable() {
        for (long seed = 0; seed < 3_000; seed++) {
            History history = new Simulation(new Random(seed), 2 + (int) (seed % 4), 30).run();

            Verdict verdict = checker.check(history);

            assertThat(verdict.valid()).as("seed %d:\n%s\n%s", seed, verdict.describe(), show(history)).isTrue();
        }
    }

    @Test
    void aReadOfAValueNobodyWroteIsAlwaysCaught() {
        int corrupted = 0;
        for (long seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            History history = new Simulation(random, 2 + (int) (seed % 4), 30).run();
            History bad = corruptOneRead(history, random, TextNode.valueOf("never-written"));
            if (bad == null) {
                continue;
            }
            corrupted++;

            Verdict verdict = checker.check(bad);

            assertThat(verdict.validity()).as("seed %d:\n%s", seed, show(bad)).isEqualTo(Validity.INVALID);
            assertThat(verdict.violations().get(0).key()).isEqualTo("k");
        }
        assertThat(corrupted).isGreaterThan(1_500);
    }

    @Test
    void onSmallHistoriesTheCheckerAgreesWithTryingEveryOrder() {
        int invalid = 0;
        for (long seed = 0; seed < 3_000; seed++) {
            Random random = new Random(seed);
            History history = new Simulation(random, 2 + (int) (seed % 3), 7).run();
            // another value that was written: the read may or may not still be explainable
            History changed = corruptOneRead(history, random, TextNode.valueOf("v" + random.nextInt(4)));
            History judged = changed == null ? history : changed;

            boolean expected = BruteForce.linearizable(judged.operations());
            Verdict verdict = checker.check(judged);

            assertThat(verdict.valid()).as("seed %d:\n%s\n%s", seed, verdict.describe(), show(judged))
                    .isEqualTo(expected);
            invalid += expected ? 0 : 1;
        }
        assertThat(invalid).as("the corruptions make some histories non-linearizable").isGreaterThan(300);
    }

    /** The history with one ok read's value replaced, or null when it has no ok read. */
    private static History corruptOneRead(History history, Random random, JsonNode value) {
        List<Operation> reads = history.operations().stream().filter(op -> op.f().equals("read") && op.ok()).toList();
        if (reads.isEmpty()) {
            return null;
        }
        Operation victim = reads.get(random.nextInt(reads.size()));
        List<Event> events = new ArrayList<>(history.events());
        int at = events.indexOf(victim.completion());
        events.set(at, victim.invoke().ok(value, victim.completedAt()));
        return new History(events);
    }

    private static String show(History history) {
        StringBuilder s = new StringBuilder();
        history.operations().forEach(op -> s.append(op.describe()).append('\n'));
        return s.toString();
    }

    /**
     * Processes run reads, writes and cas on one register, one operation at a time each, with random gaps and
     * durations (small integers, so ties happen). Each operation takes effect at a random moment inside its interval
     * (a write whose outcome is unknown: anywhere after its invoke, or never), and its result is what the real
     * register gives at that moment.
     */
    static final class Simulation {

        private record Planned(int id, String process, String f, JsonNode arg, long invoked, long completed,
                long effect, boolean unknown, boolean happens) {
        }

        private final Random random;
        private final int processes;
        private final int operations;

        Simulation(Random random, int processes, int operations) {
            this.random = random;
            this.processes = processes;
            this.operations = operations;
        }

        History run() {
            List<Planned> planned = plan();
            // the real register, in the order the effects happen
            JsonNode[] results = new JsonNode[planned.size()];
            boolean[] succeeded = new boolean[planned.size()];
            JsonNode register = NullNode.getInstance();
            List<Planned> byEffect = new ArrayList<>(planned);
            byEffect.sort(Comparator.comparingLong(Planned::effect).thenComparingInt(Planned::id));
            for (Planned p : byEffect) {
                if (!p.happens()) {
                    continue;
                }
                switch (p.f()) {
                    case "write" -> register = p.arg();
                    case "read" -> results[p.id()] = register;
                    default -> {
                        succeeded[p.id()] = register.equals(p.arg().get(0));
                        if (succeeded[p.id()]) {
                            register = p.arg().get(1);
                        }
                    }
                }
            }
            List<Event> events = new ArrayList<>();
            for (Planned p : planned) {
                Invoke invoke = new Invoke(p.process(), p.f(), "k", p.f().equals("read") ? null : p.arg(), p.invoked());
                events.add(invoke);
                if (p.unknown()) {
                    events.add(invoke.info(null, "timeout", p.completed()));
                } else if (p.f().equals("cas") && !succeeded[p.id()]) {
                    events.add(invoke.fail("found another value", p.completed()));
                } else {
                    events.add(invoke.ok(p.f().equals("read") ? results[p.id()] : null, p.completed()));
                }
            }
            events.sort(Comparator.comparingLong(Event::time));
            return new History(events);
        }

        private List<Planned> plan() {
            long[] free = new long[processes];
            List<Planned> planned = new ArrayList<>();
            for (int id = 0; id < operations; id++) {
                int p = random.nextInt(processes);
                long invoked = free[p] + random.nextInt(4);
                long completed = invoked + random.nextInt(12);
                free[p] = completed + 1;
                String f = switch (random.nextInt(5)) {
                    case 0, 1 -> "write";
                    case 2 -> "cas";
                    default -> "read";
                };
                JsonNode arg = switch (f) {
                    case "write" -> TextNode.valueOf("v" + random.nextInt(4));
                    case "cas" -> JsonLines.value(List.of("v" + random.nextInt(4), "v" + random.nextInt(4)));
                    default -> NullNode.getInstance();
                };
                boolean unknown = !f.equals("read") && random.nextInt(6) == 0;
                boolean happens = !unknown || random.nextBoolean();
                long effect = unknown ? invoked + random.nextInt(40) : invoked + random.nextLong(completed - invoked + 1);
                planned.add(new Planned(id, "c" + p, f, arg, invoked, completed, effect, unknown, happens));
            }
            return planned;
        }
    }

    /**
     * The definition, tried literally: some order of all ok operations (info writes and cas optional, fails and info
     * reads dropped) that keeps real-time order and in which every operation is legal for a register.
     */
    static final class BruteForce {

        static boolean linearizable(List<Operation> all) {
            List<Operation> ops = all.stream().filter(op -> !op.failed() && !(op.unknown() && op.f().equals("read")))
                    .toList();
            return search(ops, new boolean[ops.size()], NullNode.getInstance());
        }

        private static boolean search(List<Operation> ops, boolean[] done, JsonNode register) {
            boolean allOkDone = true;
            for (int i = 0; i < ops.size(); i++) {
                allOkDone &= done[i] || ops.get(i).unknown();
            }
            if (allOkDone) {
                return true; // the unknown ones left never took effect
            }
            for (int i = 0; i < ops.size(); i++) {
                if (done[i] || !minimal(ops, done, i)) {
                    continue;
                }
                JsonNode after = step(ops.get(i), register);
                if (after == null) {
                    continue;
                }
                done[i] = true;
                boolean found = search(ops, done, after);
                done[i] = false;
                if (found) {
                    return true;
                }
            }
            return false;
        }

        /** No operation still to place completed before this one was invoked. */
        private static boolean minimal(List<Operation> ops, boolean[] done, int i) {
            for (int j = 0; j < ops.size(); j++) {
                if (!done[j] && j != i && ops.get(j).precedes(ops.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The register after the operation, or null when it cannot take effect now. */
        private static JsonNode step(Operation op, JsonNode register) {
            return switch (op.f()) {
                case "write" -> op.request();
                case "read" -> register.equals(op.response()) ? register : null;
                default -> register.equals(op.request().get(0)) ? op.request().get(1)
                        : op.unknown() ? register : null;
            };
        }
    }
}
