/** Customer accounts: balance, funds held by prepared branches, and money charged. */
package io.dtxlab.payment.account;
