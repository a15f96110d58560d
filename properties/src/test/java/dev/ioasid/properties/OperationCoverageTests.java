package dev.ioasid.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import dev.ioasid.reference.ReferenceImplementation;
import dev.ioasid.reports.RecordJson;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation record is handled by the model, the reference implementation, the generator,
 * the shrinker's simplifier and the renderers (text and JSON): adding an operation without wiring
 * it everywhere fails here.
 */
class OperationCoverageTests {
    private static final Bounds BOUNDS = Bounds.defaults();

    static Stream<Class<?>> operationKinds() {
        List<Class<?>> kinds = new ArrayList<>();
        collect(Operation.class, kinds);
        return kinds.stream();
    }

    private static void collect(Class<?> type, List<Class<?>> into) {
        if (type.isRecord()) {
            into.add(type);
            return;
        }
        for (Class<?> sub : type.getPermittedSubclasses()) {
            collect(sub, into);
        }
    }

    /** An instance with every argument 1, true or the last enum constant. */
    static Operation sample(Class<?> kind) throws ReflectiveOperationException {
        RecordComponent[] components = kind.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> type = components[i].getType();
            types[i] = type;
            args[i] = type == int.class ? 1 : type == boolean.class ? true
                    : type.getEnumConstants()[type.getEnumConstants().length - 1];
        }
        return (Operation) kind.getDeclaredConstructor(types).newInstance(args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationKinds")
    void modelAndReferenceImplementationHandleIt(Class<?> kind) throws ReflectiveOperationException {
        Operation op = sample(kind);

        assertThatCode(() -> Model.step(Model.initial(BOUNDS), op)).doesNotThrowAnyException();
        assertThatCode(() -> new ReferenceImplementation(BOUNDS).apply(op)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationKinds")
    void renderersHandleIt(Class<?> kind) throws Exception {
        Operation op = sample(kind);

        assertThat(op.toString()).matches("[a-z][A-Za-z0-9]*\\(.*\\)");
        JsonNode json = RecordJson.write(op);
        assertThat(RecordJson.readOperation(json, "op")).isEqualTo(op);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationKinds")
    void simplifierHandlesIt(Class<?> kind) throws ReflectiveOperationException {
        Operation op = sample(kind);

        io.vavr.collection.List<Operation> simpler = Simplifier.simpler(op);
        assertThat(simpler).anyMatch(s -> s.getClass() == kind);
        assertThat(simpler).allMatch(s -> Simplifier.complexity(io.vavr.collection.List.of(s))
                < Simplifier.complexity(io.vavr.collection.List.of(op)));
    }

    /**
     * The kinds property runs draw: all but deliverFault, which only the model's interleaved fault
     * delivery has anything to do for (explore --fault-delivery); against an implementation, which
     * routes each group as it completes, it could only ever be refused.
     */
    static Stream<Class<?>> generatedKinds() {
        return operationKinds().filter(kind -> kind != Operation.DeliverFault.class);
    }

    /** Under iommufd the generator draws every kind (the set calls rarely: GEN-2). */
    @Test
    void generatorDrawsEveryKind() {
        Bounds iommufd = BOUNDS.withProfile(dev.ioasid.contract.Profile.IOMMUFD);
        Generator generator = new Generator(iommufd);
        assertThat(generator.operationKinds(Model.initial(iommufd)))
                .containsExactlyInAnyOrderElementsOf(generatedKinds().toList());
        assertThat(drawn(iommufd)).containsExactlyInAnyOrderElementsOf(generatedKinds().toList());
    }

    /** Under ioasid-2021 every kind but the vIOMMU calls, which are ENOTTY there (GEN-3). */
    @Test
    void generatorDrawsEveryKindOfTheProfile() {
        assertThat(drawn(BOUNDS)).containsExactlyInAnyOrderElementsOf(
                generatedKinds().filter(kind -> !Model.isIommufdOnlyCall(sampleOf(kind))).toList());
    }

    private static java.util.Set<Class<?>> drawn(Bounds bounds) {
        ModelState initial = Model.initial(bounds);
        Generator generator = new Generator(bounds);
        java.util.Set<Class<?>> drawn = new java.util.HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 5000; i++) {
            if (i % 10 == 0) {
                generator.startSequence(i); // a share of iommufd sequences draw the vIOMMU calls
            }
            drawn.add(generator.next(initial, random).getClass());
        }
        return drawn;
    }

    private static Operation sampleOf(Class<?> kind) {
        try {
            return sample(kind);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
