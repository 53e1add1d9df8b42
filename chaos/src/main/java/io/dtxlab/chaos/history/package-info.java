/**
 * The evidence of a chaos run, in Jepsen's model: every client operation recorded as an {@code invoke} and then
 * exactly one completion, {@code ok} (it happened), {@code fail} (it definitely did not) or {@code info} (unknown),
 * and the nemesis's faults in the same history.
 *
 * <pre>{@code
 * Event (sealed)
 * ├── ClientEvent (sealed): process, f, key, value, time
 * │   ├── Invoke
 * │   └── Completion (sealed): error
 * │       ├── Ok
 * │       ├── Fail
 * │       └── Info
 * └── Nemesis: START | STOP, fault, time
 * }</pre>
 *
 * {@link io.dtxlab.chaos.history.HistoryRecorder} appends events as they happen, one JSON line each
 * ({@link io.dtxlab.chaos.history.JsonLines}); {@link io.dtxlab.chaos.history.History} pairs invokes with completions
 * into {@link io.dtxlab.chaos.history.Operation}s and starts with stops into
 * {@link io.dtxlab.chaos.history.FaultWindow}s. Times are nanoseconds since the run's start on a monotonic clock.
 * Nothing here does I/O but the recorder and the reader.
 */
package io.dtxlab.chaos.history;
