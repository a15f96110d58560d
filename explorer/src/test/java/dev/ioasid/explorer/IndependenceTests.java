package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Operation;
import dev.ioasid.model.Design;
import dev.ioasid.model.FaultDelivery;
import dev.ioasid.model.Model;
import dev.ioasid.model.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the partial-order reduction rests on: two operations {@link Independence} calls independent
 * reach, applied in either order, the same state (same fingerprint, same object IDs). Checked on
 * every pair of the operations the explorer offers, in states that random walks of several bounds
 * reach: sets and PASIDs, SVA and mm pages, two VMs, nesting with a fault queue, groups of two
 * requests, and each fault-routing design.
 */
class IndependenceTests {
    private static final int BFS_STATES = 40_000;
    private static final int FROM_EACH_LEVEL = 60;
    private static final int WALKS = 40;
    private static final int WALK_LENGTH = 30;

    /** A PASID-capable vfio-pci device and a vDPA device in VM 1, an mdev device in VM 2, an mm for SVA. */
    static Bounds twoVmsWithSva() {
        return new Bounds(2, 2, 2, List.of(new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA), new DeviceSpec(3, 2, 0, true, DriverKind.MDEV)),
                1, 1, 3, 1, 1, 1);
    }

    /**
     * Under iommufd, a device whose guest owns the PASID table (its PASIDs go through the RID's
     * nested HWPT, PRQ-8; RID/PASID compatibility, ATT-12) beside one that does not.
     */
    static Bounds guestPasidTableUnderIommufd() {
        return new Bounds(1, 2, 1, List.of(new DeviceSpec(1, 1, 2, true, DriverKind.VFIO_PCI, true),
                new DeviceSpec(2, 1, 2, true, DriverKind.VDPA)), 1, 1, 4, 0, 1, 1, dev.ioasid.contract.Profile.IOMMUFD);
    }

    /**
     * Under iommufd, a device that reserves the only IOVA page: a map there depends on where the
     * device's RID is attached (RESV-1..3), and an attach on what the IOAS maps.
     */
    static Bounds reservedRangeUnderIommufd() {
        return new Bounds(1, 2, 1, List.of(new DeviceSpec(1, 1, 0, true, DriverKind.VFIO_PCI, false, false, false,
                        List.of(new dev.ioasid.contract.ReservedRange(0, 1))),
                new DeviceSpec(2, 1, 0, true, DriverKind.VDPA)), 1, 1, 4, 0, 1, 1, dev.ioasid.contract.Profile.IOMMUFD);
    }

    @Test
    void independentOperationsCommuteInEveryStateWalked() {
        int checked = 0;
        checked += check(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 1, 1);
        checked += check(ExploreConfig.oneQueueBounds(), Design.BOTH_REGISTER, 2, 2);
        checked += check(ExploreConfig.oneQueueBounds(), Design.DRIVER_REGISTERS, 2, 3);
        checked += check(ExploreConfig.defaultBounds(), Design.ROUTE_BY_ATTACHMENT, 1, 4);
        checked += check(twoVmsWithSva(), Design.PAGE_TABLE_OWNER, 2, 5);
        checked += check(guestPasidTableUnderIommufd(), Design.PAGE_TABLE_OWNER, 2, 6);
        checked += check(reservedRangeUnderIommufd(), Design.PAGE_TABLE_OWNER, 1, 8);
        assertThat(checked).isGreaterThan(50_000);
    }

    /** Under interleaved fault delivery the page request queue is one more part: the same check. */
    @Test
    void independentOperationsCommuteUnderInterleavedDelivery() {
        int checked = 0;
        checked += check(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 1, 21, FaultDelivery.INTERLEAVED);
        checked += check(ExploreConfig.oneQueueBounds(), Design.BOTH_REGISTER, 2, 22, FaultDelivery.INTERLEAVED_NO_DRAIN);
        assertThat(checked).isGreaterThan(10_000);
    }

    /**
     * The check has teeth: among the pairs called dependent, some do not commute (an IOAS mapped and
     * unmapped, a group queued before or after the queue is read...), so comparing the two orders
     * does tell pairs apart.
     */
    @Test
    void somePairsCalledDependentDoNotCommute() {
        Bounds bounds = ExploreConfig.defaultBounds();
        Independence independence = new Independence(bounds);
        int notCommuting = 0;
        for (ModelState s : walk(bounds, Design.PAGE_TABLE_OWNER, 1, 7)) {
            List<Operation> ops = Actions.forExploration(s, 1);
            for (int i = 0; i < ops.size(); i++) {
                for (int j = i + 1; j < ops.size(); j++) {
                    if (!independence.independent(ops.get(i), ops.get(j)) && !commute(s, ops.get(i), ops.get(j))) {
                        notCommuting++;
                    }
                }
            }
        }
        assertThat(notCommuting).isGreaterThan(100);
    }

    /**
     * The explorer's precomputed sleep sets follow the same relation and the order of the list, over
     * the fixed operations and the non-last page requests after them.
     */
    @Test
    void sleepSetsHoldEarlierIndependentOperationsAndWhatSleptBefore() {
        Bounds bounds = twoVmsWithSva();
        Independence independence = new Independence(bounds);
        SleepSets sleepSets = new SleepSets(bounds);
        List<Operation> fixed = new ArrayList<>(Actions.fixed(bounds));
        fixed.addAll(Actions.partialRequests(bounds));
        Random random = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            int taken = random.nextInt(fixed.size());
            int first = random.nextInt(fixed.size());
            long[] before = sleepSets.after(null, first, fixed.get(first));
            long[] after = sleepSets.after(before, taken, fixed.get(taken));
            for (int b = 0; b < fixed.size(); b++) {
                boolean expected = independence.independent(fixed.get(b), fixed.get(taken))
                        && (b < taken || sleepSets.sleeps(before, b, fixed.get(b)));
                assertThat(sleepSets.sleeps(after, b, fixed.get(b))).as("%s after %s", fixed.get(b), fixed.get(taken))
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * The library's larger default bounds (two VMs, eight PASIDs, six objects a VM, two mm's) name more
     * parts than a {@code long} has bits, so several share one: still sound, checked on random pairs
     * of the operations offered in states at the end of random walks (a state there offers over a
     * thousand operations, too many to check every pair).
     */
    @Test
    void independentOperationsCommuteWherePartsShareBits() {
        Bounds bounds = Bounds.defaults();
        Independence independence = new Independence(bounds);
        Random random = new Random(9);
        int pairs = 0;
        for (int w = 0; w < 12; w++) {
            ModelState s = randomWalk(bounds, Design.PAGE_TABLE_OWNER, 2, random, 40);
            List<Operation> ops = Actions.forExploration(s, 2);
            for (int trial = 0; trial < 4_000; trial++) {
                Operation a = ops.get(random.nextInt(ops.size()));
                Operation b = ops.get(random.nextInt(ops.size()));
                if (independence.independent(a, b)) {
                    assertThat(commute(s, a, b)).as("%s and %s, called independent, from %s", a, b, s).isTrue();
                    pairs++;
                }
            }
        }
        assertThat(pairs).isGreaterThan(20_000);
    }

    /** Checks every pair called independent in states of the walks; returns how many pairs it checked. */
    private static int check(Bounds bounds, Design design, int groupRequests, long seed) {
        return check(bounds, design, groupRequests, seed, FaultDelivery.ATOMIC);
    }

    private static int check(Bounds bounds, Design design, int groupRequests, long seed, FaultDelivery delivery) {
        Independence independence = new Independence(bounds, delivery);
        int pairs = 0;
        for (ModelState s : walk(bounds, design, groupRequests, seed, delivery)) {
            List<Operation> ops = Actions.forExploration(s, groupRequests);
            for (int i = 0; i < ops.size(); i++) {
                for (int j = i + 1; j < ops.size(); j++) {
                    Operation a = ops.get(i);
                    Operation b = ops.get(j);
                    if (independence.independent(a, b)) {
                        assertThat(commute(s, a, b)).as("%s and %s, called independent, from %s", a, b, s).isTrue();
                        pairs++;
                    }
                }
            }
        }
        return pairs;
    }

    private static boolean commute(ModelState s, Operation a, Operation b) {
        long[] abNaming = new long[1];
        long[] baNaming = new long[1];
        long ab = Fingerprint.of(next(next(s, a), b), abNaming);
        long ba = Fingerprint.of(next(next(s, b), a), baNaming);
        return ab == ba && abNaming[0] == baNaming[0];
    }

    /**
     * States to check: a random sample of the deepest levels of a breadth-first search (so every
     * combination of a few objects, attachments and queued groups has its chance), and the states
     * random walks reach further on.
     */
    private static List<ModelState> walk(Bounds bounds, Design design, int groupRequests, long seed) {
        return walk(bounds, design, groupRequests, seed, FaultDelivery.ATOMIC);
    }

    private static List<ModelState> walk(Bounds bounds, Design design, int groupRequests, long seed, FaultDelivery delivery) {
        Random random = new Random(seed);
        List<ModelState> states = new ArrayList<>();
        List<ModelState> level = List.of(Model.initial(bounds, design, delivery));
        java.util.Set<Long> seen = new java.util.HashSet<>(List.of(Fingerprint.of(level.get(0))));
        int reached = 1;
        while (reached < BFS_STATES && !level.isEmpty()) {
            List<ModelState> next = new ArrayList<>();
            for (ModelState s : level) {
                for (Operation op : Actions.forExploration(s, groupRequests)) {
                    ModelState n = next(s, op);
                    if (seen.add(Fingerprint.of(n))) {
                        next.add(n);
                    }
                }
            }
            reached += next.size();
            if (!next.isEmpty() && (reached >= BFS_STATES / 4)) {
                for (int k = 0; k < FROM_EACH_LEVEL; k++) {
                    states.add(next.get(random.nextInt(next.size())));
                }
            }
            level = next;
        }
        for (int w = 0; w < WALKS; w++) {
            states.add(randomWalk(Model.initial(bounds, design, delivery), groupRequests, random, WALK_LENGTH));
        }
        return states;
    }

    /** Where a walk of state-changing operations ends. */
    private static ModelState randomWalk(Bounds bounds, Design design, int groupRequests, Random random, int length) {
        return randomWalk(Model.initial(bounds, design), groupRequests, random, length);
    }

    private static ModelState randomWalk(ModelState initial, int groupRequests, Random random, int length) {
        ModelState s = initial;
        for (int step = 0; step < length; step++) {
            List<ModelState> successors = Walks.moves(s, groupRequests);
            if (successors.isEmpty()) {
                break;
            }
            s = successors.get(random.nextInt(successors.size()));
        }
        return s;
    }

    private static ModelState next(ModelState s, Operation op) {
        return Model.step(s, op).canonical().next();
    }
}
