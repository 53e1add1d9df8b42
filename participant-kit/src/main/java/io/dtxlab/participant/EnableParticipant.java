package io.dtxlab.participant;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Makes a service a participant of global transactions. It must also define one
 * {@link io.dtxlab.participant.resource.BranchResource} bean. (An annotation, not auto-configuration, so services
 * that share a test classpath do not all become participants.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ParticipantConfiguration.class)
public @interface EnableParticipant {
}
