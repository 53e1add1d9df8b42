package io.dtxlab.launcher.health;

/** What {@code /actuator/health} said: UP, something else (DOWN), or nothing at all. */
public enum Health {
    UP("UP"), DOWN("DOWN"), UNREACHABLE("unreachable");

    private final String label;

    Health(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
