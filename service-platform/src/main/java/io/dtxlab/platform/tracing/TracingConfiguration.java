package io.dtxlab.platform.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /** Over the tracer when tracing is on (a tracer and a propagator exist), else {@link MessageTracing#OFF}. */
    @Bean
    MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        Tracer t = tracer.getIfAvailable();
        Propagator p = propagator.getIfAvailable();
        return t != null && p != null && t != Tracer.NOOP ? new MicrometerMessageTracing(t, p) : MessageTracing.OFF;
    }
}
