package dev.ioasid.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.model.Design;
import dev.ioasid.model.FaultDelivery;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.Dirty;
import dev.ioasid.model.ModelObject.Stage1Entry;
import dev.ioasid.model.ModelState;
import dev.ioasid.reports.TraceFile;
import io.vavr.collection.HashMap;
import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import io.vavr.collection.TreeMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packed frontier is the model's states, not an approximation of them: every state the
 * explorer keeps, in the default bounds and in every bounds file we ship, unpacks to a state equal
 * to it (same fingerprint, packing again gives the same bytes), and the explorer reports the same
 * counts, checksums, depths and traces whether it keeps its frontier packed, as objects or mixed.
 */
class StateCodecTests {

    /** A codec that checks every state it packs round trips, and counts them. */
    private static final class CheckingCodec implements Frontier.Codec {
        private final StateCodec codec;
        final AtomicLong packed = new AtomicLong();
        final Queue<String> wrong = new ConcurrentLinkedQueue<>();

        CheckingCodec(ModelState initial) {
            this.codec = new StateCodec(initial);
        }

        @Override public byte[] pack(ModelState state) {
            byte[] bytes = codec.pack(state);
            ModelState back = codec.unpack(bytes);
            if (!back.equals(state) || Fingerprint.of(back) != Fingerprint.of(state)
                    || !Arrays.equals(codec.pack(back), bytes)) {
                wrong.add(state + "\n  came back as\n" + back);
            }
            packed.incrementAndGet();
            return bytes;
        }

        @Override public ModelState unpack(byte[] packed) {
            return codec.unpack(packed);
        }
    }

    @Test
    void everyStateOfTheDefaultBoundsUnpacksToAnEqualState() {
        checkEveryState(new ExploreConfig(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER, 5_000_000, 2));
    }

    /** Every bounds file in bounds/, the larger ones up to the first level past a budget (whole levels). */
    @Test
    void everyStateOfEveryShippedBoundsFileUnpacksToAnEqualState() throws Exception {
        java.util.List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("..", "bounds"))) {
            files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("bounds files").isNotEmpty();
        for (Path file : files) {
            Bounds bounds = TraceFile.readBounds(file);
            checkEveryState(new ExploreConfig(bounds, Design.PAGE_TABLE_OWNER, 100_000, 2));
        }
    }

    /** The queue of interleaved delivery, groups of two requests, sets and PASIDs with SVA and two VMs. */
    @Test
    void everyStateOfTheRicherConfigurationsUnpacksToAnEqualState() {
        checkEveryState(new ExploreConfig(ExploreConfig.oneQueueBounds(), Design.PAGE_TABLE_OWNER, 60_000, 2, 1, true,
                FaultDelivery.INTERLEAVED));
        checkEveryState(new ExploreConfig(ExploreConfig.oneQueueBounds(), Design.PAGE_TABLE_OWNER, 60_000, 2, 2));
        checkEveryState(new ExploreConfig(IndependenceTests.twoVmsWithSva(), Design.PAGE_TABLE_OWNER, 40_000, 2));
        checkEveryState(new ExploreConfig(IndependenceTests.guestPasidTableUnderIommufd(), Design.PAGE_TABLE_OWNER,
                40_000, 2));
    }

    private static void checkEveryState(ExploreConfig config) {
        CheckingCodec codec = new CheckingCodec(config.initialState());
        ExploreResult result = Explorer.explore(config, line -> { }, 0, codec);

        assertThat(codec.wrong).as("states that did not round trip in " + config.bounds()).isEmpty();
        // Every state kept was packed: those admitted and the few met again by another thread's chunk.
        assertThat(codec.packed.get()).as("states packed in " + config.bounds()).isGreaterThanOrEqualTo(result.stats().states());
    }

    @Test
    void packedObjectsAndMixedFrontiersGiveTheSameResults() {
        java.util.List<ExploreConfig> configs = new ArrayList<>();
        // The rival designs are refuted (traces to compare); the contract's holds, up to a budget.
        for (Design design : Design.values()) {
            configs.add(new ExploreConfig(ExploreConfig.oneQueueBounds(), design, 5_000_000, 2, 1));
            configs.add(new ExploreConfig(ExploreConfig.oneQueueBounds(), design, 40_000, 2, 1, true,
                    FaultDelivery.INTERLEAVED));
        }
        configs.add(new ExploreConfig(IndependenceTests.twoVmsWithSva(), Design.PAGE_TABLE_OWNER, 40_000, 2));
        configs.add(new ExploreConfig(ExploreConfig.oneQueueBounds(), Design.PAGE_TABLE_OWNER, 5_000_000, 1, 1, true,
                FaultDelivery.INTERLEAVED_NO_DRAIN));
        for (ExploreConfig config : configs) {
            String what = config.design() + "+" + config.delivery() + " on " + config.bounds();
            ExploreResult objects = Explorer.explore(config, line -> { }, Frontier.OBJECTS);
            ExploreResult packed = Explorer.explore(config, line -> { }, Frontier.PACKED);
            // Levels from 1,000 states on packed: a frontier of both kinds at once.
            ExploreResult mixed = Explorer.explore(config, line -> { }, 1_000, new StateCodec(config.initialState()));
            for (ExploreResult other : java.util.List.of(packed, mixed)) {
                assertThat(other.getClass()).as(what).isEqualTo(objects.getClass());
                assertThat(other.stats().states()).as(what).isEqualTo(objects.stats().states());
                assertThat(other.stats().transitions()).as(what).isEqualTo(objects.stats().transitions());
                assertThat(other.stats().slept()).as(what).isEqualTo(objects.stats().slept());
                assertThat(other.stats().checksum()).as(what).isEqualTo(objects.stats().checksum());
                assertThat(other.stats().newByDepth()).as(what).isEqualTo(objects.stats().newByDepth());
                if (objects instanceof ExploreResult.Violated v) {
                    ExploreResult.Violated o = (ExploreResult.Violated) other;
                    assertThat(o.trace()).as(what).isEqualTo(v.trace());
                    assertThat(o.invariant()).as(what).isEqualTo(v.invariant());
                    assertThat(o.violation()).as(what).isEqualTo(v.violation());
                }
            }
        }
    }

    /** Every kind of object and every field, with values the small bounds never reach. */
    @Test
    void aStateWithEveryKindOfPartRoundTrips() {
        ModelState initial = ModelState.initial(ExploreConfig.defaultBounds(), Design.BOTH_REGISTER,
                FaultDelivery.INTERLEAVED);
        ModelObject.OpenGroup delivered = new ModelObject.OpenGroup(7, 1, 3, 2,
                List.of(new RequestedPage(0, Access.READ), new RequestedPage(5, Access.WRITE)), FaultLevel.STAGE1, 0);
        ModelObject.OpenGroup awaiting = new ModelObject.OpenGroup(1L << 40, 2, 0, 1,
                List.of(new RequestedPage(1, Access.READ_WRITE)), FaultLevel.SVA, 3);
        var objects = HashMap.<ModelState.ObjectKey, ModelObject>empty()
                .put(new ModelState.ObjectKey(1, 1), new ModelObject.Ioas(2,
                        TreeMap.of(0, new Area(0, 2, 4, Access.READ), 4, new Area(4, 1, 0, Access.READ_WRITE)),
                        HashSet.of(0), new ModelObject.IovaRange(0, 6)))
                .put(new ModelState.ObjectKey(1, 2), new ModelObject.HwptPaging(1, 1, true, true, 4,
                        TreeMap.of(0, new PageMapping(0, 4, Access.READ), 1, new PageMapping(1, 5, Access.READ)), true,
                        new Dirty(true, true, HashSet.of(0, 1))))
                .put(new ModelState.ObjectKey(1, 3), new ModelObject.HwptNested(1, 2, true, 4,
                        HashMap.of(0, new Stage1Entry(1, Access.READ_WRITE)),
                        HashMap.of(0, HashSet.of(Stage1Entry.ABSENT, new Stage1Entry(1, Access.READ))), 5))
                .put(new ModelState.ObjectKey(1, 4), new ModelObject.FaultQueue(2, List.of(delivered),
                        HashMap.of(9, awaiting), HashSet.of(1, 9)))
                .put(new ModelState.ObjectKey(2, 1), new ModelObject.Sva(1, 1))
                .put(new ModelState.ObjectKey(1, 5), new ModelObject.Viommu(2, 2))
                .put(new ModelState.ObjectKey(1, 6), new ModelObject.Vdevice(0, 5, 1, 70_000))
                .put(new ModelState.ObjectKey(2, 2), new ModelObject.HwptPaging(0, 1, false, false, 0, TreeMap.empty(),
                        false, Dirty.OFF));
        ModelState rich = new ModelState(initial.bounds(),
                HashMap.of(1, new ModelState.IoasidSet(2, 1), 2, new ModelState.IoasidSet(1, 0)),
                HashMap.of(3, new ModelState.PasidEntry(1, PasidState.FREE_PENDING, 2)),
                objects,
                HashMap.of(new ModelState.AttachPoint(1, 0), 3, new ModelState.AttachPoint(2, 3), 2),
                HashMap.of(new ModelState.MmPage(1, 0), new ModelState.MmMapping(3, Access.WRITE)),
                HashMap.of(new ModelState.GroupKey(1, 3, 2), List.of(new RequestedPage(0, Access.READ))),
                HashMap.of(1, List.of(new ModelState.Answer(3, new DeviceResponse(0, 1, ResponseCode.SUCCESS)),
                        new ModelState.Answer(4, new DeviceResponse(3, 2, ResponseCode.INVALID)))),
                1L << 40, HashSet.of(3L, 4L, 1L << 39), Design.BOTH_REGISTER,
                List.of(new ModelState.QueuedGroup(5, 1, 3, 2, List.of(new RequestedPage(0, Access.READ)), true),
                        new ModelState.QueuedGroup(6, 2, 0, 1, List.empty(), false)),
                FaultDelivery.INTERLEAVED);
        StateCodec codec = new StateCodec(initial);

        byte[] bytes = codec.pack(rich);
        ModelState back = codec.unpack(bytes);

        assertThat(back).isEqualTo(rich);
        assertThat(back.toString()).isEqualTo(rich.toString());
        assertThat(Fingerprint.of(back)).isEqualTo(Fingerprint.of(rich));
        assertThat(codec.unpack(bytes)).isEqualTo(rich); // a second time, from the memory of parts
        assertThat(codec.pack(back)).isEqualTo(bytes);
        assertThat(bytes.length).as("packed size").isLessThan(300);
        assertThat(codec.unpack(codec.pack(initial))).isEqualTo(initial);
    }

    /**
     * What StateCodec packs, field by field: a field added to the state or to an object fails here,
     * where the message says to pack it (and to add it to {@link #aStateWithEveryKindOfPartRoundTrips}).
     */
    @Test
    void theCodecKnowsEveryFieldOfTheState() {
        java.util.Map<Class<?>, String> known = new java.util.LinkedHashMap<>();
        known.put(ModelState.class, "bounds sets pasids objects attachments mm partial answers nextSerial answered design"
                + " prq delivery");
        known.put(ModelObject.Ioas.class, "users areas writableBehind allowed");
        known.put(ModelObject.HwptPaging.class, "users ioas nestParent allocPasid fault pages auto dirty");
        known.put(Dirty.class, "trackable tracking pages");
        known.put(ModelObject.HwptNested.class, "users parent allocPasid fault stage1 stale viommu");
        known.put(Stage1Entry.class, "gpa access");
        known.put(ModelObject.FaultQueue.class, "users delivered awaiting usedCookies");
        known.put(ModelObject.OpenGroup.class, "serial device pasid group requests level via");
        known.put(ModelObject.Sva.class, "users mm");
        known.put(ModelObject.Viommu.class, "users hwpt");
        known.put(ModelObject.Vdevice.class, "users viommu device virtId");
        known.put(ModelObject.IovaRange.class, "iova pages");
        known.put(ModelState.QueuedGroup.class, "serial device pasid group requests orphaned");
        known.put(ModelState.Answer.class, "serial response");
        known.put(DeviceResponse.class, "pasid group code");
        known.put(Area.class, "iova pages host access");
        known.put(PageMapping.class, "iova host access");
        known.put(RequestedPage.class, "iova access");
        for (var e : known.entrySet()) {
            String fields = Arrays.stream(e.getKey().getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
                    .collect(java.util.stream.Collectors.joining(" "));
            assertThat(fields).as(e.getKey().getSimpleName() + " changed: pack and unpack its fields in StateCodec")
                    .isEqualTo(e.getValue());
        }
        assertThat(ModelObject.class.getPermittedSubclasses()).as("a new kind of object: pack it in StateCodec")
                .containsExactlyInAnyOrder(ModelObject.Ioas.class, ModelObject.HwptPaging.class,
                        ModelObject.HwptNested.class, ModelObject.FaultQueue.class, ModelObject.Sva.class,
                        ModelObject.Viommu.class, ModelObject.Vdevice.class);
    }

    @Test
    void aStateOfAnotherExplorationIsRefused() {
        StateCodec codec = new StateCodec(ModelState.initial(ExploreConfig.defaultBounds(), Design.PAGE_TABLE_OWNER));

        assertThatThrownBy(() -> codec.pack(ModelState.initial(ExploreConfig.defaultBounds(), Design.BOTH_REGISTER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another exploration");
        assertThatThrownBy(() -> codec.pack(ModelState.initial(ExploreConfig.oneQueueBounds(), Design.PAGE_TABLE_OWNER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another exploration");
    }

    @Test
    void cutBytesAreToldApartFromAState() {
        ModelState initial = ModelState.initial(ExploreConfig.defaultBounds());
        StateCodec codec = new StateCodec(initial);
        byte[] bytes = codec.pack(initial);

        assertThatThrownBy(() -> codec.unpack(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt packed state");
        assertThatThrownBy(() -> codec.unpack(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt packed state");
    }
}
