package dev.ioasid.properties.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.properties.Generator;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Steered prefixes reach the states races hide in, on the parallel runs' default bounds, in most
 * tries; and what they say they reached is what the model's state shows.
 */
class PrefixGoalTests {

    @ParameterizedTest
    @EnumSource(PrefixGoal.class)
    void aSteeredPrefixReachesItsGoalInMostTries(PrefixGoal goal) {
        SplittableRandom random = new SplittableRandom(42);
        int reached = 0;
        int longest = 0;
        for (int t = 0; t < 100; t++) {
            Generator generator = new Generator(ParallelConfig.defaultBounds());
            generator.startSequence(random.nextLong());
            PrefixGoal.Prefix prefix = goal.prefix(Model.initial(ParallelConfig.defaultBounds()), generator, 6, random);
            longest = Math.max(longest, prefix.calls().size());
            if (prefix.reached()) {
                reached++;
                assertThat(shows(goal, prefix)).as("%s reached after %s", goal, prefix.calls()).isTrue();
            }
        }
        assertThat(reached).as("%s reached in 100 tries", goal).isGreaterThanOrEqualTo(90);
        assertThat(longest).isLessThanOrEqualTo(6 + PrefixGoal.STEERING_CALLS);
    }

    /** What the goal's name says, checked on the model's state after the prefix (replayed here). */
    private static boolean shows(PrefixGoal goal, PrefixGoal.Prefix prefix) {
        ModelState state = Model.initial(ParallelConfig.defaultBounds());
        Result last = null;
        for (Operation call : prefix.calls()) {
            var step = Model.step(state, call).canonical();
            state = step.next();
            last = step.result();
        }
        assertThat(state).isEqualTo(prefix.state());
        ModelState s = state;
        boolean onQueues = s.bounds().devices().stream().filter(d -> d.pri()).allMatch(d -> s.attached(d.id(), dev.ioasid.contract.Pasid.NONE)
                .flatMap(t -> s.object(d.vm(), t)).exists(t -> t instanceof ModelObject.HwptPaging p && p.fault() != 0
                        || t instanceof ModelObject.HwptNested n && n.fault() != 0));
        boolean delivered = s.objects().values().exists(o -> o instanceof ModelObject.FaultQueue q && !q.delivered().isEmpty());
        boolean awaiting = s.objects().values().exists(o -> o instanceof ModelObject.FaultQueue q && !q.awaiting().isEmpty());
        return switch (goal) {
            case ANYWHERE -> true;
            case FAULT_POINTS -> onQueues;
            case GROUP_DELIVERED -> onQueues && delivered;
            case AWAITING_RESPONSE -> onQueues && awaiting;
            case TRANSLATION_CACHED -> prefix.calls().get(prefix.calls().size() - 1) instanceof Operation.Dma
                    && last instanceof Result.Translated;
        };
    }
}
