package io.dtxlab.bench;

/** Classifying answers that are alike across workloads. */
final class Outcomes {

    static final String UNAVAILABLE = "UNAVAILABLE";
    static final String CLIENT_ERROR = "CLIENT_ERROR";
    static final String ERROR = "ERROR";
    static final String OK = "OK";
    static final String NOT_FOUND = "NOT_FOUND";

    private Outcomes() {
    }

    /**
     * The outcome of an answer that is not a workload's own success: no answer, a client timeout or another 5xx is
     * ERROR, 503 is UNAVAILABLE, another 4xx is CLIENT_ERROR.
     */
    static String failure(Http.Response response) {
        int status = response.status();
        if (status == 503) {
            return UNAVAILABLE;
        }
        if (status >= 400 && status < 500) {
            return CLIENT_ERROR;
        }
        return ERROR;
    }
}
