package dev.ioasid.properties;

import dev.ioasid.reference.ReferenceImplementation;
import org.junit.jupiter.api.Test;

class SmokeScratch {
    @Test
    void run() {
        PropertyResult r = new PropertyEngine(PropertyConfig.defaults().withTries(2000), ReferenceImplementation.FACTORY).run();
        System.out.println(r.getClass().getSimpleName() + " steps=" + r.coverage().steps());
        if (r instanceof PropertyResult.Falsified f) {
            System.out.println(f.shrunk().failure().headline());
            f.trace().forEach(s -> System.out.println("  " + s.op() + " -> " + s.observed() + "   expected " + s.expected() + " " + s.rules()));
        }
        System.out.println(r.coverage().outcomes());
        System.out.println(r.coverage().rules().size() + " rules: " + r.coverage().rules());
    }
}
