package io.dtxlab.platform.node;

import io.dtxlab.platform.fault.CrashHandler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Node control: crash this node on demand, for recovery demos where no launcher is at hand (docker compose). */
@RestController
@Tag(name = "Node control", description = "Stop this node abruptly (admin token)")
class NodeAdminController {

    private final CrashHandler crashHandler;

    NodeAdminController(CrashHandler crashHandler) {
        this.crashHandler = crashHandler;
    }

    @PostMapping("/admin/crash")
    @Operation(summary = "Crash this node now, as kill -9 would",
            description = "The JVM halts without shutdown hooks; it restarts from its files. No answer is sent.")
    @ApiResponse(responseCode = "200", description = "Never sent: the node is gone")
    void crash() {
        crashHandler.crash("admin.crash", null);
    }
}
