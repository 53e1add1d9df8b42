package io.dtxlab.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    /** A clock that moves 1 µs each time it is read, so every event has its own time. */
    private static AtomicLong ticks() {
        return new AtomicLong(5_000_000);
    }

    @Test
    void aRecordedHistoryReadsBackEqualFromItsJsonLines() {
        // given a run with every kind of event and value: text, number, object, array, none
        StringWriter file = new StringWriter();
        AtomicLong clock = ticks();
        HistoryRecorder recorder = new HistoryRecorder(file, () -> clock.addAndGet(1000));
        Invoke write = recorder.invoke("c1", "write", "k1", "v1");
        Invoke read = recorder.invoke("c2", "read", "k1", null);
        recorder.faultStart("partition [order] | [rest]");
        recorder.ok(write, new TreeMap<>(Map.of("index", 7, "epoch", 1)));
        recorder.ok(read, "v1");
        Invoke cas = recorder.invoke("c1", "cas", "k1", List.of("v1", 3));
        recorder.info(cas, null, "timeout");
        Invoke order = recorder.invoke("c3", "order", null, new TreeMap<>(Map.of("sku", "SKU-00001", "quantity", 2)));
        recorder.fail(order, "503 no coordinator");
        recorder.faultStop("partition [order] | [rest]");

        // when the lines are read back
        History back = JsonLines.read(new StringReader(file.toString()));

        // then they are the same history, one line per event, times from the recorder's start
        assertThat(back).isEqualTo(recorder.history());
        assertThat(file.toString().lines()).hasSize(10).allMatch(l -> l.startsWith("{\"type\":"));
        assertThat(back.events().get(0).time()).isEqualTo(1000);
        assertThat(back.operations()).extracting(Operation::describe).containsExactly(
                "#0 c1 write k1 \"v1\" -> ok {\"epoch\":1,\"index\":7} [0.001 ms .. 0.004 ms]",
                "#1 c2 read k1 -> ok \"v1\" [0.002 ms .. 0.005 ms]",
                "#5 c1 cas k1 [\"v1\",3] -> info (timeout) [0.006 ms .. 0.007 ms]",
                "#7 c3 order {\"quantity\":2,\"sku\":\"SKU-00001\"} -> fail (503 no coordinator) [0.008 ms .. 0.009 ms]");
    }

    @Test
    void aHistoryFileRoundTrips(@TempDir Path dir) {
        History history = History.of(new Invoke("c1", "read", "k", null, 10),
                Nemesis.start("kill coordinator-1", 11), new Invoke("c1", "read", "k", null, 10).ok(
                        JsonLines.value(42), 12));
        Path file = dir.resolve("history.jsonl");

        JsonLines.write(history, file);

        assertThat(JsonLines.read(file)).isEqualTo(history);
    }

    @Test
    void theRecorderKeepsOneOperationPerClientAndTimeOrderAcrossThreads() throws InterruptedException {
        // given 8 clients recording 500 operations each at once
        AtomicLong clock = ticks();
        StringWriter file = new StringWriter();
        HistoryRecorder recorder = new HistoryRecorder(file, clock::incrementAndGet);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String process = "c" + c;
            Thread client = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    recorder.ok(recorder.invoke(process, "write", "k", i), null);
                }
            });
            client.start();
            clients.add(client);
        }
        for (Thread t : clients) {
            t.join();
        }

        // then every invoke has its completion and the file's lines are in time order
        History back = JsonLines.read(new StringReader(file.toString()));
        assertThat(back.operations()).hasSize(4000).allMatch(Operation::ok);
        assertThat(back).isEqualTo(recorder.history());
    }

    @Test
    void aPartOfTheHistoryKeepsItsClientsOperationsAndEveryFault() {
        Invoke register = new Invoke("register-1", "write", "k", JsonLines.value("v"), 10);
        Invoke quorum = new Invoke("quorum-1", "write", "k", JsonLines.value("w"), 11);
        History history = History.of(register, quorum, Nemesis.start("pause order", 12), register.ok(null, 13),
                quorum.ok(null, 14), Nemesis.stop("pause order", 15));

        History own = history.only(process -> process.startsWith("register-"));

        assertThat(own.operations()).extracting(Operation::process).containsExactly("register-1");
        assertThat(own.faultWindows()).hasSize(1);
    }

    @Test
    void anInvokeWithoutCompletionIsAnOperationOfUnknownOutcome() {
        History history = History.of(new Invoke("c1", "write", "k", JsonLines.value("v"), 10),
                Nemesis.start("kill replica-1", 20));

        Operation op = history.operations().get(0);

        assertThat(op.unknown()).isTrue();
        assertThat(op.latestEffect()).isEqualTo(Long.MAX_VALUE);
        assertThat(op.completedAt()).isEqualTo(20);
    }

    @Test
    void aClientThatInvokesTwiceOrCompletesNothingIsRefusedByName() {
        Invoke first = new Invoke("c1", "read", "k", null, 1);
        assertThatThrownBy(() -> History.of(first, new Invoke("c1", "read", "k", null, 2)).operations())
                .hasMessageContaining("event 1: c1 invoked again before event 0 completed");
        assertThatThrownBy(() -> History.of(first.ok(null, 2)).operations())
                .hasMessageContaining("event 0: c1 completed an operation it never invoked");
        assertThatThrownBy(() -> History.of(first, new Invoke("c1", "write", "k", null, 1).ok(null, 2)).operations())
                .hasMessageContaining("event 1").hasMessageContaining("is not of the operation");
        assertThatThrownBy(() -> History.of(first, Nemesis.start("x", 0)))
                .hasMessageContaining("older than the one before it");
    }

    @Test
    void faultWindowsPairEachStopWithTheOldestStartOfTheSameFault() {
        History history = History.of(Nemesis.start("pause inventory", 10), Nemesis.start("kill coordinator-1", 20),
                Nemesis.start("pause inventory", 25), Nemesis.stop("pause inventory", 30),
                Nemesis.stop("kill coordinator-1", 40));

        assertThat(history.faultWindows()).containsExactly(new FaultWindow("pause inventory", 10, 30),
                new FaultWindow("kill coordinator-1", 20, 40),
                new FaultWindow("pause inventory", 25, Long.MAX_VALUE));
        assertThat(history.faultWindows().get(2).describe()).isEqualTo("pause inventory [0.000 ms .. end]");
        assertThatThrownBy(() -> History.of(Nemesis.stop("kill order", 1)).faultWindows())
                .hasMessageContaining("event 0 stops 'kill order', which is not on");
    }

    @Test
    void aLineThatIsNoEventIsNamedByItsNumber() {
        String lines = JsonLines.line(new Invoke("c1", "read", "k", null, 1)) + "\n\n{\"type\":\"commit\"}\n";

        assertThatThrownBy(() -> JsonLines.read(new StringReader(lines)))
                .hasMessageStartingWith("line 3 is not a history event");
    }

    @Test
    void aClosedRecorderOrACompletionOfNothingIsRefused() {
        HistoryRecorder recorder = new HistoryRecorder(new StringWriter(), ticks()::incrementAndGet);
        Invoke read = recorder.invoke("c1", "read", "k", null);
        assertThatThrownBy(() -> recorder.invoke("c1", "read", "k", null)).hasMessageContaining("under way");
        recorder.ok(read, "v");
        assertThatThrownBy(() -> recorder.ok(read, "v")).hasMessageContaining("completed already");
        recorder.close();
        assertThatThrownBy(() -> recorder.faultStart("kill order")).hasMessageContaining("closed");
    }
}
