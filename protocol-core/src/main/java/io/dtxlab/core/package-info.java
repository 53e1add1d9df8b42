/**
 * The protocol cores of the lab, in plain Java.
 *
 * <p>Nothing here imports Spring, opens a socket, touches a file or reads the system clock. A core
 * takes messages and timer ticks in and hands back the messages to send and the state to persist;
 * the services own transport and storage (the etcd-raft split). That is what lets every core be
 * run under a seeded, deterministic simulation. {@code NoSpringInProtocolCoreTest} keeps it so.
 */
package io.dtxlab.core;
