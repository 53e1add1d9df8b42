package io.dtxlab.platform.fault;

/** The error an ERROR fault raises at its point. */
public class InjectedFaultException extends RuntimeException {

    private final String point;

    public InjectedFaultException(String point, String scope) {
        super("injected error at fault point " + point + (scope == null ? "" : " for " + scope));
        this.point = point;
    }

    public String point() {
        return point;
    }
}
