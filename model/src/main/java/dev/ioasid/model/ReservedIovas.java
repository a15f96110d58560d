package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.ReservedRange;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import io.vavr.control.Option;

/**
 * The IOVA ranges devices reserve (RESV-*, iommufd only). iommufd reserves a device's ranges in the
 * IOAS behind the table its RID is attached to, from the attach until the detach or a replace onto
 * another IOAS (device.c: iommufd_hw_pagetable_attach, iommufd_device_attach_reserved_iova,
 * iommufd_hw_pagetable_detach, iommufd_group_do_replace_reserved_iova; io_pagetable.c:
 * iopt_table_enforce_dev_resv_regions, iopt_reserve_iova, iopt_remove_reserved_iova). PASID
 * attachments reserve nothing. The model keeps no reservation of its own: what is reserved follows
 * from the attachments, as the kernel keys its reservations by device.
 */
public final class ReservedIovas {

    private ReservedIovas() {
    }

    /**
     * The IOAS behind a table of the VM: an IOAS itself (its automatic HWPT's), a paging HWPT's, a
     * nested HWPT's parent's (find_hwpt_paging); 0 for anything else.
     */
    public static int ioasBehind(ModelState s, int vm, int tableId) {
        ModelObject table = s.object(vm, tableId).getOrNull();
        if (table instanceof HwptNested nested) {
            table = s.object(vm, nested.parent()).getOrNull();
        }
        if (table instanceof HwptPaging paging) {
            return paging.ioas();
        }
        return table instanceof Ioas ? tableId : 0;
    }

    /** Whether a device of the VM reserves a page of {@code [iova, iova + pages)} in the IOAS (RESV-1). */
    static boolean reserved(ModelState s, int vm, int ioasId, long iova, long pages) {
        if (!s.bounds().iommufd()) {
            return false;
        }
        for (DeviceSpec device : s.bounds().devices()) {
            if (device.vm() == vm && !device.reserved().isEmpty() && device.reserves(iova, pages)
                    && s.attached(device.id(), Pasid.NONE).exists(t -> ioasBehind(s, vm, t) == ioasId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reservation an attach or replace of the device's RID onto {@code tableId} makes (RESV-2):
     * when the IOAS behind the table is not the one behind what the RID holds now, a reserved range
     * of the device that meets an area or the allowed range of that IOAS fails EADDRINUSE.
     */
    static Option<Transition> attachCheck(ModelState s, DeviceSpec device, int tableId) {
        if (device.reserved().isEmpty()) {
            return Option.none();
        }
        int vm = device.vm();
        int target = ioasBehind(s, vm, tableId);
        int now = s.attached(device.id(), Pasid.NONE).map(t -> ioasBehind(s, vm, t)).getOrElse(0);
        if (target == 0 || target == now) {
            return Option.none();
        }
        Ioas ioas = (Ioas) s.object(vm, target).get();
        return conflict(device, ioas) ? Option.some(fail(s, Errno.EADDRINUSE, Rule.RESV_2)) : Option.none();
    }

    /** Whether a reserved range of the device meets an area or the allowed range of the IOAS. */
    public static boolean conflict(DeviceSpec device, Ioas ioas) {
        for (ReservedRange range : device.reserved()) {
            if (!ioas.allowed().any() && range.meets(ioas.allowed().iova(), ioas.allowed().pages())) {
                return true;
            }
            if (ioas.areaList().exists(a -> range.meets(a.iova(), a.pages()))) {
                return true;
            }
        }
        return false;
    }
}
