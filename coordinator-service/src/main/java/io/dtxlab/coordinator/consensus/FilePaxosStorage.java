package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.AcceptedValue;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.InMemoryPaxosStorage;
import io.dtxlab.core.paxos.PaxosStorage;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.StorageWrite;
import io.dtxlab.core.paxos.Value;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptor's state as an append-only log file: each {@link #write} appends one record (the {@link StorageWrite},
 * length-prefixed and CRC32C-checked) with one {@code write(2)}, as etcd's WAL and Raft logs do, instead of a database
 * transaction. A write returns once the record is in the operating system's page cache, so it survives a crash of the
 * process (the guarantee H2 gives with {@code WRITE_DELAY=0}); with {@code fsync} it is also forced to the device
 * before it returns, and then survives a power loss.
 * <p>
 * Opening the file replays it into memory (the state is small: the log after the compaction point). A record cut
 * short or corrupt at the end (a crash in the middle of a write) is cut off: it was never acknowledged, since a write
 * returns only after its whole record is written. When a write moves the compaction point and the file has grown to
 * twice its size after the last rewrite (at least {@code minRewrite}), a background thread writes the live state as
 * one record to a new file while writes go on to the old one; the records appended meanwhile are then copied after
 * it, and the new file replaces the old one atomically (rename). So the file stays within a small multiple of the
 * uncompacted log, and no write waits for a rewrite.
 * <p>
 * File layout, big-endian: a header (the magic number {@code "DTXP"} and a version, two ints), then records
 * {@code [int length][int crc32c][length bytes]}. A chosen value equal to the value the node accepted for its slot is
 * stored as a reference to it, so a value is on disk once, not twice.
 */
final class FilePaxosStorage implements PaxosStorage, AutoCloseable {

    /** The file's name in its directory. */
    static final String FILE = "acceptor.log";
    /** The default least size the file must reach before it is rewritten. */
    static final long MIN_REWRITE = 8L * 1024 * 1024;
    private static final int MAGIC = 0x44545850; // "DTXP"
    private static final int VERSION = 1;
    private static final int HEADER = 8;
    /** The shortest payload {@link #encode} writes (no promise, no values, the compaction point). */
    private static final int MIN_PAYLOAD = 1 + 4 + 4 + 8;
    private static final byte CHOSEN_VALUE = 0;
    private static final byte CHOSEN_AS_ACCEPTED = 1;

    private static final Logger log = LoggerFactory.getLogger(FilePaxosStorage.class);

    private final Path file;
    private final boolean fsync;
    private final long minRewrite;
    private final ExecutorService rewriter;
    private FileChannel channel;
    /** Where the next record goes: the end of the last whole record. */
    private long end;
    private long rewriteAt;
    /** While a rewrite runs: the records appended since its snapshot, to be copied after it. */
    private List<ByteBuffer> sinceSnapshot;
    /** Set when a failed write could not be cut off again: every later write fails (fail-stop). */
    private IOException broken;
    private boolean closed;

    /** What the file holds, as a restart reads it back. */
    private final InMemoryPaxosStorage state = new InMemoryPaxosStorage();
    private long rewrites;

    private FilePaxosStorage(Path file, boolean fsync, long minRewrite) {
        this.file = file;
        this.fsync = fsync;
        this.minRewrite = minRewrite;
        this.rewriteAt = minRewrite;
        this.rewriter = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "dtx-paxos-log-rewrite");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens (creating it and its directory if missing) the acceptor log at {@code file} and replays it.
     *
     * @param fsync force each write to the device before it returns (survives a power loss, costs a disk flush)
     * @param minRewrite the least size in bytes the file must reach before compaction rewrites it
     * @throws UncheckedIOException the file cannot be read or written, or is not an acceptor log
     */
    static FilePaxosStorage open(Path file, boolean fsync, long minRewrite) {
        FilePaxosStorage storage = new FilePaxosStorage(file, fsync, minRewrite);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            storage.replay();
        } catch (IOException e) {
            storage.rewriter.shutdown();
            throw new UncheckedIOException("cannot open the Paxos acceptor log " + file, e);
        }
        return storage;
    }

    private Path next() {
        return file.resolveSibling(file.getFileName() + ".next");
    }

    private void replay() throws IOException {
        Files.deleteIfExists(next()); // a rewrite a crash interrupted: the log itself is whole
        if (!Files.exists(file) || Files.size(file) < HEADER) {
            writeNewFile(file, null, fsync);
        }
        long size = Files.size(file);
        long good = HEADER;
        int records = 0;
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Paxos acceptor log");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has version " + version + "; this build reads " + VERSION);
            }
            while (good < size) {
                byte[] payload = readRecord(in, size - good);
                if (payload == null) {
                    break;
                }
                state.write(decode(payload, state::accepted));
                good += 8 + payload.length;
                records++;
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        if (good < size) {
            if (!tornTail(good, size)) {
                channel.close();
                throw new IOException(file + " has a damaged record at byte " + good + " of " + size + ", with more "
                        + "after it: not what a crash leaves (only the last record can be cut short), so the node "
                        + "refuses to start rather than forget the acknowledged records behind it");
            }
            log.warn("Paxos acceptor log {}: cut off {} bytes after its last whole record (a write a crash "
                    + "interrupted, never acknowledged)", file, size - good);
            channel.truncate(good);
            channel.force(false);
        }
        end = good;
        rewriteAt = Math.max(minRewrite, 2 * end);
        log.info("Paxos acceptor log {}: {} records, promised {}, {} accepted and {} chosen after slot {}", file,
                records, state.promised(), state.accepted().size(), state.chosen().size(), state.compactedThrough());
    }

    /**
     * The next whole record's payload, or null at a record that is cut short, damaged or impossible ({@code left}:
     * the bytes from the record's start to the end of the file).
     */
    private static byte[] readRecord(DataInputStream in, long left) throws IOException {
        if (left < 8) {
            return null;
        }
        int length = in.readInt();
        int crc = in.readInt();
        if (length < MIN_PAYLOAD || length > left - 8) {
            return null;
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        CRC32C check = new CRC32C();
        check.update(payload);
        return (int) check.getValue() == crc ? payload : null;
    }

    /**
     * Whether the bytes from {@code from} on are what a crash in the middle of the last append leaves: a record
     * whose stated length runs past the end of the file (or to it), a header cut short, or zeros (a file system
     * that extended the file before it wrote the data). Anything else is damage in the middle of the log.
     */
    private boolean tornTail(long from, long size) throws IOException {
        if (size - from < 8) {
            return true;
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(8);
            in.read(header, from);
            int length = header.flip().getInt();
            if (length >= MIN_PAYLOAD && from + 8 + length >= size) {
                return true;
            }
            for (long at = from; at < size; ) {
                buffer.clear();
                int read = in.read(buffer, at);
                if (read <= 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) != 0) {
                        return false;
                    }
                }
                at += read;
            }
            return true;
        }
    }

    @Override
    public Ballot promised() {
        return state.promised();
    }

    @Override
    public Collection<AcceptedValue> accepted() {
        return state.accepted();
    }

    @Override
    public Collection<SlotValue> chosen() {
        return state.chosen();
    }

    @Override
    public long compactedThrough() {
        return state.compactedThrough();
    }

    /** The file's size in bytes. */
    synchronized long size() {
        return end;
    }

    /** How many times the file was rewritten to drop what compaction deleted. */
    synchronized long rewrites() {
        return rewrites;
    }

    /**
     * Appends {@code write} as one record and returns once it is written (and forced, with {@code fsync}); only then
     * does the state read back change. A failed append is cut off again, so the file never holds a torn record
     * before a whole one.
     *
     * @throws UncheckedIOException the record could not be written; nothing of it counts
     */
    @Override
    public synchronized void write(StorageWrite write) {
        if (write.isEmpty()) {
            return;
        }
        if (broken != null) {
            throw new UncheckedIOException("the Paxos acceptor log " + file + " failed earlier", broken);
        }
        if (closed) {
            throw new IllegalStateException("the Paxos acceptor log " + file + " is closed");
        }
        ByteBuffer record = record(encode(write, state::accepted));
        try {
            long at = end;
            while (record.hasRemaining()) {
                at += channel.write(record, at);
            }
            if (fsync) {
                channel.force(false);
            }
            end = at;
        } catch (IOException e) {
            cutBack(e);
            throw new UncheckedIOException("cannot append to the Paxos acceptor log " + file, e);
        }
        state.write(write);
        if (sinceSnapshot != null) {
            sinceSnapshot.add(record.flip());
        } else if (write.compactedThrough() > 0 && end > rewriteAt) {
            startRewrite();
        }
    }

    /**
     * Cuts the file back to the end of the last whole record after a failed append. An interrupt (a stopping
     * driver) closes the channel with the write: it is opened again, with the interrupt held back meanwhile. If even
     * that fails the storage refuses every later write, so no record can land after a torn one.
     */
    private void cutBack(IOException failure) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!channel.isOpen()) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            channel.truncate(end);
        } catch (IOException again) {
            failure.addSuppressed(again);
            broken = failure;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Snapshots the live state (references only: values never change) and lets the rewrite thread write it to a new
     * file; the records appended meanwhile are collected for {@link #finishRewrite}.
     */
    private void startRewrite() {
        StorageWrite live = new StorageWrite(state.promised(), List.copyOf(state.accepted()), List.copyOf(state.chosen()),
                state.compactedThrough());
        sinceSnapshot = new ArrayList<>();
        Path next = next();
        try {
            rewriter.execute(() -> {
                try {
                    writeNewFile(next, encode(live, slot -> null), false);
                    finishRewrite(next);
                } catch (IOException | RuntimeException e) {
                    giveUpRewrite(e);
                }
            });
        } catch (RejectedExecutionException e) {
            sinceSnapshot = null; // closed
        }
    }

    /**
     * Copies the records appended since the snapshot after it (forced too, with {@code fsync}), and renames the new
     * file over the log (atomic: a crash leaves the old file or the new one, each whole). Writes wait meanwhile; the
     * copy is short.
     */
    private synchronized void finishRewrite(Path next) throws IOException {
        if (closed) {
            Files.deleteIfExists(next);
            return;
        }
        FileChannel fresh = FileChannel.open(next, StandardOpenOption.WRITE);
        try {
            long at = fresh.size();
            for (ByteBuffer record : sinceSnapshot) {
                while (record.hasRemaining()) {
                    at += fresh.write(record, at);
                }
            }
            if (fsync) {
                fresh.force(false);
            }
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                forceDirectory(file);
            }
            FileChannel old = channel;
            channel = fresh;
            closeQuietly(old);
            log.debug("Paxos acceptor log {} rewritten: {} bytes to {}", file, end, at);
            end = at;
        } catch (IOException | RuntimeException e) {
            closeQuietly(fresh);
            throw e;
        }
        rewrites++;
        rewriteAt = Math.max(minRewrite, 2 * end);
        sinceSnapshot = null;
    }

    private synchronized void giveUpRewrite(Exception e) {
        log.warn("could not rewrite the Paxos acceptor log {}: {}; it goes on growing until the next try", file,
                e.toString());
        sinceSnapshot = null;
        rewriteAt = end + minRewrite;
    }

    /**
     * Writes a header and, if given, one record to {@code path}, forced to the device; returns its size. With
     * {@code fsync} the directory is forced too, so that the new name survives a power loss.
     */
    private static long writeNewFile(Path path, byte[] payload, boolean fsync) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).flip();
        long size;
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (header.hasRemaining()) {
                out.write(header);
            }
            if (payload != null) {
                ByteBuffer record = record(payload);
                while (record.hasRemaining()) {
                    out.write(record);
                }
            }
            out.force(true);
            size = out.size();
        }
        if (fsync) {
            forceDirectory(path);
        }
        return size;
    }

    /** Makes the names in {@code file}'s directory durable (a rename, a new file), as fsync(2) on the directory. */
    private static void forceDirectory(Path file) throws IOException {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static ByteBuffer record(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                .put(payload).flip();
    }

    /**
     * {@code write} as a record's payload. A chosen value that is the very value accepted for its slot (in this write,
     * or in {@code acceptedBefore}) is written as a reference to it.
     */
    static byte[] encode(StorageWrite write, LongFunction<AcceptedValue> acceptedBefore) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(write.promised() != null);
            if (write.promised() != null) {
                out.writeLong(write.promised().round());
                writeString(out, write.promised().node());
            }
            out.writeInt(write.accepted().size());
            Map<Long, Value> acceptedHere = new HashMap<>();
            for (AcceptedValue a : write.accepted()) {
                out.writeLong(a.slot());
                out.writeLong(a.ballot().round());
                writeString(out, a.ballot().node());
                writeString(out, a.value().payload());
                acceptedHere.put(a.slot(), a.value());
            }
            out.writeInt(write.chosen().size());
            for (SlotValue c : write.chosen()) {
                out.writeLong(c.slot());
                Value accepted = acceptedHere.get(c.slot());
                AcceptedValue before = acceptedBefore.apply(c.slot());
                if (accepted == null && before != null) {
                    accepted = before.value();
                }
                if (c.value().equals(accepted)) {
                    out.writeByte(CHOSEN_AS_ACCEPTED);
                } else {
                    out.writeByte(CHOSEN_VALUE);
                    writeString(out, c.value().payload());
                }
            }
            out.writeLong(write.compactedThrough());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The write {@link #encode} wrote, its references resolved against its own accepted values and then these. */
    static StorageWrite decode(byte[] payload, LongFunction<AcceptedValue> acceptedBefore) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        Ballot promised = null;
        if (in.readBoolean()) {
            promised = new Ballot(in.readLong(), readString(in));
        }
        int acceptedCount = in.readInt();
        List<AcceptedValue> accepted = new ArrayList<>(acceptedCount);
        Map<Long, Value> acceptedHere = new HashMap<>();
        for (int i = 0; i < acceptedCount; i++) {
            long slot = in.readLong();
            Ballot ballot = new Ballot(in.readLong(), readString(in));
            AcceptedValue value = new AcceptedValue(slot, ballot, value(readString(in)));
            accepted.add(value);
            acceptedHere.put(slot, value.value());
        }
        int chosenCount = in.readInt();
        List<SlotValue> chosen = new ArrayList<>(chosenCount);
        for (int i = 0; i < chosenCount; i++) {
            long slot = in.readLong();
            byte kind = in.readByte();
            Value value;
            if (kind == CHOSEN_AS_ACCEPTED) {
                value = acceptedHere.get(slot);
                AcceptedValue before = acceptedBefore.apply(slot);
                if (value == null && before != null) {
                    value = before.value();
                }
                if (value == null) {
                    throw new IOException("chosen slot " + slot + " refers to an accepted value the log lacks");
                }
            } else if (kind == CHOSEN_VALUE) {
                value = value(readString(in));
            } else {
                throw new IOException("unknown chosen value kind " + kind);
            }
            chosen.add(new SlotValue(slot, value));
        }
        return new StorageWrite(promised, accepted, chosen, in.readLong());
    }

    /**
     * A string as its UTF-8 length and bytes; -1 for null (a no-op's payload); -2, then its length in chars and the
     * chars, for a string UTF-8 cannot carry (a lone half of a surrogate pair), so every value reads back as written.
     */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        if (hasLoneSurrogate(s)) {
            out.writeInt(-2);
            out.writeInt(s.length());
            out.writeChars(s);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length == -2) {
            char[] chars = new char[in.readInt()];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = in.readChar();
            }
            return new String(chars);
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A slot's value from its stored payload: null stands for the no-op. */
    static Value value(String payload) {
        return payload == null ? Value.NOOP : Value.of(payload);
    }

    /** Lets a rewrite underway finish (the file stays whole either way), then closes the file. */
    @Override
    public void close() {
        rewriter.shutdown();
        try {
            rewriter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed = true;
            closeQuietly(channel);
        }
    }

    private void closeQuietly(FileChannel open) {
        try {
            if (open != null) {
                open.close();
            }
        } catch (IOException e) {
            log.debug("closing the Paxos acceptor log {}: {}", file, e.toString());
        }
    }
}
