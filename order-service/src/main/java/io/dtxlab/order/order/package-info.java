/** Orders and their outcome. Placing an order runs a global transaction (two-phase commit comes next). */
package io.dtxlab.order.order;
