package dev.ioasid.properties.concurrent;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.Transition;
import dev.ioasid.properties.Generator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a parallel try's threads start. Most races need a state a few random calls rarely build: a
 * page request group in a user fault queue (a read racing a page request), read and awaiting its
 * response (two responses, or a response and a detach, racing), every PRI device's RID on a table
 * with a fault queue (page requests racing a detach), a translation the IOTLB holds (an unmap racing
 * a DMA). A share of tries steers its prefix there: after the random calls, steps the model says
 * lead there, at most {@link #STEERING_CALLS} of them. The rest start wherever the random calls led.
 */
enum PrefixGoal {
    /** No steering: the prefix is the random calls. */
    ANYWHERE,
    /** Every PRI device's RID attached to a table with a fault queue. */
    FAULT_POINTS,
    /** And a group delivered to a fault queue, not yet read. */
    GROUP_DELIVERED,
    /** And a group read, awaiting its response. */
    AWAITING_RESPONSE,
    /** The last prefix call a DMA that translated: the IOTLB holds its translation. */
    TRANSLATION_CACHED;

    /** The most calls a prefix takes after its random ones to reach its goal. */
    static final int STEERING_CALLS = 24;

    /** The goal of each tenth of the tries: three start anywhere, the others at one of the goals. */
    private static final PrefixGoal[] BY_TENTH = {ANYWHERE, ANYWHERE, ANYWHERE, FAULT_POINTS, GROUP_DELIVERED,
            GROUP_DELIVERED, AWAITING_RESPONSE, AWAITING_RESPONSE, TRANSLATION_CACHED, TRANSLATION_CACHED};

    /** Tries in ten that steer their prefix to a goal. */
    static final int STEERED_OF_10 = (int) java.util.Arrays.stream(BY_TENTH).filter(g -> g != ANYWHERE).count();

    static PrefixGoal draw(SplittableRandom random) {
        return BY_TENTH[random.nextInt(BY_TENTH.length)];
    }

    /** A prefix drawn: its calls, the model's state after them, and whether that is the goal. */
    record Prefix(List<Operation> calls, ModelState state, boolean reached) {
    }

    /**
     * {@code randomCalls} calls from the generator, then steps towards this goal until it is reached,
     * no step leads closer, or {@link #STEERING_CALLS} were taken.
     */
    Prefix prefix(ModelState initial, Generator generator, int randomCalls, SplittableRandom random) {
        ModelState state = initial;
        List<Operation> calls = new ArrayList<>();
        Operation lastCall = null;
        Result last = null;
        for (int i = 0; i < randomCalls + STEERING_CALLS; i++) {
            boolean steering = i >= randomCalls;
            if (steering && reached(state, lastCall, last)) {
                break;
            }
            Operation call = steering ? steer(state, generator, random) : generator.next(state, random);
            if (call == null) {
                break;
            }
            Transition.Step step = Model.step(state, call).canonical();
            calls.add(call);
            lastCall = call;
            last = step.result();
            boolean changedNothing = step.next().equals(state);
            state = step.next();
            if (steering && changedNothing && !reached(state, lastCall, last)) {
                break; // the goal is out of reach from here
            }
        }
        return new Prefix(calls, state, reached(state, lastCall, last));
    }

    /** Redraws a thread call outside the goal's focus at most this many times. */
    static final int FOCUS_REDRAWS = 8;

    private static final java.util.Set<Class<? extends Operation>> FAULT_CALLS = java.util.Set.of(Operation.PageRequest.class,
            Operation.ReadFaults.class, Operation.Respond.class, Operation.QueryResponses.class, Operation.Detach.class,
            Operation.Replace.class, Operation.Attach.class, Operation.Destroy.class);
    private static final java.util.Set<Class<? extends Operation>> TRANSLATION_CALLS = java.util.Set.of(Operation.Dma.class,
            Operation.Unmap.class, Operation.UnmapAll.class, Operation.MapArea.class, Operation.QueryAreas.class,
            Operation.QueryPages.class, Operation.Detach.class, Operation.Replace.class);

    /**
     * Whether a thread's call is of a kind that races with what the goal built: the fault calls on
     * queued groups, the translation calls on a cached translation; any call when the try has no goal.
     */
    boolean inFocus(Operation call) {
        return switch (this) {
            case ANYWHERE -> true;
            case TRANSLATION_CACHED -> TRANSLATION_CALLS.contains(call.getClass());
            default -> FAULT_CALLS.contains(call.getClass());
        };
    }

    /** Whether {@code state}, reached by a call that returned {@code last} (null: none yet), is the goal. */
    private boolean reached(ModelState state, Operation lastCall, Result last) {
        return switch (this) {
            case ANYWHERE -> true;
            case FAULT_POINTS -> priDevicesOnQueues(state);
            case GROUP_DELIVERED -> priDevicesOnQueues(state) && queues(state).stream().anyMatch(q -> !q.delivered().isEmpty());
            case AWAITING_RESPONSE -> priDevicesOnQueues(state) && queues(state).stream().anyMatch(q -> !q.awaiting().isEmpty());
            case TRANSLATION_CACHED -> lastCall instanceof Operation.Dma && last instanceof Result.Translated;
        };
    }

    /**
     * The next call towards the goal, or null when none is known (the prefix then ends where it is):
     * the first step of a plan the model accepts. For the fault goals: each PRI device's RID onto a
     * table with a fault queue, else the pieces of one (an IOAS, a fault queue, a paging HWPT taking
     * it), room made for them by destroying what is in the way; then a page request the model
     * delivers to a queue, and a read. For a cached translation: a DMA the model translates, else an
     * IOAS with an area and a RID attached to it.
     */
    private Operation steer(ModelState state, Generator generator, SplittableRandom random) {
        if (this == TRANSLATION_CACHED) {
            Operation dma = firstThat(state, dmas(state), random, step -> step.result() instanceof Result.Translated);
            if (dma != null) {
                return dma;
            }
            Operation step = firstAccepted(state, translationPlan(state), random);
            return step != null ? step : generator.constructive(state, random);
        }
        if (!priDevicesOnQueues(state)) {
            Operation step = firstAccepted(state, faultPointPlan(state), random);
            return step != null ? step : generator.constructive(state, random);
        }
        if (this == AWAITING_RESPONSE) {
            for (var e : state.objects()) {
                if (e._2 instanceof ModelObject.FaultQueue q && !q.delivered().isEmpty()) {
                    return new Operation.ReadFaults(e._1.vm(), e._1.id());
                }
            }
        }
        int delivered = delivered(state);
        return firstThat(state, pageRequests(state), random, step -> delivered(step.next()) > delivered);
    }

    /** Steps towards every PRI device's RID on a table with a fault queue, most direct first (each list shuffled). */
    private static List<List<Operation>> faultPointPlan(ModelState s) {
        List<Operation> attach = new ArrayList<>();
        List<Operation> build = new ArrayList<>();
        for (DeviceSpec d : s.bounds().devices()) {
            if (!d.pri() || ridOnQueue(s, d)) {
                continue;
            }
            boolean attached = s.attached(d.id(), Pasid.NONE).isDefined();
            for (int table : ids(s, d.vm(), o -> o.faultQueue() != 0)) {
                attach.add(attached ? new Operation.Replace(d.id(), Pasid.NONE, table) : new Operation.Attach(d.id(), Pasid.NONE, table));
            }
            List<Integer> queues = ids(s, d.vm(), o -> o instanceof ModelObject.FaultQueue);
            List<Integer> ioases = ids(s, d.vm(), o -> o instanceof ModelObject.Ioas);
            for (int queue : queues) {
                for (int ioas : ioases) {
                    build.add(new Operation.AllocHwptPaging(d.vm(), ioas, false, false, queue));
                }
            }
            if (queues.isEmpty()) {
                build.add(new Operation.AllocFaultQueue(d.vm()));
            }
            if (ioases.isEmpty()) {
                build.add(new Operation.AllocIoas(d.vm()));
            }
        }
        return List.of(attach, build, makeRoom(s, o -> o instanceof ModelObject.Ioas || o instanceof ModelObject.FaultQueue
                || o.faultQueue() != 0));
    }

    /** Steps towards a RID attached to an IOAS with an area, most direct first. */
    private static List<List<Operation>> translationPlan(ModelState s) {
        List<Operation> attach = new ArrayList<>();
        List<Operation> build = new ArrayList<>();
        for (DeviceSpec d : s.bounds().devices()) {
            boolean attached = s.attached(d.id(), Pasid.NONE).isDefined();
            List<Integer> ioases = ids(s, d.vm(), o -> o instanceof ModelObject.Ioas);
            for (int ioas : ioases) {
                ModelObject.Ioas object = (ModelObject.Ioas) s.object(d.vm(), ioas).get();
                if (object.areas().isEmpty()) {
                    build.add(new Operation.MapArea(d.vm(), ioas, 0, 1, 0, Access.READ_WRITE));
                } else if (!s.attached(d.id(), Pasid.NONE).contains(ioas)) {
                    attach.add(attached ? new Operation.Replace(d.id(), Pasid.NONE, ioas) : new Operation.Attach(d.id(), Pasid.NONE, ioas));
                }
            }
            if (ioases.isEmpty()) {
                build.add(new Operation.AllocIoas(d.vm()));
            }
        }
        return List.of(attach, build, makeRoom(s, o -> o instanceof ModelObject.Ioas));
    }

    /**
     * Destroys of objects the plan does not need, and detaches from them, to make room (the bounds
     * allow few objects, and random calls may have taken them all).
     */
    private static List<Operation> makeRoom(ModelState s, java.util.function.Predicate<ModelObject> needed) {
        List<Operation> calls = new ArrayList<>();
        for (var e : s.objects()) {
            if (!needed.test(e._2)) {
                calls.add(new Operation.Destroy(e._1.vm(), e._1.id()));
            }
        }
        for (var point : s.attachments()) {
            int vm = s.vmOf(point._1.device());
            if (s.object(vm, point._2).exists(o -> !needed.test(o))) {
                calls.add(new Operation.Detach(point._1.device(), point._1.pasid()));
            }
        }
        return calls;
    }

    private static List<Integer> ids(ModelState s, int vm, java.util.function.Predicate<ModelObject> kind) {
        List<Integer> ids = new ArrayList<>();
        for (var e : s.objects()) {
            if (e._1.vm() == vm && kind.test(e._2)) {
                ids.add(e._1.id());
            }
        }
        return ids;
    }

    /** The first call the model accepts (returns success for), taking the plan's lists in order. */
    private static Operation firstAccepted(ModelState s, List<List<Operation>> plan, SplittableRandom random) {
        for (List<Operation> calls : plan) {
            Operation call = firstThat(s, calls, random, step -> step.result().isOk());
            if (call != null) {
                return call;
            }
        }
        return null;
    }

    private static boolean priDevicesOnQueues(ModelState s) {
        return s.bounds().devices().stream().filter(DeviceSpec::pri).allMatch(d -> ridOnQueue(s, d));
    }

    /** Whether the device's RID is attached to a table with a fault queue. */
    private static boolean ridOnQueue(ModelState s, DeviceSpec d) {
        return s.attached(d.id(), Pasid.NONE).flatMap(t -> s.object(d.vm(), t)).exists(t -> t.faultQueue() != 0);
    }

    private static List<ModelObject.FaultQueue> queues(ModelState s) {
        List<ModelObject.FaultQueue> queues = new ArrayList<>();
        for (var e : s.objects()) {
            if (e._2 instanceof ModelObject.FaultQueue q) {
                queues.add(q);
            }
        }
        return queues;
    }

    private static int delivered(ModelState s) {
        return queues(s).stream().mapToInt(q -> q.delivered().size()).sum();
    }

    /** Every complete page request a PRI device's RID could make: each page, access and group index. */
    private static List<Operation> pageRequests(ModelState s) {
        List<Operation> calls = new ArrayList<>();
        for (DeviceSpec d : s.bounds().devices()) {
            if (d.pri() && s.attached(d.id(), Pasid.NONE).isDefined()) {
                for (int iova = 0; iova < s.bounds().iovaPages(); iova++) {
                    for (int group = 0; group < s.bounds().groups(); group++) {
                        calls.add(new Operation.PageRequest(d.id(), Pasid.NONE, iova, Access.READ, group, true));
                        calls.add(new Operation.PageRequest(d.id(), Pasid.NONE, iova, Access.WRITE, group, true));
                    }
                }
            }
        }
        return calls;
    }

    /** Every DMA through an attached point: each page and access. */
    private static List<Operation> dmas(ModelState s) {
        List<Operation> calls = new ArrayList<>();
        for (var point : s.attachments()) {
            for (int iova = 0; iova < s.bounds().iovaPages(); iova++) {
                calls.add(new Operation.Dma(point._1.device(), point._1.pasid(), iova, Access.READ));
                calls.add(new Operation.Dma(point._1.device(), point._1.pasid(), iova, Access.WRITE));
            }
        }
        return calls;
    }

    /** The first of the calls, in random order, whose step in the model does what {@code wanted} asks. */
    private static Operation firstThat(ModelState s, List<Operation> calls, SplittableRandom random,
                                       java.util.function.Predicate<Transition.Step> wanted) {
        List<Operation> shuffled = new ArrayList<>(calls);
        Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        for (Operation call : shuffled) {
            if (wanted.test(Model.step(s, call).canonical())) {
                return call;
            }
        }
        return null;
    }
}
