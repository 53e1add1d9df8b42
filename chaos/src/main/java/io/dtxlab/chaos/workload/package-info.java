/**
 * The clients of a chaos run: what they ask of the cluster, how each answer goes into the history (ok, fail or info),
 * and what state they gather afterwards for the checkers.
 */
package io.dtxlab.chaos.workload;
