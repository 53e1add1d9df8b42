package io.dtxlab.launcher.tour;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Every story the tour tells, in the README's order, and choosing some by name. */
final class Stories {

    private Stories() {
    }

    static List<Story> all() {
        return Stream.concat(CommitStories.all().stream(), ReplicationStories.all().stream()).toList();
    }

    static Optional<Story> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The stories named, in the order given, each once; every story when none is named.
     *
     * @throws IllegalArgumentException naming the unknown ones and listing the known
     */
    static List<Story> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return all();
        }
        List<Story> chosen = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            named(name.trim()).ifPresentOrElse(chosen::add, () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no story " + String.join(", ", unknown) + "; the stories: "
                    + String.join(", ", all().stream().map(Story::name).toList()) + " (./dtx tour --list)");
        }
        return chosen;
    }

    /** {@code ./dtx tour --list}: one line per story, its name and its claim. */
    static List<String> listing() {
        int width = all().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        return all().stream().map(s -> String.format("%-" + width + "s  %s", s.name(), s.claim())
                + (s.requirement().otherwise().isEmpty() ? "" : " (needs: " + needs(s) + ")")).toList();
    }

    private static String needs(Story story) {
        String otherwise = story.requirement().otherwise();
        int colon = otherwise.lastIndexOf(": ");
        return colon >= 0 ? otherwise.substring(colon + 2) : otherwise;
    }
}
