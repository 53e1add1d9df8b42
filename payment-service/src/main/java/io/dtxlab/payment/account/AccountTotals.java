package io.dtxlab.payment.account;

import java.math.BigDecimal;

/**
 * Every account in one line.
 *
 * @param accounts how many accounts exist
 * @param balance money free to spend, over every account
 * @param held money held by prepared (in-doubt) branches
 * @param charged money taken by committed orders
 * @param deposited money ever paid in (the whole ledger): balance + held + charged equals it
 */
record AccountTotals(long accounts, BigDecimal balance, BigDecimal held, BigDecimal charged, BigDecimal deposited) {
}
