package io.dtxlab.core.commit;

import java.util.Arrays;

/** The atomic commitment protocols the lab runs; {@link #label()} is how users write them ({@code "2PC"}). */
public enum CommitProtocol {
    TWO_PHASE("2PC"),
    THREE_PHASE("3PC");

    private final String label;

    CommitProtocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Accepts {@code 2PC}/{@code 3PC} (any case) or the enum name. */
    public static CommitProtocol parse(String text) {
        return Arrays.stream(values())
                .filter(p -> p.label.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown protocol '" + text + "'; use 2PC or 3PC"));
    }
}
