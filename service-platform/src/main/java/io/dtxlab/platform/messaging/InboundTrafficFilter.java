package io.dtxlab.platform.messaging;

import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First stop of every request: names the node and the transaction id or key in the log context,
 * and refuses messages from nodes this node is partitioned from.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InboundTrafficFilter extends OncePerRequestFilter {

    private final String self;
    private final PartitionTable partitions;
    private final ProblemWriter problems;

    InboundTrafficFilter(LabProperties properties, PartitionTable partitions, ProblemWriter problems) {
        this.self = properties.node().id();
        this.partitions = partitions;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String from = request.getHeader(ClusterHeaders.FROM);
        String scope = request.getHeader(ClusterHeaders.SCOPE);
        MDC.put("node", self);
        if (scope != null) {
            MDC.put("scope", scope);
        }
        try {
            response.setHeader(ClusterHeaders.NODE, self);
            if (partitions.isCutOffFrom(from)) {
                response.setHeader(ClusterHeaders.PARTITIONED, "true");
                problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "Partitioned",
                        self + " is partitioned from " + from + " and refuses its messages");
                return;
            }
            chain.doFilter(request, response);
        } finally {
            MDC.remove("node");
            MDC.remove("scope");
        }
    }
}
