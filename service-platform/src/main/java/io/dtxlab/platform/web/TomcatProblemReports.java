package io.dtxlab.platform.web;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.stereotype.Component;

/**
 * Puts {@link ProblemReportValve} on Tomcat's host and engine in place of every {@link ErrorReportValve} (Tomcat's
 * default, and the one Spring Boot adds), so that errors Tomcat answers itself are problem details. Runs after Spring Boot's own
 * customizer, whose valve it removes.
 */
@Component
class TomcatProblemReports implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

    private final Environment environment;

    TomcatProblemReports(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        long maxHeaderBytes = environment.getProperty("server.max-http-request-header-size", DataSize.class,
                DataSize.ofKilobytes(8)).toBytes();
        factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            replaceErrorReports(host, maxHeaderBytes);
            if (host instanceof StandardHost standard) {
                // the host adds a valve of this class when it starts, unless one is there
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
            // A request Tomcat could not map to the host at all (e.g. a request line over the limit) is answered by
            // the engine's valves only. The valve reports an error once, so the two never both write.
            replaceErrorReports(host.getParent(), maxHeaderBytes);
        });
    }

    private static void replaceErrorReports(Container container, long maxHeaderBytes) {
        boolean present = false;
        for (Valve valve : container.getPipeline().getValves()) {
            if (valve instanceof ProblemReportValve) {
                present = true;
            } else if (valve instanceof ErrorReportValve) {
                container.getPipeline().removeValve(valve);
            }
        }
        if (!present) {
            container.getPipeline().addValve(new ProblemReportValve(maxHeaderBytes));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
