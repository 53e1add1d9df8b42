package io.dtxlab.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** A node's log lines leave through one queue ({@code logback-spring.xml}), all of them, in order. */
@ExtendWith(OutputCaptureExtension.class)
class LogQueueTest {

    private static final Logger log = LoggerFactory.getLogger(LogQueueTest.class);

    @Configuration(proxyBeanMethods = false)
    static class Nothing {
    }

    @Test
    void everyLineIsWrittenInOrderByTheLoggingThread(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE).run("--spring.main.banner-mode=off", "--dtx.node.id=log-test")) {
            // given: Spring Boot configured Logback from the platform's file
            LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
            assertThat(logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_CONSOLE"))
                    .isInstanceOf(AsyncAppender.class);
            // when: a burst larger than the queue
            int lines = 20_000;
            for (int i = 0; i < lines; i++) {
                log.info("line {} of the burst", i);
            }
            // then: none is dropped, and they come out in the order they were logged
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("line " + (lines - 1) + " of"));
            List<String> burst = Arrays.stream(output.getOut().split("\n")).filter(l -> l.contains(" of the burst"))
                    .toList();
            assertThat(burst).hasSize(lines);
            for (int i = 0; i < lines; i++) {
                assertThat(burst.get(i)).endsWith("line " + i + " of the burst");
            }
        }
    }
}
