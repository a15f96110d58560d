package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Profile;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the iommufd profile departs from ioasid-2021 (SPEC.md, Profiles): each difference shown on
 * the same calls under both profiles, so that a change to either side shows up here.
 */
class IommufdProfileTests {
    private static final Bounds IOMMUFD = bounds(Profile.IOMMUFD);
    private static final Bounds SETS = bounds(Profile.IOASID_2021);

    private static Bounds bounds(Profile profile) {
        return new Bounds(4, 8, 1, List.of(new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI),
                new DeviceSpec(2, 1, 8, true, DriverKind.MDEV), new DeviceSpec(3, 1, 0, true, DriverKind.VFIO_PCI)),
                8, 8, 6, 1, 2, 2, profile);
    }

    /** Runs the calls, each with the canonical outcome, and returns the last call's allowed results. */
    private static Transition last(Bounds bounds, Operation... ops) {
        ModelState s = Model.initial(bounds);
        for (int i = 0; i < ops.length - 1; i++) {
            s = Model.step(s, ops[i]).canonical().next();
        }
        return Model.step(s, ops[ops.length - 1]);
    }

    private static Result result(Bounds bounds, Operation... ops) {
        return last(bounds, ops).canonical().result();
    }

    @Test
    void setCallsDoNotExistUnderIommufdEvenOutOfBounds() {
        assertThat(result(IOMMUFD, new Operation.CreateSet(1, 1))).isEqualTo(Result.failed(Errno.ENOTTY));
        assertThat(result(IOMMUFD, new Operation.AllocPasid(9, 1, 2))).isEqualTo(Result.failed(Errno.ENOTTY));
        assertThat(last(IOMMUFD, new Operation.QueryPasid(1, 1)).rules()).containsExactly(Rule.GEN_2);
        assertThat(result(SETS, new Operation.CreateSet(1, 1))).isEqualTo(Result.done());
    }

    @Test
    void aPasidAttachNamesAnyPasidTheDeviceCanIssueAndTakesNoReference() {
        Operation[] calls = {new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 1, false, true, 0),
                new Operation.Attach(1, 5, 2)};
        assertThat(result(IOMMUFD, calls)).isEqualTo(new Result.Allocated(2)); // pt_id: the HWPT attached (ATT-13)
        assertThat(result(SETS, calls)).isEqualTo(Result.failed(Errno.ENOENT)); // ATT-5: no set holds PASID 5
    }

    @Test
    void ridAndPasidAttachmentsMixOnlyWithPasidCompatibleTables() {
        Operation ioas = new Operation.AllocIoas(1);
        Operation compatible = new Operation.AllocHwptPaging(1, 1, false, true, 0);
        // The RID holds an IOAS (its automatic domain is not PASID-compatible): no PASID attaches.
        Transition pasidBesideIoas = last(IOMMUFD, ioas, compatible, new Operation.Attach(1, 0, 1), new Operation.Attach(1, 3, 2));
        assertThat(pasidBesideIoas.canonical().result()).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(pasidBesideIoas.rules()).containsExactly(Rule.ATT_12);
        // A PASID is attached: the RID takes the compatible HWPT but not the IOAS.
        assertThat(result(IOMMUFD, ioas, compatible, new Operation.Attach(1, 3, 2), new Operation.Attach(1, 0, 1)))
                .isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(IOMMUFD, ioas, compatible, new Operation.Attach(1, 3, 2), new Operation.Attach(1, 0, 2)))
                .isEqualTo(new Result.Allocated(2));
    }

    @Test
    void attachChecksThePointBeforeThePasidUnderIommufd() {
        Operation ioas = new Operation.AllocIoas(1);
        Operation plain = new Operation.AllocHwptPaging(1, 1, false, false, 0);
        Operation compatible = new Operation.AllocHwptPaging(1, 1, false, true, 0);
        // An attached PASID: attaching a table that is not PASID-compatible is EBUSY first (2021: EINVAL, ATT-4).
        Operation[] busy = {ioas, plain, compatible, new Operation.Attach(1, 3, 3), new Operation.Attach(1, 3, 2)};
        assertThat(result(IOMMUFD, busy)).isEqualTo(Result.failed(Errno.EBUSY));
        // A driver without PASID attach support refuses before the table is looked up.
        assertThat(result(IOMMUFD, new Operation.Attach(2, 3, 6))).isEqualTo(Result.failed(Errno.EOPNOTSUPP));
        // A device that issues no PASID, under a driver that can attach them: EINVAL, after the table checks.
        assertThat(result(IOMMUFD, ioas, compatible, new Operation.Attach(3, 1, 2))).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(SETS, ioas, compatible, new Operation.Attach(3, 1, 2))).isEqualTo(Result.failed(Errno.EOPNOTSUPP));
    }

    @Test
    void hwptAllocationFollowsIommufdHwptAlloc() {
        Operation ioas = new Operation.AllocIoas(1);
        Operation queue = new Operation.AllocFaultQueue(1);
        assertThat(result(IOMMUFD, new Operation.AllocHwptPaging(1, 5, false, false, 0))).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(SETS, new Operation.AllocHwptPaging(1, 5, false, false, 0))).isEqualTo(Result.failed(Errno.ENOENT));
        Operation paging = new Operation.AllocHwptPaging(1, 1, true, false, 0);
        assertThat(result(IOMMUFD, ioas, paging, new Operation.AllocHwptPaging(1, 2, false, false, 0)))
                .isEqualTo(Result.failed(Errno.EOPNOTSUPP));
        assertThat(result(IOMMUFD, ioas, new Operation.AllocHwptNested(1, 1, false, 0)))
                .isEqualTo(Result.failed(Errno.EOPNOTSUPP));
        // NEST_PARENT with a fault is refused before the fault is looked up; a fault of another kind is ENOENT.
        assertThat(result(IOMMUFD, ioas, new Operation.AllocHwptPaging(1, 1, true, false, 6)))
                .isEqualTo(Result.failed(Errno.EOPNOTSUPP));
        assertThat(result(SETS, ioas, new Operation.AllocHwptPaging(1, 1, true, false, 6)))
                .isEqualTo(Result.failed(Errno.ENOENT));
        assertThat(result(IOMMUFD, ioas, queue, new Operation.AllocHwptPaging(1, 1, false, false, 1)))
                .isEqualTo(Result.failed(Errno.ENOENT));
        assertThat(result(SETS, ioas, queue, new Operation.AllocHwptPaging(1, 1, false, false, 1)))
                .isEqualTo(Result.failed(Errno.EINVAL));
    }

    @Test
    void ioasCallsOnAnotherKindAreNotFoundAndAMapWithoutAccessIsRefusedFirst() {
        Operation queue = new Operation.AllocFaultQueue(1);
        assertThat(result(IOMMUFD, queue, new Operation.Unmap(1, 1, 0, 1))).isEqualTo(Result.failed(Errno.ENOENT));
        assertThat(result(SETS, queue, new Operation.Unmap(1, 1, 0, 1))).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(IOMMUFD, new Operation.MapArea(1, 4, 0, 1, 0, Access.NONE))).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(SETS, new Operation.MapArea(1, 4, 0, 1, 0, Access.NONE))).isEqualTo(Result.failed(Errno.ENOENT));
    }

    @Test
    void anUnmapThatCutsAnAreaRemovesTheWholeAreasBeforeItUnderIommufd() {
        Operation[] calls = {new Operation.AllocIoas(1), new Operation.MapArea(1, 1, 0, 2, 0, Access.READ),
                new Operation.MapArea(1, 1, 4, 2, 4, Access.READ), new Operation.Unmap(1, 1, 0, 5)};
        Transition.Step iommufd = last(IOMMUFD, calls).canonical();
        assertThat(iommufd.result()).isEqualTo(Result.failed(Errno.ENOENT));
        assertThat(((ModelObject.Ioas) iommufd.next().object(1, 1).get()).areaList()).hasSize(1);
        Transition.Step sets = last(SETS, calls).canonical();
        assertThat(sets.result()).isEqualTo(Result.failed(Errno.ENOENT));
        assertThat(((ModelObject.Ioas) sets.next().object(1, 1).get()).areaList()).hasSize(2);
    }

    @Test
    void invalidateOnAParentAcceptsTheErrnoOfEitherKernelEra() {
        Operation[] calls = {new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 1, true, false, 0),
                new Operation.Invalidate(1, 2, 0, 1)};
        Transition iommufd = last(IOMMUFD, calls);
        assertThat(iommufd.accept(Result.failed(Errno.EINVAL))).isNotEmpty();
        assertThat(iommufd.accept(Result.failed(Errno.ENOENT))).isNotEmpty();
        assertThat(iommufd.accept(Result.done())).isEmpty();
        assertThat(last(SETS, calls).accept(Result.failed(Errno.ENOENT))).isEmpty();
    }

    /** A nested table with a fault queue on the RID, a group read: the state a cookie is handed out in. */
    private static Operation[] faultRead() {
        return new Operation[] {new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 1, true, false, 0),
                new Operation.AllocFaultQueue(1), new Operation.AllocHwptNested(1, 2, false, 3),
                new Operation.Attach(1, 0, 4), new Operation.PageRequest(1, 0, 0, Access.READ, 0, true),
                new Operation.ReadFaults(1, 3), new Operation.Respond(1, 3, 1, ResponseCode.SUCCESS),
                new Operation.PageRequest(1, 0, 0, Access.READ, 0, true), new Operation.ReadFaults(1, 3)};
    }

    @Test
    void anAnsweredCookieMayComeBackUnderIommufdOnly() {
        FaultGroup again = new FaultGroup(1, 0, 0, List.of(new RequestedPage(0, Access.READ)), 1);
        Result reused = new Result.FaultGroups(List.of(again));
        assertThat(last(IOMMUFD, faultRead()).accept(reused)).isNotEmpty();
        assertThat(last(IOMMUFD, faultRead()).canonical().result()).isEqualTo(reused); // the lowest free, as xa_alloc
        assertThat(last(SETS, faultRead()).accept(reused)).isEmpty();
    }

    @Test
    void aNonLastRequestWithNoHandlerIsAnsweredAtOnceUnderIommufd() {
        Operation request = new Operation.PageRequest(1, 0, 0, Access.READ, 1, false);
        Operation responses = new Operation.QueryResponses(1);
        assertThat(result(IOMMUFD, request, responses))
                .isEqualTo(new Result.Responses(List.of(new DeviceResponse(0, 1, ResponseCode.INVALID))));
        assertThat(result(SETS, request, responses)).isEqualTo(new Result.Responses(List.of()));
    }

    /** PRQ-8: a device whose guest owns the PASID table sends an unattached PASID's faults through the RID's nested HWPT. */
    @Test
    void aGuestOwnedPasidTableSendsAnUnattachedPasidThroughTheRidsNestedTable() {
        for (Profile profile : Profile.values()) {
            Bounds guest = new Bounds(4, 8, 1, List.of(new DeviceSpec(1, 1, 8, true, DriverKind.VFIO_PCI, true),
                    new DeviceSpec(2, 1, 8, true, DriverKind.VFIO_PCI)), 8, 8, 6, 1, 2, 2, profile);
            Operation[] nestedOnRids = {new Operation.AllocIoas(1), new Operation.AllocHwptPaging(1, 1, true, false, 0),
                    new Operation.AllocFaultQueue(1), new Operation.AllocHwptNested(1, 2, false, 3),
                    new Operation.Attach(1, 0, 4), new Operation.Attach(2, 0, 4),
                    new Operation.PageRequest(1, 5, 0, Access.READ, 0, true), new Operation.PageRequest(2, 5, 0, Access.READ, 0, true)};
            ModelState s = Model.initial(guest);
            for (Operation op : nestedOnRids) {
                s = Model.step(s, op).canonical().next();
            }
            Transition read = Model.step(s, new Operation.ReadFaults(1, 3));
            FaultGroup viaRid = new FaultGroup(1, 5, 0, List.of(new RequestedPage(0, Access.READ)), 1);
            assertThat(read.canonical().result()).as("%s", profile).isEqualTo(new Result.FaultGroups(List.of(viaRid)));
            assertThat(Model.step(s, new Operation.QueryResponses(2)).canonical().result()).as("%s", profile)
                    .isEqualTo(new Result.Responses(List.of(new DeviceResponse(5, 0, ResponseCode.INVALID))));
            // The RID's detach answers the group that came through it.
            ModelState detached = Model.step(s, new Operation.Detach(1, 0)).canonical().next();
            assertThat(Model.step(detached, new Operation.QueryResponses(1)).canonical().result()).as("%s", profile)
                    .isEqualTo(new Result.Responses(List.of(new DeviceResponse(5, 0, ResponseCode.INVALID))));
        }
    }

    /** ATT-13: an IOAS is attached through an automatic HWPT, shared by its attachments, gone with the last. */
    @Test
    void anIoasIsAttachedThroughAnAutomaticHwptThatGoesWithItsLastAttachment() {
        ModelState s = Model.initial(IOMMUFD);
        s = Model.step(s, new Operation.AllocIoas(1)).canonical().next();
        Transition first = Model.step(s, new Operation.Attach(1, 0, 1));
        assertThat(first.accept(new Result.Allocated(4))).as("any free ID").isNotEmpty();
        assertThat(first.accept(new Result.Allocated(1))).as("not the IOAS's own").isEmpty();
        ModelState one = first.accept(new Result.Allocated(4)).get().next();
        assertThat(one.object(1, 4).get()).isInstanceOfSatisfying(ModelObject.HwptPaging.class, p -> assertThat(p.auto()).isTrue());
        assertThat(Model.step(one, new Operation.QueryAttachment(1, 0)).canonical().result()).isEqualTo(new Result.AttachedTable(4));
        // A second device attached to the same IOAS shares the automatic HWPT; the IOAS cannot go meanwhile.
        ModelState two = Model.step(one, new Operation.Attach(2, 0, 1)).canonical().next();
        assertThat(Model.step(one, new Operation.Attach(2, 0, 1)).canonical().result()).isEqualTo(new Result.Allocated(4));
        assertThat(Model.step(two, new Operation.Destroy(1, 1)).canonical().result()).isEqualTo(Result.failed(Errno.EBUSY));
        assertThat(Model.step(two, new Operation.Destroy(1, 4)).canonical().result()).isEqualTo(Result.failed(Errno.EBUSY));
        // Replacing onto the same IOAS changes nothing and says which HWPT is attached.
        assertThat(Model.step(two, new Operation.Replace(1, 0, 1)).canonical().result()).isEqualTo(new Result.Allocated(4));
        ModelState last = Model.step(Model.step(two, new Operation.Detach(1, 0)).canonical().next(), new Operation.Detach(2, 0))
                .canonical().next();
        assertThat(last.object(1, 4)).as("gone with its last attachment").isEmpty();
        assertThat(Model.step(last, new Operation.Destroy(1, 1)).canonical().result()).isEqualTo(Result.done());
        // Under ioasid-2021 the IOAS is attached itself.
        assertThat(result(SETS, new Operation.AllocIoas(1), new Operation.Attach(1, 0, 1))).isEqualTo(Result.done());
    }

    @Test
    void aReplaceBetweenIoasesMovesToTheOtherAutomaticHwptAndDropsTheFirst() {
        ModelState s = Model.initial(IOMMUFD);
        for (Operation op : new Operation[] {new Operation.AllocIoas(1), new Operation.AllocIoas(1), new Operation.Attach(1, 0, 1)}) {
            s = Model.step(s, op).canonical().next();
        }
        Transition.Step moved = Model.step(s, new Operation.Replace(1, 0, 2)).canonical();
        assertThat(moved.result()).isEqualTo(new Result.Allocated(4)); // 3 is still the first one's while the new one is made
        assertThat(moved.next().object(1, 3)).isEmpty();
        assertThat(moved.next().object(1, 1).get().users()).isZero();
    }

    @Test
    void aRangeWhoseEndPassesTwoToThe31IsOutsideTheBoundsNotInside() {
        Operation map = new Operation.MapArea(1, 1, 4, Integer.MAX_VALUE, 0, Access.READ);
        assertThat(result(IOMMUFD, new Operation.AllocIoas(1), map)).isEqualTo(Result.failed(Errno.EINVAL));
        assertThat(result(SETS, new Operation.AllocIoas(1), map)).isEqualTo(Result.failed(Errno.EINVAL));
    }
}
