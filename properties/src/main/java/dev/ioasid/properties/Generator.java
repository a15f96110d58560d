package dev.ioasid.properties;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.ObjectKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.AttachPoint;
import io.vavr.collection.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Draws the next operation from the bounds, looking at the current model state so that most
 * arguments name things that exist (a PASID of the right set, an IOAS for map) and most steps do
 * something; the rest are drawn from the whole range, a little past it, so that errors are
 * exercised too. Deterministic for a given random source.
 */
public final class Generator {
    /** The share of steps that build towards a rich configuration, when something is missing. */
    private static final double CONSTRUCTIVE = 0.4;

    private final Bounds bounds;
    private final List<Choice> choices;
    private final Construction construction;
    /** What the draws look up in the current state, rebuilt only when the state changes. */
    private StateIndex index;
    /**
     * Addresses the current sequence used lately: a DMA right after the write, invalidate or unmap
     * of its page is where translation caches go wrong, so later draws come back to them.
     */
    private final java.util.ArrayDeque<Integer> recentIovas = new java.util.ArrayDeque<>();

    /**
     * An operation kind: its weight, what makes it useful in a state (something to act on exists),
     * and how its arguments are drawn. A useful kind weighs {@value #USEFUL_BOOST} times more, so
     * that most steps do something while the others still exercise the errors.
     */
    private record Choice(int weight, Predicate<StateIndex> useful, Function<Draw, Operation> make) {
    }

    private static final int USEFUL_BOOST = 4;

    /**
     * A kind that names a device the draw picks from the bounds: never drawn from bounds without devices.
     */
    private Choice deviceChoice(int weight, Predicate<StateIndex> useful, Function<Draw, Operation> make) {
        return new Choice(bounds.devices().isEmpty() ? 0 : weight, useful, make);
    }

    /**
     * The weight of an IOASID set call: as given under ioasid-2021; under iommufd, where every such
     * call is ENOTTY (GEN-2), just enough that GEN-2 is still exercised.
     */
    private int setCall(int weight) {
        return bounds.iommufd() ? 1 : weight;
    }

    /** The calls only iommufd has (vIOMMUs, IOAS copy, chosen IOVAs, dirty tracking) are the last choices, this many. */
    private static final int IOMMUFD_ONLY_CHOICES = 10;
    private final int firstIommufdOnlyChoice;
    /**
     * Whether the current sequence is one of the third that use vIOMMUs, IOAS copies and dirty
     * tracking (iommufd):
     * swarm testing, as a configuration is either with or without a vIOMMU. The others draw exactly what they drew
     * before vIOMMUs existed, so the objects a vIOMMU crowds out of a VM's few IDs still get built,
     * and seeds that found a bug keep finding it.
     */
    private boolean newCallsSequence;

    /**
     * The weight of a call only iommufd has: as given under iommufd; none under ioasid-2021, where
     * each is ENOTTY (GEN-3) and drawing them would only change which sequences the 2021 seeds give.
     */
    private int iommufdOnly(int weight) {
        return bounds.iommufd() ? weight : 0;
    }

    public Generator(Bounds bounds) {
        this.bounds = bounds;
        this.construction = new Construction(bounds);
        this.choices = List.of(
                new Choice(setCall(4), i -> i.setVms.size() < bounds.vms() && i.state.reserved() < bounds.capacity(), d -> new Operation.CreateSet(d.vm(), d.quota())),
                new Choice(setCall(2), i -> !i.setVms.isEmpty(), d -> new Operation.FreeSet(d.vm())),
                new Choice(setCall(2), i -> !i.setVms.isEmpty(), d -> new Operation.QuerySet(d.vm())),
                new Choice(setCall(8), StateIndex::hasPasidRoom, d -> d.allocPasid()),
                new Choice(setCall(4), i -> !i.pasids.isEmpty(), d -> { int vm = d.vmWithSet(); return new Operation.FreePasid(vm, d.pasid(vm)); }),
                new Choice(setCall(3), i -> !i.pasids.isEmpty(), d -> { int vm = d.vmWithSet(); return new Operation.QueryPasid(vm, d.pasid(vm)); }),
                new Choice(5, StateIndex::hasRoom, d -> new Operation.AllocIoas(d.vm())),
                new Choice(5, i -> i.has(ObjectKind.IOAS), d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.AllocHwptPaging(vm,
                        d.object(vm, ObjectKind.IOAS), d.flip(0.4), d.flip(0.6), d.faultArg(vm)); }),
                new Choice(3, StateIndex::hasNestParent, d -> { int vm = d.vmWith(ObjectKind.HWPT_PAGING); return new Operation.AllocHwptNested(vm,
                        d.nestParent(vm), d.flip(0.6), d.faultArg(vm)); }),
                new Choice(2, StateIndex::hasRoom, d -> new Operation.AllocFaultQueue(d.vm())),
                new Choice(2, StateIndex::hasRoom, d -> new Operation.AllocSva(d.vm(), d.mm())),
                new Choice(3, i -> !i.objects.isEmpty(), d -> { int vm = d.vmWith(null); return new Operation.Destroy(vm, d.object(vm, null)); }),
                new Choice(3, i -> !i.objects.isEmpty(), d -> { int vm = d.vmWith(null); return new Operation.QueryObject(vm, d.object(vm, null)); }),
                new Choice(7, i -> i.has(ObjectKind.IOAS), d -> d.map()),
                new Choice(4, i -> i.has(ObjectKind.IOAS), d -> d.unmap()),
                new Choice(1, i -> i.has(ObjectKind.IOAS), d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.UnmapAll(vm, d.object(vm, ObjectKind.IOAS)); }),
                new Choice(2, i -> i.has(ObjectKind.IOAS), d -> { int vm = d.vmWith(ObjectKind.IOAS); return new Operation.QueryAreas(vm, d.object(vm, ObjectKind.IOAS)); }),
                new Choice(3, i -> i.has(ObjectKind.HWPT_PAGING), d -> { int vm = d.vmWith(ObjectKind.HWPT_PAGING); return new Operation.QueryPages(vm, d.object(vm, ObjectKind.HWPT_PAGING)); }),
                new Choice(3, i -> i.has(ObjectKind.HWPT_NESTED), d -> d.invalidate()),
                deviceChoice(9, StateIndex::hasTable, d -> d.attach()),
                deviceChoice(3, i -> !i.attached.isEmpty(), d -> { AttachPoint at = d.attachedPoint(); return new Operation.Replace(at.device(), at.pasid(),
                        d.table(bounds.device(at.device()).orElseThrow())); }),
                deviceChoice(2, i -> !i.attached.isEmpty(), d -> { AttachPoint at = d.attachedPoint(); return new Operation.Detach(at.device(), at.pasid()); }),
                deviceChoice(3, i -> true, d -> { DeviceSpec dev = d.device(); return new Operation.QueryAttachment(dev.id(),
                        d.attachPasid(dev)); }),
                new Choice(3, i -> true, d -> new Operation.MmMap(d.mm(), d.below(bounds.mmPages()), d.below(bounds.hostPages()),
                        d.access())),
                new Choice(2, i -> !i.state.mm().isEmpty(), d -> d.mmUnmap()),
                new Choice(6, i -> i.has(ObjectKind.HWPT_NESTED), d -> d.writeStage1()),
                deviceChoice(8, i -> !i.attached.isEmpty(), d -> { AttachPoint at = d.dmaPoint(); return new Operation.Dma(at.device(), at.pasid(),
                        d.iovaAt(at), d.flip(0.02) ? Access.NONE : d.access()); }),
                deviceChoice(8, i -> !i.attached.isEmpty(), d -> { AttachPoint at = d.faultingPoint(); return new Operation.PageRequest(at.device(),
                        at.pasid(), d.iovaAt(at), d.flip(0.02) ? Access.NONE : d.access(), d.group(), d.flip(0.7)); }),
                deviceChoice(2, i -> true, d -> new Operation.QueryResponses(d.device().id())),
                new Choice(4, StateIndex::hasDelivered, d -> d.readFaults()),
                new Choice(4, StateIndex::awaitsResponse, d -> d.respond()),
                deviceChoice(iommufdOnly(3), StateIndex::hasNestParent, d -> d.allocViommu()),
                deviceChoice(iommufdOnly(3), i -> i.has(ObjectKind.VIOMMU), d -> d.allocVdevice()),
                new Choice(iommufdOnly(3), i -> i.has(ObjectKind.VIOMMU), d -> d.allocNestedOnViommu()),
                new Choice(iommufdOnly(4), i -> i.has(ObjectKind.VIOMMU), d -> d.invalidateViommu()),
                new Choice(iommufdOnly(3), i -> i.has(ObjectKind.IOAS), d -> d.copyArea()),
                new Choice(iommufdOnly(2), i -> i.has(ObjectKind.IOAS), d -> d.allocDirtyHwpt()),
                new Choice(iommufdOnly(3), i -> i.has(ObjectKind.HWPT_PAGING), d -> d.setDirtyTracking()),
                new Choice(iommufdOnly(4), i -> i.has(ObjectKind.HWPT_PAGING), d -> d.getDirtyBitmap()),
                new Choice(iommufdOnly(4), i -> i.has(ObjectKind.IOAS), d -> d.mapAuto()),
                new Choice(iommufdOnly(2), i -> i.has(ObjectKind.IOAS), d -> d.allowIovas()));
        this.firstIommufdOnlyChoice = choices.size() - IOMMUFD_ONLY_CHOICES;
    }

    /** Coverage feedback, if on: the weights move toward choices that still reach new cells ({@link Feedback}). */
    private Feedback feedback;
    /** The choice that drew the last operation, or -1 if a script or construction made it. */
    private int lastChoice = -1;

    /** This generator with coverage feedback: see {@link Feedback}. */
    public Generator withFeedback() {
        feedback = new Feedback(choices.size());
        return this;
    }

    /** Tells the feedback what the last operation drawn did, made in state {@code before}. */
    void observe(StepRecord record, ModelState before) {
        if (feedback != null) {
            feedback.observe(lastChoice, record, before);
        }
    }

    /** How many coverage cells the feedback has seen, if it is on. */
    public java.util.OptionalInt cellsSeen() {
        return feedback == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(feedback.cellsSeen());
    }

    /** The operation kinds this generator draws, one sample each (for the coverage test). */
    public List<Class<?>> operationKinds(ModelState state) {
        index = new StateIndex(state);
        Draw draw = new Draw(bounds, index, recentIovas, new SplittableRandom(0));
        return choices.<Class<?>>map(c -> c.make().apply(draw).getClass()).distinct();
    }

    /** Forgets what the previous sequence did; the engine calls it before each sequence. */
    public void startSequence() {
        startSequence(0);
    }

    /**
     * Forgets what the previous sequence did, and seeds the dice that decide when a script starts.
     * They are not the sequence's own: a sequence in which no script starts draws exactly what it
     * drew before scripts existed, so seeds that found a bug keep finding it.
     */
    public void startSequence(long sequenceSeed) {
        recentIovas.clear();
        scripted.clear();
        scriptDice = new SplittableRandom(sequenceSeed ^ 0x5C819E7L);
        // Drawn from the sequence seed apart, so that the 2021 profile's sequences stay as they were.
        newCallsSequence = bounds.iommufd() && new SplittableRandom(sequenceSeed ^ 0x71A0D1L).nextInt(3) == 0;
        construction.startSequence(newCallsSequence);
    }

    /**
     * One in this many steps starts a script: the stale-translation one when something nested is
     * attached, else the dirty-read one when a point's HWPT tracks dirty pages.
     */
    private static final int SCRIPT_ODDS = 20;

    /** The rest of a script under way: its calls go out in order, whatever the state does meanwhile. */
    private final java.util.ArrayDeque<Operation> scripted = new java.util.ArrayDeque<>();
    private SplittableRandom scriptDice = new SplittableRandom(0);

    public Operation next(ModelState state, SplittableRandom random) {
        indexFor(state);
        lastChoice = -1;
        Operation op = scripted.poll();
        if (op == null && scriptDice.nextInt(SCRIPT_ODDS) == 0) {
            java.util.List<Operation> script = construction.staleTranslation(index, scriptDice);
            if (script.isEmpty()) {
                script = construction.dirtyRead(index, scriptDice);
            }
            if (!script.isEmpty()) {
                scripted.addAll(script.subList(1, script.size()));
                op = script.get(0);
            }
        }
        if (op == null) {
            op = draw(state, random);
        }
        remember(op);
        return op;
    }

    /**
     * A step towards a richer configuration of a VM (a fault queue, an HWPT taking it, an IOAS with
     * an area, an attach of a PRI device to a table with a fault queue), or null when nothing is
     * missing: what parallel runs steer their prefixes with.
     */
    public Operation constructive(ModelState state, SplittableRandom random) {
        indexFor(state);
        return construction.next(index, random);
    }

    /** Indexes the state unless the index is of it already (a sequence asks several times of one state). */
    private void indexFor(ModelState state) {
        if (index == null || index.state != state) {
            index = new StateIndex(state);
        }
    }

    private void remember(Operation op) {
        int iova = op instanceof Operation.WriteStage1 w ? w.iova() : op instanceof Operation.Invalidate v ? v.iova()
                : op instanceof Operation.InvalidateViommu vi ? vi.iova()
                : op instanceof Operation.Dma d ? d.iova() : op instanceof Operation.Unmap u ? u.iova()
                : op instanceof Operation.MmUnmap m ? m.page() : -1;
        if (iova >= 0) {
            recentIovas.addFirst(iova);
            if (recentIovas.size() > 3) {
                recentIovas.removeLast();
            }
        }
    }

    private Operation draw(ModelState state, SplittableRandom random) {
        if (random.nextDouble() < CONSTRUCTIVE) {
            Operation constructive = construction.next(index, random);
            if (constructive != null) {
                return constructive;
            }
        }
        if (feedback != null) {
            return drawWithFeedback(random);
        }
        int[] weights = new int[choices.size()];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weight(i);
            total += weights[i];
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            Choice choice = choices.get(i);
            pick -= weights[i];
            if (pick < 0) {
                return choice.make().apply(new Draw(bounds, index, recentIovas, random));
            }
        }
        throw new AssertionError("weights");
    }

    /**
     * The weight of choice {@code i} in the current state: boosted where it has something to act on;
     * none for an iommufd-only call in a sequence that draws none.
     */
    private int weight(int i) {
        if (i >= firstIommufdOnlyChoice && !newCallsSequence) {
            return 0;
        }
        Choice choice = choices.get(i);
        return choice.useful().test(index) ? choice.weight() * USEFUL_BOOST : choice.weight();
    }

    /** The weighted draw, each weight multiplied by its choice's feedback boost. */
    private Operation drawWithFeedback(SplittableRandom random) {
        double[] weights = new double[choices.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weight(i) * feedback.boost(i);
            total += weights[i];
        }
        double pick = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) {
                continue;
            }
            last = i;
            pick -= weights[i];
            if (pick < 0) {
                break;
            }
        }
        lastChoice = last;
        return choices.get(last).make().apply(new Draw(bounds, index, recentIovas, random));
    }
}
