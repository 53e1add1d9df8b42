package io.dtxlab.platform.problem;

import java.net.URI;
import org.springframework.http.HttpStatusCode;

/** Problem type URIs: one per kind of problem, documented in the README's error section. */
public final class ProblemTypes {

    public static final URI VALIDATION = URI.create("urn:dtx:problem:validation");
    public static final URI PEER_UNREACHABLE = URI.create("urn:dtx:problem:peer-unreachable");
    public static final URI INJECTED_FAULT = URI.create("urn:dtx:problem:injected-fault");

    private ProblemTypes() {
    }

    public static URI of(HttpStatusCode status) {
        return URI.create("urn:dtx:problem:http-" + status.value());
    }
}
