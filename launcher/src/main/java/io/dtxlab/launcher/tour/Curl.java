package io.dtxlab.launcher.tour;

import java.util.List;
import java.util.Locale;

/**
 * The shell command that does what a step does, as the README writes it: {@code curl} with {@code $ADMIN} and
 * {@code $JSON} for the headers (defined once at the start of the tour), {@code ./dtx} for crashes and restarts. The
 * tour prints it before each step, so the narration teaches the API.
 */
final class Curl {

    /** Printed once before the first story: what {@code $ADMIN} and {@code $JSON} stand for. */
    static final String PRELUDE = "ADMIN=\"X-Admin-Token: $(./dtx token admin%s)\"; JSON='Content-Type: application/json'";

    private Curl() {
    }

    /**
     * A request, its variables already filled in.
     *
     * @param port the node's HTTP port
     * @param body the JSON text of the body, or null
     */
    static String request(String method, int port, String path, String body, boolean admin) {
        StringBuilder curl = new StringBuilder("curl -s");
        boolean post = method.equals("POST") && body != null;
        if (!method.equals("GET") && !post) {
            curl.append(" -X ").append(method);
        }
        if (admin) {
            curl.append(" -H \"$ADMIN\"");
        }
        if (body != null) {
            curl.append(" -H \"$JSON\"");
        }
        String url = "localhost:" + port + path;
        curl.append(' ').append(url.matches("[A-Za-z0-9:/._~-]+") ? url : "'" + url + "'");
        if (body != null) {
            curl.append(" -d '").append(body.replace("'", "'\\''")).append('\'');
        }
        return curl.toString();
    }

    static String crash(String node, String dataDirArgument) {
        return "./dtx kill " + node + dataDirArgument;
    }

    static String restart(List<String> nodes, String dataDirArgument) {
        if (nodes.size() == 1) {
            return "./dtx start " + nodes.get(0) + dataDirArgument;
        }
        StringBuilder both = new StringBuilder();
        nodes.forEach(n -> both.append("./dtx start ").append(n).append(dataDirArgument).append(" & "));
        return both.append("wait").toString();
    }

    /** A variable as a shell would hold it: {@code newLeader} is {@code NEW_LEADER}. */
    static String variable(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** {@code NAME=value}, quoted when the value is not a plain word. */
    static String assignment(String name, String value) {
        return variable(name) + "=" + (value.matches("[A-Za-z0-9._-]+") ? value : "'" + value + "'");
    }
}
