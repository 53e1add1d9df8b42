package io.dtxlab.platform;

import io.dtxlab.platform.fault.CrashHandler;
import io.dtxlab.platform.fault.HaltingCrashHandler;
import io.dtxlab.platform.json.StrictJson;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/** Switches the platform on in every service that depends on this module. */
@AutoConfiguration
@ComponentScan(basePackageClasses = PlatformAutoConfiguration.class)
@EnableConfigurationProperties(LabProperties.class)
public class PlatformAutoConfiguration {

    /**
     * Tomcat's NIO poller wakes every second to look for timed-out connections even when nothing happens; on this
     * lab's small VMs each idle wake-up of a thread costs a few hundred microseconds of CPU, which nine nodes pay
     * every second. Every 10 s is plenty: new connections and data wake the poller at once, and the timeouts it
     * checks (keep-alive, 60 s) are far longer.
     */
    @Bean
    TomcatConnectorCustomizer quietPoller() {
        return connector -> connector.setProperty("selectorTimeout", "10000");
    }

    /** Every JSON value must have its field's type: no 2.5 or "3" for an integer ({@link StrictJson}). */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return StrictJson::strict;
    }

    /** In a real deployment a crash halts the JVM; the test harness registers its own handler first. */
    @Bean
    @ConditionalOnMissingBean
    CrashHandler crashHandler() {
        return new HaltingCrashHandler();
    }
}
