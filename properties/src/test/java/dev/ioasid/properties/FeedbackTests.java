package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Design;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelImplementation;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Rule;
import io.vavr.collection.List;
import org.junit.jupiter.api.Test;

/** Coverage feedback: the weights move toward the choices that still find new cells, and a run stays a function of its seed. */
class FeedbackTests {

    @Test
    void aChoiceThatStopsFindingNewCellsFallsTowardItsPlainWeight() {
        Feedback feedback = new Feedback(2);
        ModelState initial = Model.initial(Bounds.defaults(), Design.PAGE_TABLE_OWNER);
        assertThat(feedback.boost(0)).isEqualTo(feedback.boost(1)).isEqualTo(1 + Feedback.BONUS / 2);

        StepRecord same = record(initial, new Operation.QuerySet(1), Result.failed(dev.ioasid.contract.Errno.ENOENT), Rule.SET_1);
        for (int i = 0; i < 50; i++) {
            feedback.observe(0, same, initial);
        }
        ModelState mapped = Model.step(initial, new Operation.MmMap(1, 0, 0, dev.ioasid.contract.Access.READ)).canonical().next();
        for (ModelState state : java.util.List.of(initial, mapped)) {
            feedback.observe(1, record(state, new Operation.AllocIoas(1), new Result.Allocated(1), Rule.OBJ_2), state);
        }

        assertThat(feedback.boost(0)).as("one new cell in 50 draws").isEqualTo(1 + Feedback.BONUS * 2 / 52);
        assertThat(feedback.boost(1)).isEqualTo(1 + Feedback.BONUS * 3 / 4);
        assertThat(feedback.cellsSeen()).as("the same call in another state shape is another cell").isEqualTo(3);
    }

    private static StepRecord record(ModelState state, Operation op, Result observed, Rule rule) {
        return new StepRecord(op, observed, Model.step(state, op), List.of(rule));
    }

    @Test
    void aRunWithFeedbackIsStillAFunctionOfItsSeed() {
        PropertyConfig config = new PropertyConfig(Bounds.defaults(), 60, 80, 7, 0);

        PropertyEngine first = new PropertyEngine(config, ModelImplementation.FACTORY).withFeedback();
        PropertyResult a = first.run();
        PropertyEngine second = new PropertyEngine(config, ModelImplementation.FACTORY).withFeedback();
        PropertyResult b = second.run();
        PropertyResult plain = new PropertyEngine(config, ModelImplementation.FACTORY).run();

        assertThat(a.coverage().outcomes()).isEqualTo(b.coverage().outcomes());
        assertThat(first.feedbackCells()).isEqualTo(second.feedbackCells());
        assertThat(first.feedbackCells().getAsInt()).isGreaterThan(100);
        assertThat(a.coverage().outcomes()).as("feedback draws other sequences").isNotEqualTo(plain.coverage().outcomes());
    }
}
