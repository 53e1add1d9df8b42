package io.dtxlab.inventory;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.participant.EnableParticipant;
import io.dtxlab.platform.node.LabService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The inventory participant: stock per SKU, reserved by prepared branches, sold on commit. */
@SpringBootApplication
@EnableParticipant
@LabService(NodeRole.INVENTORY)
public class InventoryApplication {

    public static void main(String[] args) {
        SpringApplication.run(InventoryApplication.class, args);
    }
}
