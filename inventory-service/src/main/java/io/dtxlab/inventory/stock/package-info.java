/** Stock per SKU: what is available, reserved by prepared branches, and sold. */
package io.dtxlab.inventory.stock;
