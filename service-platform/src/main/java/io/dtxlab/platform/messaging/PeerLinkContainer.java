package io.dtxlab.platform.messaging;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.websocket.server.ServerContainer;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.stereotype.Component;

/**
 * Makes sure Tomcat's WebSocket container is there for {@link PeerLinkServer} to upgrade connections with: Spring Boot
 * starts it only with its WebSocket module, which the nodes do not otherwise need. No endpoint is mapped: the only
 * way to a WebSocket is the link server's upgrade, behind the cluster token.
 */
@Component
class PeerLinkContainer implements ServletContextInitializer {

    @Override
    public void onStartup(ServletContext servletContext) throws ServletException {
        if (servletContext.getAttribute(ServerContainer.class.getName()) == null) {
            new WsSci().onStartup(null, servletContext);
        }
    }
}
