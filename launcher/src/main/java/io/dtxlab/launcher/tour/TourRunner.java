package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtxlab.bench.Http;
import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.launcher.control.ProcessControl;
import io.dtxlab.launcher.control.RunningCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells stories against the running cluster: for each step it prints the narration, the equivalent shell command
 * and the essential part of the answer, keeps what the step captures, and checks what it expects. A story ends with
 * PASS, FAIL (the step, what was expected and what came) or SKIP (what it needs). Whatever happened, every story
 * ends with the cluster whole again: crashed nodes restarted, partitions healed, faults cleared, the master's
 * replication settings as they were.
 */
final class TourRunner {

    enum Verdict { PASS, FAIL, SKIP }

    /** How a story ended; {@code detail} is the claim (PASS), what differed (FAIL) or what it needs (SKIP). */
    record Result(String story, Verdict verdict, String detail, Duration took) {
    }

    /** Between two steps: waits for Enter, or not at all with {@code --no-pause}. */
    interface Pause {
        void await();
    }

    private static final ObjectMapper JSON = Http.json();
    private static final Duration RETRY_EVERY = Duration.ofMillis(250);
    /** An answer slower than this says how long it took (a 202 after the order service gave up waiting, say). */
    private static final Duration SLOW = Duration.ofSeconds(1);
    private static final Duration LAUNCHED_WITHIN = Duration.ofMinutes(2);
    /** How long a cluster may take to be whole again after a story (a restart on a busy 2-core machine is slow). */
    private static final Duration WHOLE_WITHIN = Duration.ofMinutes(3);
    private static final Duration SETTLED_WITHIN = Duration.ofSeconds(60);

    private final RunningCluster cluster;
    private final ProcessControl control;
    private final Http http;
    private final PrintStream out;
    private final Pause pause;
    private final String runId;
    private final Roster roster;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "tour-background");
        thread.setDaemon(true);
        return thread;
    });

    /** The settings to put back after a story that changes them; null otherwise. */
    private volatile JsonNode replicationSettings;

    TourRunner(RunningCluster cluster, ProcessControl control, Http http, PrintStream out, Pause pause, String runId) {
        this.cluster = cluster;
        this.control = control;
        this.http = http;
        this.out = out;
        this.pause = pause;
        this.runId = runId;
        this.roster = Roster.of(cluster.topology());
    }

    List<Result> run(List<Story> stories) {
        out.println("The tour of " + cluster.workspace().root() + " (port offset " + cluster.topology().portOffset()
                + "). Each step prints what it does as a shell command; to type them yourself, first:");
        out.println("  " + String.format(Curl.PRELUDE, cluster.workspace().dataDirArgument()));
        List<Result> results = new ArrayList<>();
        for (Story story : stories) {
            results.add(run(story));
        }
        return results;
    }

    Result run(Story story) {
        long start = System.nanoTime();
        out.println();
        out.println("== " + story.name() + ": " + story.claim());
        Bindings bindings = new Bindings()
                .put("fresh", "tour-" + runId + "-" + story.name())
                .put("replicas", roster.replicas().size())
                .put("slaves", roster.replicas().size() - 1);
        Verdict verdict;
        String detail;
        try {
            ready();
            Optional<String> unmet = story.requirement().unmet(roster, probe(story.requirement(), bindings), bindings);
            if (unmet.isPresent()) {
                verdict = Verdict.SKIP;
                detail = unmet.get();
            } else {
                if (story.changesReplicationSettings()) {
                    replicationSettings = currentSettings();
                }
                Optional<String> failure = steps(story, bindings);
                verdict = failure.isEmpty() ? Verdict.PASS : Verdict.FAIL;
                detail = failure.orElse(story.claim());
            }
        } catch (RuntimeException e) {
            verdict = Verdict.FAIL;
            detail = "the tour could not go on: " + e.getMessage();
        }
        try {
            tidyUp();
        } catch (RuntimeException e) {
            verdict = Verdict.FAIL;
            detail = detail + "; and the cluster could not be made whole again: " + e.getMessage();
        }
        out.println(verdict + " " + story.name() + ": " + detail);
        return new Result(story.name(), verdict, detail, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Runs the steps; empty when every check held, else where and what differed. */
    private Optional<String> steps(Story story, Bindings bindings) {
        Map<String, CompletableFuture<Answer>> launched = new LinkedHashMap<>();
        List<Step> steps = story.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            out.println("  [" + (i + 1) + "/" + steps.size() + "] " + fillLeniently(bindings, step.narration()));
            Optional<Check.Mismatch> mismatch = perform(step, bindings, launched);
            if (mismatch.isPresent()) {
                out.println("      FAIL " + mismatch.get());
                return Optional.of("step " + (i + 1) + " (" + fillLeniently(bindings, step.narration()) + "): "
                        + mismatch.get());
            }
            if (i < steps.size() - 1) {
                pause.await();
            }
        }
        return Optional.empty();
    }

    private Optional<Check.Mismatch> perform(Step step, Bindings bindings, Map<String, CompletableFuture<Answer>> launched) {
        Action action = step.action();
        if (action instanceof Action.Choose choose) {
            JsonNode value = choose.choice().apply(bindings, roster);
            bindings.put(choose.name(), value);
            command(Curl.assignment(choose.name(), value.isTextual() ? value.asText() : value.toString()));
            return Optional.empty();
        }
        if (action instanceof Action.Crash crash) {
            String node = bindings.fill(crash.node());
            command(Curl.crash(node, cluster.workspace().dataDirArgument()));
            control.crash(node);
            answer(node + " killed (SIGKILL)");
            return Optional.empty();
        }
        if (action instanceof Action.Restart restart) {
            List<String> nodes = restart.nodes().stream().map(bindings::fill).toList();
            command(Curl.restart(nodes, cluster.workspace().dataDirArgument()));
            long start = System.nanoTime();
            restart(nodes);
            answer(String.join(" and ", nodes) + " healthy again after " + seconds(start));
            return Optional.empty();
        }
        if (action instanceof Action.Launch launch) {
            Request request = request(launch.call(), bindings);
            command(request.curl() + " &");
            launched.put(launch.name(), CompletableFuture.supplyAsync(() -> send(request), background));
            answer("sent; its answer is collected below");
            return Optional.empty();
        }
        if (action instanceof Action.Join join) {
            command("wait");
            Answer answer = collect(launched.remove(join.name()), join.name());
            show(step, answer, bindings);
            return judge(step, answer, bindings);
        }
        if (action instanceof Action.Call call) {
            Request request = request(call, bindings);
            if (step.until() == null) {
                command(request.curl());
                Answer answer = send(request);
                show(step, answer, bindings);
                return judge(step, answer, bindings);
            }
            command(request.curl() + "    # again until it shows what is expected (at most "
                    + step.until().toSeconds() + " s)");
            return poll(step, request, bindings);
        }
        return Optional.empty(); // narration only
    }

    private Optional<Check.Mismatch> poll(Step step, Request request, Bindings bindings) {
        long start = System.nanoTime();
        long deadline = start + step.until().toNanos();
        int tries = 0;
        while (true) {
            tries++;
            Answer answer = send(request);
            boolean holds = step.checks().stream().allMatch(c -> c.test(answer, bindings).isEmpty())
                    && step.captures().stream().allMatch(c -> c.from(answer, bindings).isPresent());
            if (holds || System.nanoTime() > deadline) {
                show(step, answer, bindings);
                if (tries > 1) {
                    answer("(" + (holds ? "held" : "still not") + " after " + tries + " tries in " + seconds(start) + ")");
                }
                return judge(step, answer, bindings);
            }
            sleep(RETRY_EVERY);
        }
    }

    /** Checks the answer and keeps the captures (printing them); empty when every check held and every capture was found. */
    private Optional<Check.Mismatch> judge(Step step, Answer answer, Bindings bindings) {
        for (Check check : step.checks()) {
            Optional<Check.Mismatch> mismatch = check.test(answer, bindings);
            if (mismatch.isPresent()) {
                return mismatch;
            }
        }
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        for (Capture capture : step.captures()) {
            Optional<JsonNode> value = capture.from(answer, bindings);
            if (value.isEmpty()) {
                return Optional.of(capture.missing(bindings));
            }
            kept.put(capture.name(), value.get());
        }
        kept.forEach(bindings::put);
        kept.forEach((name, value) -> answer("kept " + Curl.assignment(name,
                value.isTextual() ? value.asText() : value.toString())));
        return Optional.empty();
    }

    /** The essential part of an answer: its status and the fields the step reads. */
    private void show(Step step, Answer answer, Bindings bindings) {
        Map<String, String> fields = new LinkedHashMap<>();
        step.checks().stream().filter(c -> !c.reads().isEmpty())
                .forEach(c -> fields.putIfAbsent(c.reads(), c.view(answer, bindings)));
        step.captures().stream().filter(c -> c.where().isEmpty())
                .forEach(c -> fields.putIfAbsent(c.pointer(), Check.name(c.pointer()) + " " + Check.show(answer.at(c.pointer()))));
        StringBuilder line = new StringBuilder(answer.describeStatus());
        if (answer.took().compareTo(SLOW) > 0) {
            line.append(" after ").append(String.format(Locale.ROOT, "%.1f s", answer.took().toMillis() / 1e3));
        }
        if (answer.status() != 0) {
            if (answer.json().isArray()) {
                line.append("  ").append(Check.show(answer.json()));
            } else if (fields.isEmpty()) {
                line.append("  ").append(Check.abbreviate(answer.body().isBlank() ? "(no body)" : answer.body()));
            } else {
                line.append("  ").append(String.join(", ", fields.values()));
            }
        }
        answer(line.toString());
    }

    private record Request(String method, String url, Object body, boolean admin, String curl) {
    }

    private Request request(Action.Call call, Bindings bindings) {
        ClusterNode node = node(bindings.fill(call.node()));
        String path = bindings.fill(call.path());
        Object body = call.body() == null ? null : bindings.fillBody(call.body());
        String bodyText;
        try {
            bodyText = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Request(call.method(), node.url("localhost") + path, bodyText, call.admin(),
                Curl.request(call.method(), node.port(), path, bodyText, call.admin()));
    }

    private Answer send(Request request) {
        long start = System.nanoTime();
        Object body = request.body();
        Http.Response response = switch (request.method()) {
            case "GET" -> request.admin() ? http.adminGet(request.url()) : http.get(request.url());
            case "POST" -> request.admin() ? http.adminPost(request.url(), body) : http.post(request.url(), body);
            case "PUT" -> request.admin() ? http.adminPut(request.url(), body) : http.put(request.url(), body);
            case "DELETE" -> http.adminDelete(request.url());
            default -> throw new IllegalArgumentException("no such method " + request.method());
        };
        return Answer.of(response).took(Duration.ofNanos(System.nanoTime() - start));
    }

    private static Answer collect(CompletableFuture<Answer> answer, String name) {
        if (answer == null) {
            throw new IllegalStateException("nothing was sent in the background as '" + name + "'");
        }
        try {
            return answer.get(LAUNCHED_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Answer.of(0, null, "no answer within " + LAUNCHED_WITHIN.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Answer.of(0, null, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Before a story: every node running and healthy, a coordinator leading, a master taking writes. */
    private void ready() {
        restartDown("before the story");
        long deadline = System.nanoTime() + WHOLE_WITHIN.toNanos();
        List<String> unhealthy = cluster.unhealthy();
        while (!unhealthy.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every node is healthy (" + String.join(", ", unhealthy)
                        + "); see ./dtx status" + cluster.workspace().dataDirArgument());
            }
            sleep(Duration.ofSeconds(1));
            unhealthy = cluster.unhealthy();
        }
        long settled = System.nanoTime() + SETTLED_WITHIN.toNanos();
        while (System.nanoTime() < settled && !(control.coordinatorLeader().isPresent() && masterTakesWrites())) {
            sleep(Duration.ofMillis(500));
        }
    }

    private boolean masterTakesWrites() {
        return control.replicaMaster().map(master -> {
            Http.Response status = http.get(node(master).url("localhost") + "/replication/status");
            return status.ok() && "accepted".equals(status.json().path("writes").asText());
        }).orElse(false);
    }

    private JsonNode currentSettings() {
        String master = control.replicaMaster().orElseThrow(() -> new IllegalStateException("no replica names a master"));
        Http.Response settings = http.adminGet(node(master).url("localhost") + "/admin/replication/settings");
        if (!settings.ok()) {
            throw new IllegalStateException("cannot read the replication settings of " + master + ": " + settings.describe());
        }
        return settings.json();
    }

    /**
     * After a story, whatever happened in it: crashed nodes restarted, every partition healed, every fault cleared,
     * the replication settings put back. Also run by the shutdown hook on Ctrl-C.
     */
    synchronized void tidyUp() {
        restartDown("tidy-up");
        for (ClusterNode node : cluster.topology().nodes()) {
            http.adminDelete(node.url("localhost") + "/admin/partition");
            http.adminDelete(node.url("localhost") + "/admin/faults");
        }
        JsonNode settings = replicationSettings;
        if (settings != null) {
            replicationSettings = null;
            long deadline = System.nanoTime() + SETTLED_WITHIN.toNanos();
            Optional<String> master = control.replicaMaster();
            while (master.isEmpty() && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(500));
                master = control.replicaMaster();
            }
            if (master.isEmpty()) {
                out.println("  tidy-up: no master found to put the replication settings back on: " + settings);
                return;
            }
            Http.Response put = http.adminPut(node(master.get()).url("localhost") + "/admin/replication/settings", settings);
            out.println("  tidy-up: " + Curl.request("PUT", node(master.get()).port(), "/admin/replication/settings",
                    settings.toString(), true) + (put.ok() ? "" : "  -> " + put.describe()));
        }
    }

    private void restartDown(String why) {
        List<String> down = cluster.topology().nodes().stream().map(ClusterNode::id)
                .filter(id -> !control.running(id)).toList();
        if (!down.isEmpty()) {
            out.println("  " + why + ": " + Curl.restart(down, cluster.workspace().dataDirArgument()));
            long start = System.nanoTime();
            restart(down);
            out.println("  " + why + ": " + String.join(" and ", down) + " healthy again after " + seconds(start));
        }
    }

    /** Starts the nodes at once and waits until every one is healthy. */
    private void restart(List<String> nodes) {
        List<CompletableFuture<Void>> restarts = nodes.stream()
                .map(n -> CompletableFuture.runAsync(() -> control.restart(n), background)).toList();
        try {
            CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private ClusterNode node(String id) {
        return cluster.topology().node(id).orElseThrow(() -> new IllegalStateException("no node '" + id + "'"));
    }

    private void command(String text) {
        out.println("      $ " + text);
    }

    private void answer(String text) {
        out.println("      " + text);
    }

    private static String fillLeniently(Bindings bindings, String text) {
        try {
            return bindings.fill(text);
        } catch (IllegalStateException e) {
            return text;
        }
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Answer probe(Requirement requirement, Bindings bindings) {
        return requirement.probe() == null ? null : send(request(requirement.probe(), bindings));
    }
}
