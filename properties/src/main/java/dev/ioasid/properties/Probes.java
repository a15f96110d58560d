package dev.ioasid.properties;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The calls that look at what a state holds: a query of everything that exists, and a destroy of
 * every object (whose answer shows whether anything still refers to it). One of them right after
 * the step where an implementation went wrong often shows it, earlier than the step where the run
 * happened to notice.
 */
final class Probes {

    private Probes() {
    }

    /**
     * The model's states along a run, where probes may be asked: element j is the state after the
     * first j + 1 operations, for j below {@code prefixes}; the list stops where a result is missing
     * or the model rejects it (past there the run cannot be followed, nor probed).
     */
    static List<ModelState> statesAlong(dev.ioasid.contract.Bounds bounds, io.vavr.collection.List<Operation> ops,
                                        io.vavr.collection.List<io.vavr.control.Option<dev.ioasid.contract.Result>> results,
                                        int prefixes) {
        List<ModelState> states = new ArrayList<>();
        ModelState state = dev.ioasid.model.Model.initial(bounds);
        for (int j = 0; j < prefixes; j++) {
            io.vavr.control.Option<dev.ioasid.contract.Result> observed = results.get(j);
            io.vavr.control.Option<dev.ioasid.model.Transition.Step> step = observed.isEmpty()
                    ? io.vavr.control.Option.none() : dev.ioasid.model.Model.step(state, ops.get(j)).accept(observed.get());
            if (step.isEmpty()) {
                break;
            }
            state = step.get().next();
            states.add(state);
        }
        return states;
    }

    static List<Operation> of(ModelState s) {
        List<Operation> probes = new ArrayList<>();
        List<ModelState.ObjectKey> keys = new ArrayList<>(s.objects().keySet().toJavaList());
        keys.sort(Comparator.comparingInt(ModelState.ObjectKey::vm).thenComparingInt(ModelState.ObjectKey::id));
        for (ModelState.ObjectKey key : keys) {
            ModelObject object = s.objects().get(key).get();
            probes.add(new Operation.QueryObject(key.vm(), key.id()));
            probes.add(new Operation.Destroy(key.vm(), key.id()));
            if (object instanceof ModelObject.Ioas) {
                probes.add(new Operation.QueryAreas(key.vm(), key.id()));
            }
            if (object instanceof ModelObject.HwptPaging) {
                probes.add(new Operation.QueryPages(key.vm(), key.id()));
            }
            if (object instanceof ModelObject.FaultQueue) {
                probes.add(new Operation.ReadFaults(key.vm(), key.id()));
            }
        }
        s.attachments().keySet().toList().sortBy(p -> p.device() * 1_000_003L + p.pasid())
                .forEach(p -> probes.add(new Operation.QueryAttachment(p.device(), p.pasid())));
        s.pasids().toList().sortBy(e -> e._1).forEach(e -> probes.add(new Operation.QueryPasid(e._2.vm(), e._1)));
        s.sets().keySet().toList().sorted().forEach(vm -> probes.add(new Operation.QuerySet(vm)));
        for (DeviceSpec device : s.bounds().devices()) {
            probes.add(new Operation.QueryResponses(device.id()));
        }
        return probes;
    }
}
