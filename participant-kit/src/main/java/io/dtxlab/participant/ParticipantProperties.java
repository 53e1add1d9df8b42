package io.dtxlab.participant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a participant behaves ({@code dtx.participant.*}).
 *
 * @param coordinator the coordinator to ask first; a coordinator that does not lead names the leader, and the
 *        participant follows it
 * @param recoveryInterval how often in-doubt branches ask the coordinator for their decision
 * @param inDoubtAfter how long a branch may stay PREPARED before it asks (a restart asks at once)
 * @param decisionTimeout how long to wait for the coordinator's answer to "what was decided?"
 * @param threePhaseTimeout how long a 3PC branch waits for the next message before it decides alone: a branch
 *        that only voted aborts, a pre-committed one commits
 * @param branchExpectedWithin how long a participant waits for a branch it expects but no coordinator has sent (the
 *        order service's own branch of an order answered 202 whose begin may never have reached a coordinator):
 *        after it, the participant asks the coordinator and refuses the branch (see
 *        {@link io.dtxlab.participant.resource.ExpectedBranch})
 */
@Validated
@ConfigurationProperties("dtx.participant")
public record ParticipantProperties(
        @NotBlank @DefaultValue("coordinator-1") String coordinator,
        @NotNull @DefaultValue("2s") Duration recoveryInterval,
        @NotNull @DefaultValue("5s") Duration inDoubtAfter,
        @NotNull @DefaultValue("2s") Duration decisionTimeout,
        @NotNull @DefaultValue("10s") Duration threePhaseTimeout,
        @NotNull @DefaultValue("30s") Duration branchExpectedWithin) {
}
