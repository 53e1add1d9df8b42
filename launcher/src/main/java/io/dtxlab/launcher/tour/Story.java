package io.dtxlab.launcher.tour;

import java.util.Arrays;
import java.util.List;

/**
 * One of the README's stories, as the tour runs it: its steps in order, ending with the check of its claim.
 *
 * @param name what {@code ./dtx tour NAME} calls it
 * @param claim what it shows, in one line: PASS means the cluster did just that
 * @param requirement what it needs beyond a healthy cluster (else it is skipped, saying so)
 * @param changesReplicationSettings whether it switches the master's replication mode (the tour puts the settings
 *     back afterwards)
 * @param steps what it does
 */
record Story(String name, String claim, Requirement requirement, boolean changesReplicationSettings, List<Step> steps) {

    Story {
        steps = List.copyOf(steps);
    }

    static Story story(String name, String claim) {
        return new Story(name, claim, Requirement.NONE, false, List.of());
    }

    Story needs(Requirement needed) {
        return new Story(name, claim, needed, changesReplicationSettings, steps);
    }

    Story changingReplicationSettings() {
        return new Story(name, claim, requirement, true, steps);
    }

    Story steps(Step... all) {
        return new Story(name, claim, requirement, changesReplicationSettings, Arrays.asList(all));
    }

    Story steps(List<Step> all) {
        return new Story(name, claim, requirement, changesReplicationSettings, all);
    }
}
