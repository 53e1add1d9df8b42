package io.dtxlab.platform.node;

import io.dtxlab.core.cluster.NodeRole;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service's application class with its role. The platform derives the rest from it: the
 * default node id and port (from the default topology), and the service's own migrations in
 * {@code db/migration/<role>}. Nothing depends on a file named {@code application.yml}, so several
 * services can share one test classpath.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LabService {

    NodeRole value();
}
