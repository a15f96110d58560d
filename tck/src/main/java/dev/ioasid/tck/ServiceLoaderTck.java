package dev.ioasid.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.model.Design;
import dev.ioasid.properties.PropertyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit for every implementation registered for {@link ServiceLoader} (a line naming the factory
 * class in {@code META-INF/services/dev.ioasid.contract.ImplementationFactory}; the factory needs a
 * public no-argument constructor): a property run and bounded conformance for each. Extend it with an
 * empty test class, or let Surefire scan it ({@code <dependenciesToScan>dev.ioasid:tck</dependenciesToScan>}).
 * The same registration makes the implementation available to the command line: {@code --impl NAME}.
 * Finding no registered factory is a failure: a kit that checks nothing must not pass.
 */
public class ServiceLoaderTck {

    static List<ImplementationFactory> registered() {
        List<ImplementationFactory> found = new ArrayList<>();
        ServiceLoader.load(ImplementationFactory.class).forEach(found::add);
        return found;
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredImplementation() {
        List<ImplementationFactory> factories = registered();
        assertThat(factories).as("implementations registered in META-INF/services/"
                + ImplementationFactory.class.getName()).isNotEmpty();
        return factories.stream().flatMap(factory -> Stream.of(
                DynamicTest.dynamicTest(factory.name() + ": refines the model on random operation sequences",
                        () -> Checks.propertyRun(factory, new PropertyConfig(Bounds.defaults(), 1_000, 150,
                                PropertyConfig.DEFAULT_SEED, 50_000))),
                DynamicTest.dynamicTest(factory.name() + ": conforms on every transition of the first reachable states",
                        () -> Checks.conformance(factory, new ExploreConfig(ExploreConfig.defaultBounds(),
                                Design.PAGE_TABLE_OWNER, 300, 1, 2)))));
    }
}
