package io.dtxlab.platform.fault;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** A fault injector with nothing armed, for tests outside this package. */
public final class Faults {

    private Faults() {
    }

    /** An injector whose crash handler only throws; no points declared beyond the message ones. */
    public static FaultInjector none() {
        return new FaultInjector((point, scope) -> {
        }, new StaticListableBeanFactory().getBeanProvider(FaultPoint.class));
    }
}
