package io.dtxlab.launcher.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tour's stories as data: the README's list, each with a claim it checks, and no variable used before it is known. */
class StoriesTest {

    @Test
    void theTourTellsTheReadmesStoriesInItsOrder() {
        assertThat(Stories.all()).extracting(Story::name).containsExactly("2pc-commit", "2pc-reject", "2pc-blocking",
                "3pc-nonblocking", "3pc-partition", "paxos-failover", "saga-compensation", "sync", "semi-sync", "async", "failover-ledger",
                "quorum-siblings", "hinted-handoff");
    }

    @Test
    void everyStoryEndsByCheckingWhatItClaims() {
        for (Story story : Stories.all()) {
            assertThat(story.claim()).as(story.name()).isNotBlank();
            Step last = story.steps().get(story.steps().size() - 1);
            assertThat(last.checks()).as("%s ends with a check", story.name()).isNotEmpty();
        }
    }

    @Test
    void everyVariableIsKnownBeforeAStepUsesIt() {
        for (Story story : Stories.all()) {
            Set<String> known = new HashSet<>(Set.of("fresh", "replicas", "slaves"));
            for (Step step : story.steps()) {
                for (String used : referencedBy(step.action())) {
                    assertThat(known).as("%s, step '%s' uses ${%s}", story.name(), step.narration(), used).contains(used);
                }
                step.captures().forEach(c -> known.add(c.name()));
                if (step.action() instanceof Action.Choose choose) {
                    known.add(choose.name());
                }
            }
        }
    }

    @Test
    void storiesThatNeedAStartTimeSettingSayWhichAndTheRestNeedNothing() {
        assertThat(Stories.named("failover-ledger").orElseThrow().requirement().otherwise())
                .contains("DTX_REPLICATION_FAILOVER=ELECT ./dtx up").contains("no admin API switches it");
        assertThat(Stories.named("hinted-handoff").orElseThrow().requirement().otherwise())
                .contains("./dtx up --replicas 4");
        assertThat(Stories.all().stream().filter(s -> s.requirement() != Requirement.NONE).map(Story::name))
                .containsExactlyInAnyOrder("failover-ledger", "hinted-handoff");
    }

    @Test
    void storiesThatSwitchTheMastersModeAreTheOnesTheTourPutsBack() {
        assertThat(Stories.all().stream().filter(Story::changesReplicationSettings).map(Story::name))
                .containsExactly("sync", "semi-sync", "async", "failover-ledger");
    }

    @Test
    void aSelectionKeepsTheGivenOrderOnceEach() {
        assertThat(Stories.select(List.of("sync", "2pc-commit", "sync"))).extracting(Story::name)
                .containsExactly("sync", "2pc-commit");
        assertThat(Stories.select(List.of())).hasSize(Stories.all().size());
    }

    @Test
    void anUnknownStoryIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Stories.select(List.of("2pc-commit", "4pc", "raft")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no story 4pc, raft")
                .hasMessageContaining("2pc-commit, 2pc-reject").hasMessageContaining("--list");
    }

    @Test
    void theListingIsOneLinePerStoryWithItsClaim() {
        List<String> listing = Stories.listing();
        assertThat(listing).hasSize(Stories.all().size());
        assertThat(listing.get(0)).startsWith("2pc-commit ").contains("12 messages");
        assertThat(listing).anySatisfy(line -> assertThat(line).startsWith("hinted-handoff")
                .endsWith("(needs: start the cluster with ./dtx up --replicas 4)"));
    }

    private static List<String> referencedBy(Action action) {
        List<String> used = new ArrayList<>();
        if (action instanceof Action.Call call) {
            used.addAll(Bindings.referencedBy(call.node()));
            used.addAll(Bindings.referencedBy(call.path()));
            texts(call.body(), used);
        } else if (action instanceof Action.Launch launch) {
            used.addAll(referencedBy(launch.call()));
        } else if (action instanceof Action.Crash crash) {
            used.addAll(Bindings.referencedBy(crash.node()));
        } else if (action instanceof Action.Restart restart) {
            restart.nodes().forEach(n -> used.addAll(Bindings.referencedBy(n)));
        }
        return used;
    }

    private static void texts(Object body, List<String> used) {
        if (body instanceof String text) {
            used.addAll(Bindings.referencedBy(text));
        } else if (body instanceof Map<?, ?> map) {
            map.values().forEach(v -> texts(v, used));
        } else if (body instanceof List<?> list) {
            list.forEach(v -> texts(v, used));
        }
    }
}
