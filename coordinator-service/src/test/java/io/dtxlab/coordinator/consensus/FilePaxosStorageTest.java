package io.dtxlab.coordinator.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dtxlab.core.paxos.AcceptedValue;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.InMemoryPaxosStorage;
import io.dtxlab.core.paxos.PaxosStorage;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.StorageWrite;
import io.dtxlab.core.paxos.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptor log file: what was written is what a restart reads back, a record a crash cut short is dropped and
 * nothing before it, and a rewrite (compaction) loses no write, including those made while it ran. Checked against
 * {@link InMemoryPaxosStorage}, the storage the Paxos simulations use, over seeded random histories.
 */
class FilePaxosStorageTest {

    @TempDir
    Path dir;

    @Test
    void aRestartReadsBackThePromiseTheAcceptedAndTheChosenValues() {
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(new Ballot(3, "coordinator-2"), List.of(), List.of()));
            storage.write(new StorageWrite(null, List.of(accepted(1, 3, "BEGIN tx-1"), accepted(2, 3, null)),
                    List.of()));
            // slot 1 chosen with the value accepted for it (stored as a reference), slot 3 learned from a peer
            storage.write(new StorageWrite(null, List.of(), List.of(chosen(1, "BEGIN tx-1"), chosen(3, "é ✓ tx-3"))));
        }

        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.promised()).isEqualTo(new Ballot(3, "coordinator-2"));
            assertThat(storage.accepted()).containsExactly(accepted(1, 3, "BEGIN tx-1"), accepted(2, 3, null));
            assertThat(storage.chosen()).containsExactly(chosen(1, "BEGIN tx-1"), chosen(3, "é ✓ tx-3"));
            assertThat(storage.compactedThrough()).isZero();
        }
    }

    @Test
    void aRecordACrashCutShortIsDroppedAndWritingGoesOnAfterTheLastWholeOne() throws IOException {
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(new Ballot(1, "coordinator-1"), List.of(accepted(1, 1, "a")), List.of()));
            storage.write(new StorageWrite(null, List.of(accepted(2, 1, "b")), List.of()));
        }
        long whole = Files.size(file);
        // given a third record of which the crash left only its length and half its checksum
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);

        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(Files.size(file)).isEqualTo(whole);
            assertThat(storage.accepted()).containsExactly(accepted(1, 1, "a"), accepted(2, 1, "b"));
            storage.write(new StorageWrite(null, List.of(accepted(3, 1, "c")), List.of()));
        }
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.accepted()).extracting(AcceptedValue::slot).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aCorruptLastRecordIsDroppedByItsChecksum() throws IOException {
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(null, List.of(accepted(1, 1, "a")), List.of()));
            storage.write(new StorageWrite(null, List.of(accepted(2, 1, "b")), List.of()));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x20; // "b" becomes "B": the record's CRC32C no longer matches
        Files.write(file, bytes);

        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.accepted()).containsExactly(accepted(1, 1, "a"));
        }
    }

    @Test
    void zerosAfterTheLastRecordAreCutOff() throws IOException {
        // as a file system may leave after a power loss: the file extended, the data never written
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(null, List.of(accepted(1, 1, "a")), List.of()));
        }
        long whole = Files.size(file);
        Files.write(file, new byte[4096], StandardOpenOption.APPEND);

        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(Files.size(file)).isEqualTo(whole);
            assertThat(storage.accepted()).containsExactly(accepted(1, 1, "a"));
        }
    }

    @Test
    void aDamagedRecordWithWholeRecordsAfterItRefusesToStartRatherThanDropThem() throws IOException {
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(null, List.of(accepted(1, 1, "first")), List.of()));
            storage.write(new StorageWrite(null, List.of(accepted(2, 1, "second")), List.of()));
        }
        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("first");
        bytes[at] ^= 0x20; // a bit flipped inside the first record; the second is whole
        Files.write(file, bytes);

        assertThatThrownBy(() -> FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE))
                .isInstanceOf(UncheckedIOException.class).rootCause().hasMessageContaining("damaged record at byte 8");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void everyStringReadsBackAsWrittenEvenOneUtf8CannotCarry() {
        Path file = dir.resolve("acceptor.log");
        String lone = "half a pair: \uD83D and more";
        String pair = "a whole pair: \uD83D\uDE00";
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(new Ballot(1, "coordinator-\uDC00"), List.of(accepted(1, 1, lone),
                    accepted(2, 1, pair)), List.of()));
        }
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.promised().node()).isEqualTo("coordinator-\uDC00");
            assertThat(storage.accepted()).containsExactly(accepted(1, 1, lone), accepted(2, 1, pair));
        }
    }

    @Test
    void aWriteInterruptedByAStoppingDriverFailsAloneAndTheNextOneLands() {
        Path file = dir.resolve("acceptor.log");
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            storage.write(new StorageWrite(null, List.of(accepted(1, 1, "a")), List.of()));
            Thread.currentThread().interrupt(); // the channel closes on the interrupted write
            try {
                assertThatThrownBy(() -> storage.write(new StorageWrite(null, List.of(accepted(2, 1, "b")),
                        List.of()))).isInstanceOf(UncheckedIOException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            storage.write(new StorageWrite(null, List.of(accepted(3, 1, "c")), List.of()));
            assertThat(storage.accepted()).extracting(AcceptedValue::slot).containsExactly(1L, 3L);
        }
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.accepted()).extracting(AcceptedValue::slot).containsExactly(1L, 3L);
        }
    }

    @Test
    void aFileThatIsNoAcceptorLogIsRefused() throws IOException {
        Path file = dir.resolve("acceptor.log");
        Files.writeString(file, "not a Paxos log at all");

        assertThatThrownBy(() -> FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot open the Paxos acceptor log")
                .rootCause().hasMessageContaining("is not a Paxos acceptor log");
    }

    @Test
    void compactionRewritesTheFileSmallerAndKeepsEveryLiveValue() {
        Path file = dir.resolve("acceptor.log");
        InMemoryPaxosStorage expected = new InMemoryPaxosStorage();
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, 4096)) {
            for (long slot = 1; slot <= 200; slot++) {
                String value = "value " + slot + " " + "x".repeat(100);
                both(storage, expected, new StorageWrite(null, List.of(accepted(slot, 1, value)),
                        List.of(chosen(slot, value))));
            }
            long grown = storage.size();

            // when the application has applied through slot 190 and compacts
            both(storage, expected, new StorageWrite(null, List.of(), List.of(), 190));

            // then the file is rewritten in the background to what is live: slots 191 to 200
            await().atMost(Duration.ofSeconds(10)).until(() -> storage.rewrites() == 1);
            assertThat(grown).isGreaterThan(20_000);
            assertThat(storage.size()).isLessThan(2_000);
            assertSame(storage, expected);
        }
        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, 4096)) {
            assertSame(storage, expected);
            assertThat(storage.accepted()).extracting(AcceptedValue::slot).startsWith(191L).endsWith(200L);
        }
    }

    /**
     * Random histories (promises, accepts, learned values, no-ops, compactions), each write to the file and to
     * memory, the file closed and opened again at random points, while background rewrites come and go: after each
     * opening the file holds exactly what memory does. A failing seed is printed and replays alone.
     */
    @Test
    void randomHistoriesReadBackExactlyAfterEveryRestart() {
        long rewrites = 0;
        for (long seed = 1; seed <= 150; seed++) {
            Path file = dir.resolve("acceptor-" + seed + ".log");
            Random random = new Random(seed);
            InMemoryPaxosStorage expected = new InMemoryPaxosStorage();
            FilePaxosStorage storage = FilePaxosStorage.open(file, false, 2048);
            long round = 1;
            long slot = 0;
            long compacted = 0;
            try {
                for (int step = 0; step < 120; step++) {
                    Ballot promised = null;
                    if (random.nextInt(10) == 0) {
                        round += 1 + random.nextInt(3);
                        promised = new Ballot(round, "coordinator-" + (1 + random.nextInt(3)));
                    }
                    List<AcceptedValue> accepts = new ArrayList<>();
                    List<SlotValue> chosen = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        long at = compacted + 1 + random.nextInt((int) (slot - compacted) + 3);
                        slot = Math.max(slot, at);
                        String payload = random.nextInt(8) == 0 ? null : "seed " + seed + " slot " + at + " " + step;
                        accepts.add(new AcceptedValue(at, new Ballot(round, "coordinator-1"),
                                payload == null ? Value.NOOP : Value.of(payload)));
                        if (random.nextBoolean()) { // learned at once, as the same value or one chosen elsewhere
                            chosen.add(new SlotValue(at, random.nextInt(4) == 0 ? Value.of("other " + step)
                                    : accepts.get(accepts.size() - 1).value()));
                        }
                    }
                    for (SlotValue c : expected.chosen()) { // learning an earlier accepted slot later
                        if (random.nextInt(6) == 0 && chosen.stream().noneMatch(x -> x.slot() == c.slot())) {
                            chosen.add(c);
                        }
                    }
                    for (AcceptedValue a : expected.accepted()) {
                        if (random.nextInt(6) == 0 && chosen.stream().noneMatch(x -> x.slot() == a.slot())) {
                            chosen.add(new SlotValue(a.slot(), a.value()));
                        }
                    }
                    long compactTo = 0;
                    if (random.nextInt(8) == 0 && slot > compacted + 2) {
                        compactTo = compacted + 1 + random.nextInt((int) (slot - compacted - 1));
                        compacted = compactTo;
                    }
                    both(storage, expected, new StorageWrite(promised, accepts, chosen, compactTo));
                    if (random.nextInt(15) == 0) {
                        storage.close();
                        rewrites += storage.rewrites();
                        storage = FilePaxosStorage.open(file, false, 2048);
                        assertSame(storage, expected);
                    }
                }
                storage.close();
                rewrites += storage.rewrites();
                storage = FilePaxosStorage.open(file, false, 2048);
                assertSame(storage, expected);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            } finally {
                storage.close();
            }
        }
        assertThat(rewrites).as("rewrites over all the histories").isGreaterThan(10);
    }

    private static void both(FilePaxosStorage storage, InMemoryPaxosStorage expected, StorageWrite write) {
        storage.write(write);
        expected.write(write);
    }

    private static void assertSame(PaxosStorage actual, InMemoryPaxosStorage expected) {
        assertThat(actual.promised()).isEqualTo(expected.promised());
        assertThat(actual.accepted()).containsExactlyElementsOf(expected.accepted());
        assertThat(actual.chosen()).containsExactlyElementsOf(expected.chosen());
        assertThat(actual.compactedThrough()).isEqualTo(expected.compactedThrough());
    }

    private static AcceptedValue accepted(long slot, long round, String payload) {
        return new AcceptedValue(slot, new Ballot(round, "coordinator-1"), payload == null ? Value.NOOP : Value.of(payload));
    }

    private static SlotValue chosen(long slot, String payload) {
        return new SlotValue(slot, Value.of(payload));
    }
}
