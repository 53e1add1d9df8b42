package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One step of a story: what the tour says, what it does, what it keeps from the answer and what it expects of it.
 * Written as {@code step("…").post("order", "/orders", json(…)).expect(status(201)).keep("xid", "/xid")}; each
 * method returns a new step.
 *
 * @param narration what the step shows, in the README's words
 * @param action what it does (null: it only narrates)
 * @param captures what it keeps from the answer
 * @param checks what the answer must show
 * @param until null: the action runs once; else it is repeated until every check holds, for at most this long
 */
record Step(String narration, Action action, List<Capture> captures, List<Check> checks, Duration until) {

    Step {
        captures = List.copyOf(captures);
        checks = List.copyOf(checks);
    }

    static Step step(String narration) {
        return new Step(narration, null, List.of(), List.of(), null);
    }

    /** A JSON object from alternating names and values, in that order. */
    static Map<String, Object> json(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return body;
    }

    Step get(String node, String path) {
        return does(new Action.Call("GET", node, path, null, false));
    }

    Step post(String node, String path, Object body) {
        return does(new Action.Call("POST", node, path, body, false));
    }

    Step put(String node, String path, Object body) {
        return does(new Action.Call("PUT", node, path, body, false));
    }

    /** The same request with the admin token. */
    Step admin() {
        Action.Call call = call();
        return does(new Action.Call(call.method(), call.node(), call.path(), call.body(), true));
    }

    Step adminPost(String node, String path, Object body) {
        return post(node, path, body).admin();
    }

    Step adminPut(String node, String path, Object body) {
        return put(node, path, body).admin();
    }

    Step adminDelete(String node, String path) {
        return does(new Action.Call("DELETE", node, path, null, true));
    }

    Step crash(String node) {
        return does(new Action.Crash(node));
    }

    Step restart(String... nodes) {
        return does(new Action.Restart(List.of(nodes)));
    }

    /** The request of this step leaves in the background, as {@code name}. */
    Step inBackground(String name) {
        return does(new Action.Launch(name, call()));
    }

    Step join(String name) {
        return does(new Action.Join(name));
    }

    Step choose(String name, BiFunction<Bindings, Roster, JsonNode> choice) {
        return does(new Action.Choose(name, choice));
    }

    Step does(Action next) {
        return new Step(narration, next, captures, checks, until);
    }

    Step expect(Check... more) {
        List<Check> all = new ArrayList<>(checks);
        all.addAll(Arrays.asList(more));
        return new Step(narration, action, captures, all, until);
    }

    Step keep(String name, String pointer) {
        return keep(Capture.keep(name, pointer));
    }

    Step keep(Capture capture) {
        List<Capture> all = new ArrayList<>(captures);
        all.add(capture);
        return new Step(narration, action, all, checks, until);
    }

    /** Repeats the request until every check holds (and every capture is found), for at most {@code within}. */
    Step until(Duration within) {
        if (!(action instanceof Action.Call)) {
            throw new IllegalStateException("only a request can be repeated: " + narration);
        }
        return new Step(narration, action, captures, checks, within);
    }

    private Action.Call call() {
        if (action instanceof Action.Call call) {
            return call;
        }
        throw new IllegalStateException("no request in this step yet: " + narration);
    }
}
