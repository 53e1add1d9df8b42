package io.dtxlab.participant;

import io.dtxlab.contract.CoordinatorClient;
import io.dtxlab.participant.coordinator.CoordinatorDirectory;
import io.dtxlab.participant.coordinator.DiscoveringCoordinatorDirectory;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.fault.FaultPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.Location;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Imported by {@link EnableParticipant}. The kit's package joins the service's auto-configuration packages, so its
 * entity and repository are found beside the service's own.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage(basePackageClasses = ParticipantConfiguration.class)
@ComponentScan(basePackageClasses = ParticipantConfiguration.class)
@EnableConfigurationProperties(ParticipantProperties.class)
class ParticipantConfiguration {

    static final String MIGRATIONS = "classpath:db/migration/participant";

    /** The kit's tables come with the kit: its migrations join the service's own. */
    @Bean
    FlywayConfigurationCustomizer participantMigrations() {
        return configuration -> {
            List<Location> locations = new ArrayList<>(Arrays.asList(configuration.getLocations()));
            locations.add(new Location(MIGRATIONS));
            configuration.locations(locations.toArray(Location[]::new));
        };
    }

    @Bean
    @ConditionalOnMissingBean
    CoordinatorDirectory coordinatorDirectory(ParticipantProperties properties, ClusterClient client) {
        return new DiscoveringCoordinatorDirectory(client, properties.coordinator());
    }

    /** How participants (in-doubt recovery) and the order service (begin) talk to the coordinators. */
    @Bean
    @ConditionalOnMissingBean
    CoordinatorClient coordinatorClient(ClusterClient client) {
        return new CoordinatorClient(client);
    }

    @Bean
    FaultPoint prepareReceived() {
        return new FaultPoint(ParticipantFaults.PREPARE_RECEIVED,
                "A prepare (or can-commit, pre-commit, NONE's apply) arrived, before anything is locked or stored. "
                        + "DELAY = a slow participant (a delay longer than the coordinator's prepare timeout makes "
                        + "the prepare arrive late); CRASH.");
    }

    @Bean
    FaultPoint voteNo() {
        return new FaultPoint(ParticipantFaults.VOTE_NO,
                "ERROR = vote NO on the prepare (reason: injected), nothing reserved; for NONE's apply: refuse it, "
                        + "nothing applied.");
    }

    @Bean
    FaultPoint beforeVotePersisted() {
        return new FaultPoint(ParticipantFaults.BEFORE_VOTE_PERSISTED,
                "The reservation is made but not yet committed. CRASH = crash before persisting the vote "
                        + "(the reservation is lost with the uncommitted local transaction); DELAY = slow.");
    }

    @Bean
    FaultPoint afterVotePersisted() {
        return new FaultPoint(ParticipantFaults.AFTER_VOTE_PERSISTED,
                "The YES vote is on disk but not yet sent. CRASH = crash after persisting the vote: the branch "
                        + "comes back PREPARED and in doubt.");
    }

    @Bean
    FaultPoint decisionReceived() {
        return new FaultPoint(ParticipantFaults.DECISION_RECEIVED,
                "A commit or abort arrived. DELAY = slow phase 2; ERROR = fail it (the coordinator retries); CRASH.");
    }
}
