package dev.ioasid.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.PasidState;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.IoasidSet;
import dev.ioasid.model.ModelState.ObjectKey;
import dev.ioasid.model.ModelState.PasidEntry;
import dev.ioasid.model.invariants.Invariant;
import dev.ioasid.model.invariants.Invariants;
import io.vavr.Tuple2;
import io.vavr.collection.TreeMap;
import io.vavr.control.Option;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each invariant holds on a legal state and catches the corruption it exists for: a state built
 * by legal steps, then broken by hand the way a wrong model step would break it.
 */
class InvariantsTests {

    /** Set of VM 1 with one PASID attached to dev 1 through a paging HWPT with one area. */
    private static ModelState legal() {
        ModelState s = Model.initial(Bounds.defaults());
        for (Operation op : List.of(new Operation.CreateSet(1, 2), new Operation.AllocPasid(1, 1, 1),
                new Operation.AllocIoas(1), new Operation.MapArea(1, 1, 0, 2, 0, Access.READ),
                new Operation.AllocHwptPaging(1, 1, false, true, 0), new Operation.Attach(1, 1, 2))) {
            s = Model.step(s, op).steps().head().next();
        }
        return s;
    }

    private static String broken(ModelState s) {
        Option<Tuple2<Invariant, String>> violation = Invariants.firstViolation(s);
        return violation.map(v -> v._1.name()).getOrElse("none");
    }

    private static io.vavr.collection.List<String> allBroken(ModelState s) {
        return Invariants.ALL.filter(i -> i.violation(s).isDefined()).map(Invariant::name);
    }

    @Test
    void legalStateBreaksNothing() {
        assertThat(broken(legal())).isEqualTo("none");
    }

    @Test
    void quotaBeyondCapacity() {
        ModelState s = legal();
        s = s.withSets(s.sets().put(2, new IoasidSet(5, 0)));
        assertThat(broken(s)).isEqualTo("quotas fit the capacity");
    }

    @Test
    void usageNotCounted() {
        ModelState s = legal();
        s = s.withSets(s.sets().put(1, new IoasidSet(2, 0)));
        assertThat(broken(s)).isEqualTo("set usage counts its PASIDs and fits its quota");
    }

    @Test
    void pendingWithoutReferences() {
        ModelState s = legal();
        s = s.withAttachments(s.attachments().remove(new AttachPoint(1, 1)))
                .withPasids(s.pasids().put(1, new PasidEntry(1, PasidState.FREE_PENDING, 0)))
                .addUsers(1, 2, -1);
        assertThat(broken(s)).isEqualTo("no free-pending PASID without references");
    }

    @Test
    void usersMiscounted() {
        ModelState s = legal().addUsers(1, 1, 1);
        assertThat(broken(s)).isEqualTo("object users equal the references to it");
    }

    @Test
    void danglingIoasReference() {
        ModelState s = legal();
        assertThat(allBroken(s.withObjects(s.objects().remove(new ObjectKey(1, 1)))))
                .contains("every HWPT reference names a live object of the right kind");
    }

    @Test
    void mirrorOutOfStep() {
        ModelState s = legal();
        HwptPaging hwpt = (HwptPaging) s.object(1, 2).get();
        s = s.putObject(1, 2, hwpt.withPages(TreeMap.empty()));
        assertThat(broken(s)).isEqualTo("every paging HWPT mirrors its IOAS");
    }

    @Test
    void overlappingAreas() {
        ModelState s = legal();
        Ioas ioas = (Ioas) s.object(1, 1).get();
        assertThat(allBroken(s.putObject(1, 1,
                ioas.withAreas(ioas.areas().put(1, new dev.ioasid.contract.Area(1, 2, 0, Access.READ))))))
                .contains("IOAS areas are disjoint and within the bounds");
    }

    @Test
    void pasidReferencesMiscounted() {
        ModelState s = legal();
        s = s.withPasids(s.pasids().put(1, new PasidEntry(1, PasidState.ACTIVE, 0)));
        assertThat(broken(s)).isEqualTo("PASID references equal the attachments naming it");
    }

    @Test
    void attachmentToAnotherVmsPasid() {
        ModelState s = legal();
        s = s.withSets(s.sets().put(2, new IoasidSet(1, 1)).put(1, new IoasidSet(2, 0)))
                .withPasids(s.pasids().put(1, new PasidEntry(2, PasidState.ACTIVE, 1)));
        assertThat(broken(s)).isEqualTo("every attachment names a live, attachable table and a PASID of its VM");
    }

    @Test
    void groupAnsweredTwice() {
        dev.ioasid.contract.DeviceResponse response = new dev.ioasid.contract.DeviceResponse(0, 0,
                dev.ioasid.contract.ResponseCode.INVALID);
        ModelState s = legal().withNextSerial(2).answer(1, 1, response).answer(1, 1, response);
        assertThat(broken(s)).isEqualTo("every group has exactly one owner and is answered at most once");
    }

    @Test
    void groupLost() {
        assertThat(broken(legal().withNextSerial(2))).isEqualTo("every completed group is held by its owner or answered");
    }
}
