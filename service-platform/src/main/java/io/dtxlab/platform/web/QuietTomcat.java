package io.dtxlab.platform.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps Tomcat's threads asleep while no request arrives.
 *
 * <p>On this lab's small VMs each wake-up of an idle thread costs a few hundred microseconds of CPU, and a cluster at
 * rest has nine web servers; their periodic housekeeping was a fifth of the cluster's cost at rest. Requests are not
 * affected: a new connection or new data wakes the poller at once.
 */
@Configuration(proxyBeanMethods = false)
public class QuietTomcat {

    /**
     * The NIO poller looks for timed-out connections every 10 s instead of every second; the timeouts it checks
     * (keep-alive, 60 s) are far longer.
     */
    @Bean
    TomcatConnectorCustomizer quietPoller() {
        return connector -> connector.setProperty("selectorTimeout", "10000");
    }

    /** The async-timeout task runs only while some request is in async mode; see {@link QuietHttp11NioProtocol}. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> quietAsyncTimeout() {
        return factory -> factory.setProtocol(QuietHttp11NioProtocol.class.getName());
    }
}
