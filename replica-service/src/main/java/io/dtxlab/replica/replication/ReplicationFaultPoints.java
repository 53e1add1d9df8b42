package io.dtxlab.replica.replication;

import io.dtxlab.platform.fault.FaultPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The fault points of replication, listed by {@code GET /admin/faults/points}; besides them, send:replicate etc. */
@Configuration(proxyBeanMethods = false)
class ReplicationFaultPoints {

    static final String AFTER_LOCAL_WRITE = "replication.after-local-write";
    static final String BEFORE_PUBLISH = "replication.before-publish";
    static final String BEFORE_APPLY = "replication.before-apply";
    static final String BEFORE_APPLY_ASYNC = "replication.before-apply-async";

    @Bean
    FaultPoint afterLocalWrite() {
        return new FaultPoint(AFTER_LOCAL_WRITE, "master: the entry is in the master's log and data, not yet sent to any slave");
    }

    @Bean
    FaultPoint beforePublish() {
        return new FaultPoint(BEFORE_PUBLISH, "master (ASYNC): the write was answered; its entry is about to go to Kafka. "
                + "A DELAY here holds this and every later entry back: the master holds unreplicated writes");
    }

    @Bean
    FaultPoint beforeApply() {
        return new FaultPoint(BEFORE_APPLY, "slave: a replicate or catch-up message arrived, nothing applied yet "
                + "(a DELAY makes this slave slow for SYNC and SEMI_SYNC)");
    }

    @Bean
    FaultPoint beforeApplyAsync() {
        return new FaultPoint(BEFORE_APPLY_ASYNC, "slave: an entry arrived from Kafka, not applied yet "
                + "(a DELAY makes this slave lag in ASYNC)");
    }
}
