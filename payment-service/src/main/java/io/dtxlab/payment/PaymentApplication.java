package io.dtxlab.payment;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.participant.EnableParticipant;
import io.dtxlab.platform.node.LabService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The payment participant: customer accounts, funds held by prepared branches, charged on commit. */
@SpringBootApplication
@EnableParticipant
@LabService(NodeRole.PAYMENT)
public class PaymentApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaymentApplication.class, args);
    }
}
