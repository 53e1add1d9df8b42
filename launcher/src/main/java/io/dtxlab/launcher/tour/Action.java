package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.BiFunction;

/** What a step does to the cluster. Node names and texts may hold {@code ${variables}}. */
sealed interface Action permits Action.Call, Action.Crash, Action.Restart, Action.Launch, Action.Join, Action.Choose {

    /**
     * One HTTP request to a node.
     *
     * @param method GET, PUT, POST or DELETE
     * @param node the node's id, e.g. {@code order} or {@code ${leader}}
     * @param path the path and query, e.g. {@code /transactions/${xid}}
     * @param body the JSON body (maps, lists, texts, numbers), or null
     * @param admin whether it carries the admin token ({@code /admin/**})
     */
    record Call(String method, String node, String path, Object body, boolean admin) implements Action {
    }

    /** SIGKILL of the node's process, as {@code ./dtx kill}. */
    record Crash(String node) implements Action {
    }

    /** Starts the nodes again from their files, all at once, as {@code ./dtx start}; done when every one is healthy. */
    record Restart(List<String> nodes) implements Action {
    }

    /** Sends {@code call} and goes on without waiting for its answer, which {@link Join} {@code name} collects. */
    record Launch(String name, Call call) implements Action {
    }

    /** Waits for the answer of the call launched as {@code name}: a shell's {@code wait}. */
    record Join(String name) implements Action {
    }

    /**
     * Names a value the story derives from what it knows, such as a coordinator that does not lead.
     *
     * @param name the variable it sets
     * @param choice from what the story knows and the cluster's nodes, the value
     */
    record Choose(String name, BiFunction<Bindings, Roster, JsonNode> choice) implements Action {
    }
}
