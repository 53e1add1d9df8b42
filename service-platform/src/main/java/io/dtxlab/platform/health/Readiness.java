package io.dtxlab.platform.health;

import org.springframework.boot.health.contributor.Status;

/** The status of a health component that makes its node not ready, and nothing more (see the package). */
public final class Readiness {

    /**
     * Not ready: the readiness group answers 503 (its status order and HTTP mapping name it, in the platform's
     * defaults), while {@code /actuator/health} leaves it out, as any status its order does not name.
     */
    public static final Status NOT_READY = new Status("NOT_READY", "this node cannot do its job now; it is alive");

    private Readiness() {
    }
}
