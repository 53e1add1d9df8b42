/** Small helpers for the background threads every node runs. */
package io.dtxlab.platform.concurrent;
