package io.dtxlab.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history on disk: one JSON object per line, one event each, e.g.
 * <pre>{@code
 * {"type":"invoke","process":"c1","f":"write","key":"k1","value":"v3","time":1204000}
 * {"type":"nemesis","phase":"START","fault":"kill coordinator-1","time":1500000}
 * {"type":"ok","process":"c1","f":"write","key":"k1","value":{"index":7,"epoch":1},"time":3310000}
 * }</pre>
 * A file is appended to as the run goes ({@link HistoryRecorder}), so a run that dies still leaves every line it
 * finished.
 */
public final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writerFor(Event.class);
    private static final ObjectReader READER = MAPPER.readerFor(Event.class);

    private JsonLines() {
    }

    /** The event as one line of JSON, without the line break. */
    public static String line(Event event) {
        try {
            return WRITER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + event + " as JSON", e);
        }
    }

    /** Parses one line. @throws IllegalArgumentException when it is not an event */
    public static Event parse(String line) {
        try {
            return READER.readValue(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a whole history; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line (from 1) that is not an event
     */
    public static History read(Reader in) {
        List<Event> events = new ArrayList<>();
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        try {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + number + " is not a history event: "
                            + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new History(events);
    }

    /** Reads a history file (UTF-8). */
    public static History read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history " + file, e);
        }
    }

    /** Writes a whole history (UTF-8), replacing the file. */
    public static void write(History history, Path file) {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Event event : history.events()) {
                out.write(line(event));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history " + file, e);
        }
    }

    /**
     * Any value as JSON, for an event's value: a string, a number, a record, a map, a list, or null (JSON null).
     *
     * @throws IllegalArgumentException when Jackson cannot write it
     */
    public static JsonNode value(Object value) {
        return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
    }

    /** Reads a value of an event as {@code type}, e.g. a service's answer as a record. */
    public static <T> T convert(JsonNode value, Class<T> type) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + value, e);
        }
    }
}
