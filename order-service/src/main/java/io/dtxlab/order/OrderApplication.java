package io.dtxlab.order;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.participant.EnableParticipant;
import io.dtxlab.platform.node.LabService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The order service: takes orders from customers and is itself a participant (the order branch). */
@SpringBootApplication
@EnableParticipant
@LabService(NodeRole.ORDER)
public class OrderApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }
}
