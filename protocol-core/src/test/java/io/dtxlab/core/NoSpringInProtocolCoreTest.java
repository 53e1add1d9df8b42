package io.dtxlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NoSpringInProtocolCoreTest {

    // The cores must run under a deterministic simulator: no framework, no I/O, no wall clock.
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(org\\.springframework|jakarta\\.|java\\.net\\.|java\\.nio\\.file\\.|java\\.io\\.File)"
                    + "|System\\.currentTimeMillis|System\\.nanoTime|Instant\\.now\\(\\)|new\\s+Random\\(\\)",
            Pattern.MULTILINE);

    @Test
    void protocolCoresImportNoFrameworkNoIoAndReadNoClock() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(NoSpringInProtocolCoreTest::breaksTheRule)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).as("protocol-core files that import Spring, do I/O or read the clock").isEmpty();
    }

    private static boolean breaksTheRule(Path file) {
        try {
            return FORBIDDEN.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
