package io.dtxlab.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quiet connector still times out async requests; it only skips the check while none is waiting. */
class QuietHttp11NioProtocolTest {

    private Tomcat tomcat;
    private QuietHttp11NioProtocol protocol;

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("quiet-tomcat").toString());
        Connector connector = new Connector(QuietHttp11NioProtocol.class.getName());
        connector.setPort(0);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", Path.of(tomcat.getServer().getCatalinaBase().getPath()).toString());
        Tomcat.addServlet(context, "plain", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(200);
            }
        });
        context.addServletMappingDecoded("/plain", "plain");
        Tomcat.addServlet(context, "never-answers", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                var async = request.startAsync();
                async.setTimeout(300);
                async.addListener(new AsyncListener() {
                    @Override
                    public void onTimeout(AsyncEvent event) {
                        ((HttpServletResponse) event.getSuppliedResponse()).setStatus(503);
                        event.getAsyncContext().complete();
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            }
        }).setAsyncSupported(true);
        context.addServletMappingDecoded("/never-answers", "never-answers");
        tomcat.start();
        protocol = (QuietHttp11NioProtocol) connector.getProtocolHandler();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void anAsyncRequestThatNobodyAnswersStillTimesOutAndNothingStaysWaiting() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        int port = tomcat.getConnector().getLocalPort();

        assertThat(get(client, port, "/plain")).isEqualTo(200);
        assertThat(get(client, port, "/never-answers")).isEqualTo(503);
        assertThat(get(client, port, "/never-answers")).isEqualTo(503);

        assertThat(protocol.getWaitingProcessorCount()).isZero();
    }

    private static int get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
