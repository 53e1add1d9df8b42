package io.dtxlab.payment.account;

import java.math.BigDecimal;

/**
 * One customer's account.
 *
 * @param id the customer id
 * @param balance money free to spend
 * @param held money held by prepared (in-doubt) branches
 * @param charged money taken by committed orders
 * @param deposited money ever paid in (the sum of the account's ledger entries): balance + held + charged equals it
 */
record AccountView(String id, BigDecimal balance, BigDecimal held, BigDecimal charged, BigDecimal deposited) {
}
