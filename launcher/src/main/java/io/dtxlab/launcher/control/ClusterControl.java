package io.dtxlab.launcher.control;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the chaos nemesis (and the tour) do to a cluster, and the little they ask of it. The real one acts on the
 * processes of {@code ./dtx up}; a test gives a fake.
 */
public interface ClusterControl {

    /** The coordinators' ids, in a fixed order. */
    List<String> coordinators();

    /** The participants' ids (order, inventory, payment), in a fixed order. */
    List<String> participants();

    /** The replicas' ids, in a fixed order. */
    List<String> replicas();

    /** The coordinator that leads now, if one answers and names a leader. */
    Optional<String> coordinatorLeader();

    /** The replica that is master now, if one answers and names a master. */
    Optional<String> replicaMaster();

    /** Whether the node's process is alive (it may still be starting, or paused). */
    boolean running(String node);

    /** SIGKILL of the node's process; returns once it is gone. */
    void crash(String node);

    /** Starts a crashed node from its files and returns once it is healthy, or throws if it does not become so. */
    void restart(String node);

    /** SIGSTOP of the node's process. */
    void pause(String node);

    /** SIGCONT of the node's process. */
    void resume(String node);

    /** Cuts every node of {@code side} off from every node of {@code otherSide}, both ways. */
    void partition(Set<String> side, Set<String> otherSide);

    /** Heals every partition on every node. */
    void heal();
}
