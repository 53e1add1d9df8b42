package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A version as it travels over HTTP: the value and its vector clock as node to counter.
 *
 * @param value the value
 * @param clock the vector clock, e.g. {@code {"replica-1":2,"replica-2":1}}
 */
@Schema(description = "One version of a value and its vector clock")
record VersionBody(String value, Map<String, Long> clock) {

    static VersionBody of(Version version) {
        return new VersionBody(version.value(), version.clock().counters());
    }

    static List<VersionBody> of(Collection<Version> versions) {
        return versions.stream().map(VersionBody::of).toList();
    }

    Version toVersion() {
        if (value == null || clock == null) {
            throw new IllegalArgumentException("a version needs a value and a clock");
        }
        return new Version(VectorClock.of(clock), value);
    }

    static List<Version> toVersions(Collection<VersionBody> bodies) {
        return bodies == null ? List.of() : bodies.stream().map(VersionBody::toVersion).toList();
    }
}
