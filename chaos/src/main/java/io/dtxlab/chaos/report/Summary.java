package io.dtxlab.chaos.report;

import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.check.LostWritesChecker;
import io.dtxlab.chaos.check.OrdersChecker;
import io.dtxlab.chaos.check.Verdict;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A run's answers at a glance, read off the verdicts' findings by rule name. This class is the one place that maps
 * checkers' rules to the summary:
 *
 * <table>
 * <caption>Where each field comes from</caption>
 * <tr><th>field</th><th>checker</th><th>findings</th><th>value</th></tr>
 * <tr><td>{@code mixedOutcomes}</td><td>{@link OrdersChecker}</td>
 * <td>{@link OrdersChecker#MIXED_2PC}, {@link OrdersChecker#MIXED_3PC}, {@link OrdersChecker#MIXED_TCC} and
 * {@link OrdersChecker#SAGA_HALF_DONE}, violations and notes</td>
 * <td>transactions committed on some participants and not on others, under 2PC, 3PC or TCC, and sagas left half
 * compensated (one finding each); NONE's half-done orders are expected and stay in the checker's note</td></tr>
 * <tr><td>{@code lostAcknowledged}</td><td>{@link LostWritesChecker}</td>
 * <td>{@link LostWritesChecker#UNLEDGERED} violations</td>
 * <td>acknowledged writes lost silently: in neither the surviving log nor the lost-writes ledger (one finding
 * each); a loss the ledger lists is the ASYNC mode's promise kept</td></tr>
 * <tr><td>{@code conservation}</td><td>{@link OrdersChecker}</td>
 * <td>{@link OrdersChecker#STOCK}, {@link OrdersChecker#MONEY}, {@link OrdersChecker#OVERSELL},
 * {@link OrdersChecker#OVERDRAFT} violations</td><td>true when there are none: the books balance</td></tr>
 * <tr><td>{@code inDoubtAfterHeal}</td><td>{@link OrdersChecker}</td><td>{@link OrdersChecker#IN_DOUBT}
 * violations</td><td>transactions with a branch still in doubt after the heal and the settle (one finding
 * each)</td></tr>
 * <tr><td>{@code linearizable}</td><td>{@link LinearizableRegisterChecker}</td>
 * <td>{@link LinearizableRegisterChecker#LINEARIZABLE} violations, {@link LinearizableRegisterChecker#SEARCH_BUDGET}
 * notes</td><td>false with any violation; else null when a key's search ran out of budget (unknown); else
 * true</td></tr>
 * <tr><td>{@code valid}</td><td>all</td><td>the validities</td><td>true when there is at least one verdict and every
 * one is VALID (UNKNOWN is not valid)</td></tr>
 * </table>
 * A field whose checker has no verdict in the run is null: the run did not look, which is not the same as zero. Counts
 * add up over all the verdicts of their checker.
 *
 * @param mixedOutcomes transactions with a mixed outcome under 2PC, 3PC or TCC, or a saga left half compensated; null
 *         without an orders verdict
 * @param lostAcknowledged acknowledged writes lost without a ledger entry; null without a lost-writes verdict
 * @param conservation whether stock and money balance and nothing ends below zero; null without an orders verdict
 * @param inDoubtAfterHeal transactions still in doubt after the heal; null without an orders verdict
 * @param linearizable whether the registers are linearizable; null without a register verdict or when the search
 *         did not finish
 * @param valid whether every verdict is VALID (and there is one)
 */
public record Summary(Integer mixedOutcomes, Integer lostAcknowledged, Boolean conservation, Integer inDoubtAfterHeal,
        Boolean linearizable, boolean valid) {

    /** The orders rules whose findings are each one transaction with a mixed outcome. */
    static final Set<String> MIXED_OUTCOME = Set.of(OrdersChecker.MIXED_2PC, OrdersChecker.MIXED_3PC,
            OrdersChecker.MIXED_TCC, OrdersChecker.SAGA_HALF_DONE);

    /** The orders rules about the books: conservation of stock and money, and nothing below zero. */
    static final Set<String> BOOKS = Set.of(OrdersChecker.STOCK, OrdersChecker.MONEY, OrdersChecker.OVERSELL,
            OrdersChecker.OVERDRAFT);

    /** The summary of these verdicts, as the table above says. */
    public static Summary of(List<Verdict> verdicts) {
        List<Verdict> orders = byChecker(verdicts, OrdersChecker.NAME);
        List<Verdict> lostWrites = byChecker(verdicts, LostWritesChecker.NAME);
        List<Verdict> registers = byChecker(verdicts, LinearizableRegisterChecker.NAME);
        return new Summary(
                orders.isEmpty() ? null : count(orders.stream().flatMap(Summary::findings), MIXED_OUTCOME),
                lostWrites.isEmpty() ? null : count(violations(lostWrites), Set.of(LostWritesChecker.UNLEDGERED)),
                orders.isEmpty() ? null : count(violations(orders), BOOKS) == 0,
                orders.isEmpty() ? null : count(violations(orders), Set.of(OrdersChecker.IN_DOUBT)),
                linearizable(registers),
                !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::valid));
    }

    private static Boolean linearizable(List<Verdict> registers) {
        if (registers.isEmpty()) {
            return null;
        }
        if (count(violations(registers), Set.of(LinearizableRegisterChecker.LINEARIZABLE)) > 0) {
            return false;
        }
        boolean unfinished = count(registers.stream().flatMap(v -> v.notes().stream()),
                Set.of(LinearizableRegisterChecker.SEARCH_BUDGET)) > 0;
        return unfinished ? null : true;
    }

    private static List<Verdict> byChecker(List<Verdict> verdicts, String checker) {
        return verdicts.stream().filter(v -> v.checker().equals(checker)).toList();
    }

    private static Stream<Finding> findings(Verdict verdict) {
        return Stream.concat(verdict.violations().stream(), verdict.notes().stream());
    }

    private static Stream<Finding> violations(List<Verdict> verdicts) {
        return verdicts.stream().flatMap(v -> v.violations().stream());
    }

    private static int count(Stream<Finding> findings, Set<String> rules) {
        return (int) findings.filter(f -> rules.contains(f.rule())).count();
    }
}
