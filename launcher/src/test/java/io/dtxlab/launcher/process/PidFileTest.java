package io.dtxlab.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void aPidFileRoundTripsWithItsStartInstant() throws Exception {
        // given
        PidFile written = PidFile.of(ProcessHandle.current());
        Path file = dir.resolve("run").resolve("order.pid");
        // when
        written.write(file);
        // then
        assertThat(PidFile.read(file)).contains(written);
        assertThat(written.kernelStart()).as("this machine has /proc").isPresent();
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void aStepOfTheWallClockDoesNotMakeALiveProcessAnother() {
        // given: our process as recorded by a JVM that read the boot time before the wall clock was stepped by an hour
        PidFile now = PidFile.of(ProcessHandle.current());
        PidFile beforeTheStep = new PidFile(now.pid(), now.startedAt().map(i -> i.minusSeconds(3600)), now.kernelStart());
        // then: the kernel's start ticks say it is the same process
        assertThat(beforeTheStep.liveProcess()).isPresent();
    }

    @Test
    void aReusedPidWithAnotherKernelStartIsNotOurProcess() {
        // given: our pid, with the same start instant but other start ticks (the instant is coarse, the ticks exact)
        PidFile now = PidFile.of(ProcessHandle.current());
        PidFile reused = new PidFile(now.pid(), now.startedAt(),
                now.kernelStart().map(k -> new PidFile.KernelStart(k.bootId(), k.ticks() - 1)));
        PidFile otherBoot = new PidFile(now.pid(), now.startedAt(),
                now.kernelStart().map(k -> new PidFile.KernelStart("another-boot", k.ticks())));
        // then
        assertThat(reused.isAlive()).isFalse();
        assertThat(otherBoot.isAlive()).isFalse();
    }

    @Test
    void aPidFileWithoutTheKernelStartIsJudgedByItsInstant() throws Exception {
        // given: a file as older launchers wrote it
        PidFile now = PidFile.of(ProcessHandle.current());
        Path file = dir.resolve("old.pid");
        Files.writeString(file, now.pid() + "\n" + now.startedAt().orElseThrow() + "\n");
        // then
        assertThat(PidFile.read(file)).hasValueSatisfying(read -> {
            assertThat(read.kernelStart()).isEmpty();
            assertThat(read.isAlive()).isTrue();
        });
    }

    @Test
    void theCurrentProcessIsAliveAndSame() {
        assertThat(PidFile.of(ProcessHandle.current()).liveProcess()).isPresent();
    }

    @Test
    void aReusedPidWithAnotherStartInstantIsNotOurProcess() {
        // given: our pid, but recorded (without the kernel's start) as started an hour earlier: the pid was reused since
        Instant actual = ProcessHandle.current().info().startInstant().orElseThrow();
        PidFile stale = new PidFile(ProcessHandle.current().pid(), Optional.of(actual.minusSeconds(3600)));
        // then
        assertThat(stale.isAlive()).isFalse();
    }

    @Test
    void startInstantsWithinRoundingErrorAreTheSameProcess() {
        Instant recorded = Instant.parse("2026-01-01T10:00:00.000Z");
        PidFile file = new PidFile(1, Optional.of(recorded));

        assertThat(file.sameStart(Optional.of(recorded.plusMillis(10)))).isTrue();
        assertThat(file.sameStart(Optional.of(recorded.plusSeconds(5)))).isFalse();
        assertThat(file.sameStart(Optional.empty())).isTrue();
    }

    @Test
    void aProcessThatEndedIsNotAlive() throws Exception {
        // given
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        PidFile file = PidFile.of(process.toHandle());
        // when
        process.waitFor();
        // then
        assertThat(file.isAlive()).isFalse();
    }

    @Test
    void garbageOrAMissingFileReadsAsNoPidFile() throws Exception {
        Path garbage = dir.resolve("x.pid");
        Files.writeString(garbage, "not a pid\n");

        assertThat(PidFile.read(garbage)).isEmpty();
        assertThat(PidFile.read(dir.resolve("missing.pid"))).isEmpty();
        assertThat(PidFile.parse(List.of("42", "-"))).contains(new PidFile(42, Optional.empty()));
        assertThat(PidFile.parse(List.of())).isEmpty();
    }
}
