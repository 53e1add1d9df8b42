package io.dtxlab.coordinator.consensus;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the coordinators elect a leader and replicate their log ({@code dtx.coordinator.consensus.*}). The group is
 * every coordinator in {@code dtx.cluster.members}.
 *
 * @param electionTimeout a follower that hears no leader for a random time in [timeout, 2 × timeout) starts an
 *        election: a new leader takes over within about this long
 * @param heartbeatInterval how often the leader renews its lease
 * @param leaseDuration how long followers refuse to promise anyone else after hearing the leader
 * @param maxClockDrift how far two coordinators' clocks may drift apart over one lease
 * @param tick how often the node's timers are checked
 * @param proposeTimeout how long a log record may take to be chosen before the transaction gives up
 * @param messageTimeout how long a consensus message waits for delivery
 */
@Validated
@ConfigurationProperties("dtx.coordinator.consensus")
public record ConsensusProperties(
        @NotNull @DefaultValue("1s") Duration electionTimeout,
        @NotNull @DefaultValue("100ms") Duration heartbeatInterval,
        @NotNull @DefaultValue("800ms") Duration leaseDuration,
        @NotNull @DefaultValue("50ms") Duration maxClockDrift,
        @NotNull @DefaultValue("20ms") Duration tick,
        @NotNull @DefaultValue("3s") Duration proposeTimeout,
        @NotNull @DefaultValue("500ms") Duration messageTimeout) {
}
