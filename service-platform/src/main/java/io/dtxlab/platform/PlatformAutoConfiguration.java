package io.dtxlab.platform;

import io.dtxlab.platform.console.ConsoleProperties;
import io.dtxlab.platform.fault.CrashHandler;
import io.dtxlab.platform.fault.HaltingCrashHandler;
import io.dtxlab.platform.idempotency.IdempotencyProperties;
import io.dtxlab.platform.json.StrictJson;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/** Switches the platform on in every service that depends on this module. */
@AutoConfiguration
@ComponentScan(basePackageClasses = PlatformAutoConfiguration.class)
@EnableConfigurationProperties({LabProperties.class, IdempotencyProperties.class, ConsoleProperties.class})
public class PlatformAutoConfiguration {

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
