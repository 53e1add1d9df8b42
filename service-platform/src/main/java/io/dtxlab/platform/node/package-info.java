/** Who this node is, where its files are, and how many times it has started from them. */
package io.dtxlab.platform.node;
