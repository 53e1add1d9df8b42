package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.Dot;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A version as it travels over HTTP, between replicas and to clients: the value and its dotted version vector.
 * A body without {@code dot} is a version written before dots: {@code clock} is then its whole plain vector clock.
 *
 * @param value the value
 * @param clock the vector clock clients see: {@code past} with the dot's entry raised to the dot, e.g.
 *        {@code {"replica-1":2,"replica-2":1}}
 * @param dot the write that made the version: the coordinating node and its counter for the key
 * @param past what the writer had seen (the context it wrote with), node to counter
 */
@Schema(description = "One version of a value: its vector clock, the dot of the write that made it, and its past")
record VersionBody(String value, Map<String, Long> clock, Dot dot, Map<String, Long> past) {

    static VersionBody of(Version version) {
        return new VersionBody(version.value(), version.clock().counters(), version.dot(),
                version.dot() == null ? null : version.past().counters());
    }

    static List<VersionBody> of(Collection<Version> versions) {
        return versions.stream().map(VersionBody::of).toList();
    }

    /**
     * The version; a clock that does not match the dot and past, or a counter above
     * {@link VectorClock#MAX_COUNTER}, is refused rather than stored.
     */
    Version toVersion() {
        Version version = parse();
        if (version.clock().highest() > VectorClock.MAX_COUNTER) {
            throw new IllegalArgumentException("a version's counters are at most " + VectorClock.MAX_COUNTER
                    + ", was " + version.clock());
        }
        return version;
    }

    private Version parse() {
        if (value == null) {
            throw new IllegalArgumentException("a version needs a value");
        }
        if (dot == null) {
            if (clock == null) {
                throw new IllegalArgumentException("a version without a dot needs its clock");
            }
            return new Version(VectorClock.of(clock), value);
        }
        if (past == null) {
            throw new IllegalArgumentException("a version with a dot needs its past");
        }
        Version version = Version.write(dot, VectorClock.of(past), value);
        if (clock != null && !version.clock().equals(VectorClock.of(clock))) {
            throw new IllegalArgumentException("the clock " + clock + " is not the past " + past + " with the dot "
                    + dot);
        }
        return version;
    }

    static List<Version> toVersions(Collection<VersionBody> bodies) {
        return bodies == null ? List.of() : bodies.stream().map(VersionBody::toVersion).toList();
    }
}
