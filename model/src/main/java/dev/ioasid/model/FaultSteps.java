package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.Operation.PageRequest;
import dev.ioasid.contract.Operation.QueryResponses;
import dev.ioasid.contract.Operation.ReadFaults;
import dev.ioasid.contract.Operation.Respond;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.OpenGroup;
import dev.ioasid.model.ModelState.GroupKey;
import io.vavr.Tuple2;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.collection.Set;
import io.vavr.control.Option;

/** Layer C: page request groups, their owners, fault queues and responses (PRQ-*, FLT-*). */
final class FaultSteps {

    private FaultSteps() {
    }

    static Transition pageRequest(ModelState s, PageRequest op) {
        DeviceSpec device = s.bounds().device(op.device()).orElseThrow();
        if (DmaSteps.badAccess(s, device, op.pasid(), op.iova(), op.access())
                || op.group() < 0 || op.group() >= s.bounds().groups()) {
            return fail(s, Errno.EINVAL, Rule.XLT_7);
        }
        if (groupOutstanding(s, s.vmOf(op.device()), op.device(), op.pasid(), op.group())) {
            return fail(s, Errno.EBUSY, Rule.PRQ_7);
        }
        GroupKey key = new GroupKey(op.device(), op.pasid(), op.group());
        List<RequestedPage> requests = s.partial().get(key).getOrElse(List.empty())
                .append(new RequestedPage(op.iova(), op.access()));
        if (!op.last() && s.bounds().iommufd() && !FaultRouting.hasHandler(s, device, op.pasid())) {
            // Linux 6.11+ (io-pgfault.c, iommu_report_device_fault): find_fault_handler runs on every
            // request, so one with no handler is answered INVALID at once, not held.
            long serial = s.nextSerial();
            return of(Result.done(), s.withNextSerial(serial + 1).answer(serial, op.device(),
                    new DeviceResponse(op.pasid(), op.group(), ResponseCode.INVALID)), Rule.PRQ_1, Rule.PRQ_3);
        }
        if (!op.last()) {
            return of(Result.done(), s.withPartial(s.partial().put(key, requests)), Rule.PRQ_1);
        }
        long serial = s.nextSerial();
        ModelState completed = s.withPartial(s.partial().remove(key)).withNextSerial(serial + 1);
        if (s.delivery().queues()) {
            // Into the IOMMU's page request queue: routed when the driver's handler takes it (PRQ-9).
            ModelState.QueuedGroup queued = new ModelState.QueuedGroup(serial, op.device(), op.pasid(), op.group(), requests,
                    false);
            return of(Result.done(), completed.withPrq(s.prq().append(queued)), Rule.PRQ_1, Rule.PRQ_9);
        }
        Transition.Step routed = route(completed, device, op.pasid(), op.group(), requests, serial);
        return new Transition.Determined(routed);
    }

    /**
     * PRQ-9 (interleaved delivery): the driver's handler takes the device's oldest queued group and
     * routes it by what is attached now; nothing queued, ENOENT.
     */
    static Transition deliverFault(ModelState s, dev.ioasid.contract.Operation.DeliverFault op) {
        Option<ModelState.QueuedGroup> oldest = s.prq().find(g -> g.device() == op.device());
        if (oldest.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.PRQ_9);
        }
        ModelState.QueuedGroup g = oldest.get();
        Transition.Step routed = route(s.withPrq(s.prq().remove(g)), s.bounds().device(g.device()).orElseThrow(), g.pasid(),
                g.group(), g.requests(), g.serial());
        return new Transition.Determined(new Transition.Step(routed.result(), routed.next(), routed.rules().prepend(Rule.PRQ_9)));
    }

    /**
     * A completed group, serial {@code serial}, handed to the owner of the level that faulted in
     * {@code s} (PRQ-2..6, or as the design routes it): answered at once or put in a fault queue.
     */
    private static Transition.Step route(ModelState s, DeviceSpec device, int pasid, int group, List<RequestedPage> requests,
                                         long serial) {
        FaultLevel level = groupLevel(s, device.id(), pasid, requests);
        List<FaultRouting.Route> routes = FaultRouting.routes(s, device, pasid, level, requests);
        int via = s.handlingPasid(device.id(), pasid);
        ModelState next = s;
        int vm = s.vmOf(device.id());
        for (FaultRouting.Route route : routes) {
            if (route instanceof FaultRouting.AnswerNow answer) {
                next = next.answer(serial, device.id(), new DeviceResponse(pasid, group, answer.code()));
            } else {
                int queueId = ((FaultRouting.ToQueue) route).queue();
                FaultQueue queue = (FaultQueue) next.object(vm, queueId).get();
                OpenGroup open = new OpenGroup(serial, device.id(), pasid, group, requests, level, via);
                next = next.putObject(vm, queueId, queue.with(queue.delivered().append(open), queue.awaiting(),
                        queue.usedCookies()));
            }
        }
        List<Rule> rules = via != pasid ? List.of(Rule.PRQ_2, Rule.PRQ_8) : List.of(Rule.PRQ_2);
        for (FaultRouting.Route route : routes) {
            if (!rules.contains(route.rule())) {
                rules = rules.append(route.rule());
            }
        }
        return new Transition.Step(Result.done(), next, rules);
    }

    static Transition readFaults(ModelState s, ReadFaults op) {
        Option<ModelObject> target = s.object(op.vm(), op.queue());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (!(target.get() instanceof FaultQueue queue)) {
            return fail(s, Errno.EINVAL, Rule.FLT_2);
        }
        List<OpenGroup> delivered = queue.delivered();
        List<Integer> canonicalCookies = canonicalCookies(s, queue, delivered.size());
        List<Rule> rules = List.of(Rule.FLT_1);
        Transition.Step canonical = read(s, op, queue, canonicalCookies, rules);
        if (delivered.isEmpty()) {
            return new Transition.Determined(canonical);
        }
        String expected = "ok(groups=" + delivered.zip(canonicalCookies).map(g -> visible(g._1, g._2)).mkString("[", ", ", "]")
                + ") with any fresh, distinct cookies";
        return new Transition.Validated(expected, rules, observed -> {
            if (!(observed instanceof Result.FaultGroups groups) || groups.groups().size() != delivered.size()) {
                return Option.none();
            }
            List<Integer> cookies = List.ofAll(groups.groups()).map(FaultGroup::cookie);
            boolean matches = delivered.zip(groups.groups()).forAll(p -> visible(p._1, p._2.cookie()).equals(p._2));
            boolean fresh = cookies.distinct().size() == cookies.size()
                    && cookies.forAll(c -> c >= 1 && !queue.usedCookies().contains(c));
            return matches && fresh ? Option.some(read(s, op, queue, cookies, rules)) : Option.none();
        }, canonical);
    }

    static Transition respond(ModelState s, Respond op) {
        Option<ModelObject> target = s.object(op.vm(), op.queue());
        if (target.isEmpty()) {
            return fail(s, Errno.ENOENT, Rule.OBJ_1);
        }
        if (!(target.get() instanceof FaultQueue queue)) {
            return fail(s, Errno.EINVAL, Rule.FLT_2);
        }
        Option<OpenGroup> group = queue.awaiting().get(op.cookie());
        if (op.code() == ResponseCode.FAILURE || group.isEmpty()) {
            return fail(s, Errno.EINVAL, Rule.FLT_3);
        }
        OpenGroup g = group.get();
        ModelState next = s.putObject(op.vm(), op.queue(), queue.with(queue.delivered(),
                queue.awaiting().remove(op.cookie()), retire(s, queue.usedCookies(), List.of(op.cookie()))))
                .answer(g.serial(), g.device(), new DeviceResponse(g.pasid(), g.group(), op.code()));
        return of(Result.done(), next, Rule.FLT_4);
    }

    static Transition queryResponses(ModelState s, QueryResponses op) {
        return of(new Result.Responses(s.responses(op.device()).toJavaList()), s, Rule.FLT_7);
    }

    /**
     * What goes away with an attachment (detach, or a replace that changes the table): its held
     * requests are dropped, and every group of the point still in the old table's fault queue is
     * answered INVALID, in the order the groups completed (FLT-5).
     */
    static ModelState abandonPoint(ModelState s, int device, int pasid, int oldTable) {
        ModelState next = s.prq().isEmpty() ? s : drainOrOrphan(s, device, pasid);
        return abandonHeld(next, device, pasid, oldTable);
    }

    /** The rules of a detach or replace of the point, with FLT-8 when groups of the point wait in the page request queue. */
    static List<Rule> withDrain(ModelState s, int device, int pasid, List<Rule> rules) {
        return !s.prq().isEmpty() && s.prq().exists(queuedAt(s, device, pasid)) ? rules.append(Rule.FLT_8) : rules;
    }

    /** Groups in the page request queue of the point, or of the PASIDs that go through it (PRQ-8). */
    private static java.util.function.Predicate<ModelState.QueuedGroup> queuedAt(ModelState s, int device, int pasid) {
        return g -> g.device() == device && s.handlingPasid(device, g.pasid()) == pasid;
    }

    /**
     * FLT-8 (interleaved delivery): the groups of the point still in the page request queue are
     * routed first, to what is attached now (the kernel's intel_iommu_drain_pasid_prq(), then
     * iopf_queue_flush_dev()), so FLT-5 answers those the old table's queue took; without the drain
     * they stay queued, orphaned, for whatever the point has next.
     */
    private static ModelState drainOrOrphan(ModelState s, int device, int pasid) {
        java.util.function.Predicate<ModelState.QueuedGroup> ofPoint = queuedAt(s, device, pasid);
        if (!s.prq().exists(ofPoint)) {
            return s;
        }
        if (!s.delivery().drainsOnDetach()) {
            return s.withPrq(s.prq().map(g -> ofPoint.test(g) && !g.orphaned()
                    ? new ModelState.QueuedGroup(g.serial(), g.device(), g.pasid(), g.group(), g.requests(), true) : g));
        }
        ModelState next = s;
        for (ModelState.QueuedGroup g : s.prq().filter(ofPoint)) {
            next = route(next.withPrq(next.prq().remove(g)), s.bounds().device(device).orElseThrow(), g.pasid(), g.group(),
                    g.requests(), g.serial()).next();
        }
        return next;
    }

    private static ModelState abandonHeld(ModelState s, int device, int pasid, int oldTable) {
        // Held requests of the point, and of the PASIDs that go through it (PRQ-8).
        java.util.function.Predicate<GroupKey> held = k -> k.device() == device && s.handlingPasid(device, k.pasid()) == pasid;
        boolean holds = s.partial().keysIterator().exists(held::test);
        ModelState next = holds ? s.withPartial(s.partial().filter(e -> !held.test(e._1))) : s;
        int vm = s.vmOf(device);
        int queueId = s.object(vm, oldTable).get().faultQueue();
        if (queueId == 0) {
            return next;
        }
        return answerInvalid(next, vm, queueId, g -> g.device() == device && g.via() == pasid);
    }

    /** Destroying a fault queue answers INVALID to every group left in it (FLT-6). */
    static ModelState abandonQueue(ModelState s, int vm, int queueId) {
        return answerInvalid(s, vm, queueId, g -> true);
    }

    /** Whether a queue of the VM holds this group (delivered or awaiting a response): a plain loop, it runs on every page request. */
    private static boolean groupOutstanding(ModelState s, int vm, int device, int pasid, int group) {
        for (ModelState.QueuedGroup g : s.prq()) {
            if (g.device() == device && g.pasid() == pasid && g.group() == group) {
                return true;
            }
        }
        for (var e : s.objects()) {
            if (e._1.vm() == vm && e._2 instanceof FaultQueue queue) {
                for (OpenGroup g : queue.delivered()) {
                    if (g.device() == device && g.pasid() == pasid && g.group() == group) {
                        return true;
                    }
                }
                for (var awaiting : queue.awaiting()) {
                    OpenGroup g = awaiting._2;
                    if (g.device() == device && g.pasid() == pasid && g.group() == group) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ModelState answerInvalid(ModelState s, int vm, int queueId,
                                            java.util.function.Predicate<OpenGroup> which) {
        FaultQueue queue = (FaultQueue) s.object(vm, queueId).get();
        List<OpenGroup> abandoned = abandonOrder(s, queue).filter(which::test);
        if (abandoned.isEmpty()) {
            return s;
        }
        Map<Integer, OpenGroup> awaiting = queue.awaiting().filter(e -> !which.test(e._2));
        List<Integer> answeredCookies = queue.awaiting().filter(e -> which.test(e._2)).keySet().toList();
        ModelState next = s.putObject(vm, queueId, queue.with(queue.delivered().filter(g -> !which.test(g)), awaiting,
                retire(s, queue.usedCookies(), answeredCookies)));
        for (OpenGroup g : abandoned) {
            next = next.answer(g.serial(), g.device(), new DeviceResponse(g.pasid(), g.group(), ResponseCode.INVALID));
        }
        return next;
    }

    /**
     * The order automatic INVALIDs go out in. ioasid-2021: the order the groups completed. iommufd
     * (fault.c, iommufd_auto_response_faults): the groups not yet read, in arrival order, then the
     * groups awaiting a response, by cookie (an xarray walk).
     */
    private static List<OpenGroup> abandonOrder(ModelState s, FaultQueue queue) {
        if (!s.bounds().iommufd() || queue.awaiting().isEmpty()) {
            return queue.outstanding();
        }
        return queue.delivered().appendAll(queue.awaiting().toList().sortBy(e -> e._1).map(e -> e._2));
    }

    /**
     * The cookies exploration and the model-as-implementation hand out. Under ioasid-2021 a cookie is
     * never reused (FLT-1), so the next ones count up from the largest ever used. Under iommufd the
     * kernel allocates them with xa_alloc on an ALLOC1 xarray (fault.c, iommufd_fault_fops_read): the
     * lowest values >= 1 not awaiting a response, so an answered cookie comes back.
     */
    private static List<Integer> canonicalCookies(ModelState s, FaultQueue queue, int count) {
        if (!s.bounds().iommufd()) {
            int firstFresh = queue.usedCookies().max().getOrElse(0) + 1;
            return List.range(0, count).map(i -> firstFresh + i);
        }
        List<Integer> cookies = List.empty();
        for (int c = 1; cookies.size() < count; c++) {
            if (!queue.usedCookies().contains(c)) {
                cookies = cookies.append(c);
            }
        }
        return cookies;
    }

    /**
     * The cookies a queue may not hand out again, once these were answered: under ioasid-2021 every
     * cookie ever handed out stays (FLT-1: never reused); under iommufd only those still awaiting a
     * response, so the answered ones leave the set (and states differing only in old cookies are one).
     */
    private static Set<Integer> retire(ModelState s, Set<Integer> used, List<Integer> answered) {
        return s.bounds().iommufd() && !answered.isEmpty() ? used.removeAll(answered) : used;
    }

    /** PRQ-2: a group faults at stage 2 if any of its requests does, else at the table's first level. */
    private static FaultLevel groupLevel(ModelState s, int device, int pasid, List<RequestedPage> requests) {
        Option<ModelObject> table = Translation.attachedTable(s, device, pasid);
        if (table.isEmpty()) {
            return FaultLevel.BLOCKED;
        }
        List<FaultLevel> levels = requests.map(r -> Translation.requestLevel(s, device, table.get(), r));
        return levels.contains(FaultLevel.STAGE2) ? FaultLevel.STAGE2 : levels.head();
    }

    private static Transition.Step read(ModelState s, ReadFaults op, FaultQueue queue, List<Integer> cookies,
                                        List<Rule> rules) {
        List<Tuple2<OpenGroup, Integer>> read = queue.delivered().zip(cookies);
        Map<Integer, OpenGroup> awaiting = queue.awaiting();
        Set<Integer> used = queue.usedCookies();
        for (Tuple2<OpenGroup, Integer> g : read) {
            awaiting = awaiting.put(g._2, g._1);
            used = used.add(g._2);
        }
        ModelState next = read.isEmpty() ? s
                : s.putObject(op.vm(), op.queue(), queue.with(List.empty(), awaiting, used));
        Result result = new Result.FaultGroups(read.map(g -> visible(g._1, g._2)).toJavaList());
        return new Transition.Step(result, next, rules);
    }

    /** A group as user space sees it. */
    private static FaultGroup visible(OpenGroup g, int cookie) {
        return new FaultGroup(g.device(), g.pasid(), g.group(), g.requests().toJavaList(), cookie);
    }
}
