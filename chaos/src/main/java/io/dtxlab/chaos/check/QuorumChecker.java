package io.dtxlab.chaos.check;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Dynamo-style quorums promise when R + W &gt; N (DeCandia et al., "Dynamo", 2007), checked per key from the
 * client's side:
 * <ul>
 * <li><b>fresh read</b>: a read sees every write acknowledged before it began: each such write is among its
 * siblings, or a sibling covers it (its past holds the write's dot). Every read quorum meets every write quorum in a
 * replica, and a replica drops a version only for one that covers it. This is stronger than asking for the latest
 * such write only: a read that returns one of two concurrent acknowledged writes has lost the other.</li>
 * <li><b>siblings only from overlapping writes</b>: two siblings whose writes did not overlap in time, where the later
 * one was sent with a context, break it: that context came from a read made after the earlier write was
 * acknowledged, which saw it, so the later write covers it.</li>
 * <li><b>reads see only values written</b>: every sibling is the value of a write invoked before the read completed
 * and not answered {@code fail}.</li>
 * </ul>
 * Operations on the history, with the service's bodies as they are ({@code PUT/GET /quorum/kv/{key}}):
 * <ul>
 * <li>{@code write}: invoke value the request {@code {"value": ..., "context": {...}}} (no context: a blind write);
 * {@code ok} value the answer, with {@code dot}, {@code n}, {@code w} and {@code staleReadsPossible}. A write that did
 * not reach W (503, 504) is not rolled back: record it {@code info}, not {@code fail}. A write with a context must
 * be one operation with the read that gave the context: invoke before that read.</li>
 * <li>{@code read}: {@code ok} value the answer, with {@code siblings} (each value, clock, dot, past), {@code n},
 * {@code r} and {@code staleReadsPossible}; JSON null for a 404 (no version).</li>
 * </ul>
 * Values must be unique per key. R, W and N are each answer's own, else the defaults given. An anomaly where the read
 * or a write reports {@code staleReadsPossible} (stand-ins took part: a sloppy quorum) is Dynamo's trade for
 * availability: it is a note, not a violation. Reads with R + W &le; N for a write are not checked against it.
 */
public final class QuorumChecker implements Checker {

    static final String FRESH = "fresh read";
    static final String SIBLINGS = "siblings only from overlapping writes";
    static final String WRITTEN = "reads see only values written";

    /** How many missed writes a violation names, the latest first. */
    static final int MISSED_SHOWN = 5;

    private final int n;
    private final int r;
    private final int w;

    /** @param n replicas per key, r read answers, w write acknowledgements: the defaults for answers without them */
    public QuorumChecker(int n, int r, int w) {
        if (n < 1 || r < 1 || w < 1 || r > n || w > n) {
            throw new IllegalArgumentException("need 1 <= R, W <= N, was N=" + n + " R=" + r + " W=" + w);
        }
        this.n = n;
        this.r = r;
        this.w = w;
    }

    @Override
    public String name() {
        return "quorum";
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record WriteRequestBody(String value, Map<String, Long> context) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record WriteAnswerBody(QuorumVersion.Dot dot, Map<String, Long> clock, Integer n, Integer w,
            boolean staleReadsPossible) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReadAnswerBody(List<QuorumVersion> siblings, Integer n, Integer r, boolean staleReadsPossible) {
    }

    private record Write(Operation op, String value, boolean withContext, WriteAnswerBody answer) {

        boolean sloppy() {
            return answer != null && answer.staleReadsPossible();
        }
    }

    private record Read(Operation op, List<QuorumVersion> siblings, int r, int n, boolean sloppy) {
    }

    @Override
    public Verdict check(History history) {
        List<Finding> violations = new ArrayList<>();
        List<Finding> excused = new ArrayList<>();
        int unchecked = 0;
        Map<String, List<Operation>> byKey = history.operationsByKey(op -> op.f().equals("read")
                || op.f().equals("write"));
        for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
            Map<String, Write> writes = writes(key.getValue());
            for (Operation op : key.getValue()) {
                if (!op.f().equals("read") || !op.ok()) {
                    continue;
                }
                Read read = read(op);
                written(read, writes, violations);
                unchecked += fresh(read, writes, violations, excused);
                siblings(read, writes, violations, excused);
            }
        }
        List<Finding> notes = new ArrayList<>();
        if (!excused.isEmpty()) {
            notes.add(new Finding("sloppy quorum", null, excused.size() + " anomal" + (excused.size() == 1 ? "y" : "ies")
                    + " where stand-ins answered for owners, which Dynamo allows: " + excused.stream()
                    .map(f -> f.rule() + (f.key() == null ? "" : " [" + f.key() + "]")).distinct()
                    .collect(Collectors.joining(", ")), excused.stream().flatMap(f -> f.operations().stream())
                    .distinct().limit(MISSED_SHOWN).toList()));
        }
        if (unchecked > 0) {
            notes.add(new Finding(FRESH, null, unchecked + " read/write pair" + (unchecked == 1 ? "" : "s")
                    + " with R + W <= N not checked: such reads may miss writes"));
        }
        return Verdict.of(name(), violations, notes, true);
    }

    /** Every write of a key, by value. */
    private Map<String, Write> writes(List<Operation> ops) {
        Map<String, Write> byValue = new HashMap<>();
        for (Operation op : ops) {
            if (!op.f().equals("write")) {
                continue;
            }
            WriteRequestBody request = JsonLines.convert(op.request(), WriteRequestBody.class);
            if (request == null || request.value() == null) {
                throw new IllegalArgumentException("a quorum write's value is its request, {\"value\": ...}: "
                        + op.describe());
            }
            WriteAnswerBody answer = op.ok() ? JsonLines.convert(op.response(), WriteAnswerBody.class) : null;
            if (op.ok() && (answer == null || answer.dot() == null)) {
                throw new IllegalArgumentException("an acknowledged quorum write's value is its answer, with its dot: "
                        + op.describe());
            }
            Write write = new Write(op, request.value(), request.context() != null, answer);
            Write before = byValue.putIfAbsent(request.value(), write);
            if (before != null) {
                throw new IllegalArgumentException("values must be unique per key: " + before.op().describe()
                        + " and " + op.describe());
            }
        }
        return byValue;
    }

    private Read read(Operation op) {
        if (op.response().isNull()) {
            return new Read(op, List.of(), r, n, false);
        }
        ReadAnswerBody answer = JsonLines.convert(op.response(), ReadAnswerBody.class);
        if (answer.siblings() == null) {
            throw new IllegalArgumentException("a quorum read's value is its answer, with siblings: " + op.describe());
        }
        return new Read(op, answer.siblings(), answer.r() == null ? r : answer.r(),
                answer.n() == null ? n : answer.n(), answer.staleReadsPossible());
    }

    private static void written(Read read, Map<String, Write> writes, List<Finding> violations) {
        for (QuorumVersion sibling : read.siblings()) {
            Write source = writes.get(sibling.value());
            String why = source == null ? "no client wrote it"
                    : source.op().failed() ? "its write was answered fail"
                    : source.op().invokedAt() > read.op().completedAt() ? "its write began after the read ended"
                    : null;
            if (why != null) {
                violations.add(new Finding(WRITTEN, read.op().key(), "read " + sibling.value() + ", but " + why,
                        source == null ? List.of(read.op()) : List.of(read.op(), source.op())));
            }
        }
    }

    /** Checks the read against every write acknowledged before it began; answers how many pairs it could not. */
    private int fresh(Read read, Map<String, Write> writes, List<Finding> violations, List<Finding> excused) {
        int unchecked = 0;
        List<Write> missed = new ArrayList<>();
        boolean sloppy = read.sloppy();
        for (Write write : writes.values()) {
            if (!write.op().ok() || !write.op().precedes(read.op())) {
                continue;
            }
            int writeQuorum = write.answer().w() == null ? w : write.answer().w();
            if (read.r() + writeQuorum <= read.n()) {
                unchecked++;
                continue;
            }
            boolean seen = read.siblings().stream().anyMatch(s -> s.covers(write.answer().dot(),
                    write.answer().clock()));
            if (!seen) {
                missed.add(write);
                sloppy |= write.sloppy();
            }
        }
        if (!missed.isEmpty()) {
            missed.sort(Comparator.comparingLong((Write m) -> m.op().completedAt()).reversed());
            List<Operation> shown = new ArrayList<>();
            shown.add(read.op());
            missed.stream().limit(MISSED_SHOWN).forEach(m -> shown.add(m.op()));
            String detail = "returned " + read.siblings().stream().map(QuorumVersion::value).toList() + " but missed "
                    + missed.size() + " write" + (missed.size() == 1 ? "" : "s") + " acknowledged before it began, "
                    + "the latest " + missed.get(0).value() + " (" + missed.get(0).answer().dot() + ")";
            (sloppy ? excused : violations).add(new Finding(FRESH, read.op().key(), detail, shown));
        }
        return unchecked;
    }

    private static void siblings(Read read, Map<String, Write> writes, List<Finding> violations,
            List<Finding> excused) {
        List<Write> sources = read.siblings().stream().map(s -> writes.get(s.value()))
                .filter(s -> s != null).toList();
        for (Write earlier : sources) {
            for (Write later : sources) {
                if (earlier != later && later.withContext() && earlier.op().precedes(later.op())) {
                    String detail = "siblings " + earlier.value() + " and " + later.value() + ", but " + later.value()
                            + " was written with a context after " + earlier.value() + " was acknowledged";
                    boolean sloppy = read.sloppy() || earlier.sloppy() || later.sloppy();
                    (sloppy ? excused : violations).add(new Finding(SIBLINGS, read.op().key(), detail,
                            List.of(read.op(), earlier.op(), later.op())));
                }
            }
        }
    }
}
