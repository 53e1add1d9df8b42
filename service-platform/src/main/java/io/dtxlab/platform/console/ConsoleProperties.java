package io.dtxlab.platform.console;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web console ({@code /console/}).
 *
 * @param refreshInterval how often, while at least one browser is connected, the serving node reads the cluster map
 *     from every node (health, coordinators, replication, branches in doubt, recent transactions); nothing is read
 *     while no browser is connected. Default 1 s
 * @param readTimeout how long one of those reads may take before the node counts as not answering (a paused node
 *     must not hold up the map). Default 1 s
 * @param recentEvents how many cluster events from Kafka a newly connected browser is shown. Default 50
 */
@Validated
@ConfigurationProperties("dtx.console")
public record ConsoleProperties(
        @NotNull @DefaultValue("1s") Duration refreshInterval,
        @NotNull @DefaultValue("1s") Duration readTimeout,
        @DefaultValue("50") int recentEvents) {
}
