package dev.ioasid.model;

/**
 * The rules of {@code SPEC.md}, by stable ID. Every accepted step names the rules that decided it,
 * so a run can report which rules it exercised and a mismatch can say which rule expected what.
 * A test keeps this list and SPEC.md equal.
 */
public enum Rule {
    GEN_1("GEN-1", "a VM, device or mm outside the bounds: EINVAL"),
    GEN_2("GEN-2", "under iommufd the IOASID set calls do not exist: ENOTTY"),
    GEN_3("GEN-3", "under ioasid-2021 the iommufd-only calls (vIOMMU, IOAS copy and IOVA choice, dirty tracking) do not exist: ENOTTY"),

    SET_1("SET-1", "createSet reserves its quota from the capacity"),
    SET_2("SET-2", "one set per VM token: EEXIST"),
    SET_3("SET-3", "quota above what is left: ENOSPC; negative quota: EINVAL"),
    SET_4("SET-4", "quota 0 means all that is left; nothing left: ENOSPC"),
    SET_5("SET-5", "freeSet of a set holding PASIDs: EBUSY"),
    SET_6("SET-6", "freeSet of an empty set returns its quota"),
    SET_7("SET-7", "freeSet or querySet without a set: ENOENT"),
    SET_8("SET-8", "querySet reports quota and PASIDs held"),

    PASID_1("PASID-1", "allocPasid without a set, or with an empty or out-of-range range: EINVAL"),
    PASID_2("PASID-2", "allocPasid with the set's quota used up: ENOSPC"),
    PASID_3("PASID-3", "allocPasid with no free value in range: ENOSPC"),
    PASID_4("PASID-4", "allocPasid returns any value in range held by no set"),
    PASID_5("PASID-5", "freePasid of an unreferenced PASID releases it"),
    PASID_6("PASID-6", "freePasid of a referenced PASID makes it free-pending until its last reference goes"),
    PASID_7("PASID-7", "freePasid of a free-pending PASID is harmless"),
    PASID_8("PASID-8", "a new reference on a free-pending PASID: EBUSY"),
    PASID_9("PASID-9", "a PASID held by no set: ENOENT"),
    PASID_10("PASID-10", "a PASID of another VM's set: EACCES, nothing changes"),
    PASID_11("PASID-11", "queryPasid reports state and references"),

    OBJ_1("OBJ-1", "object IDs are per VM: no such object in this VM: ENOENT"),
    OBJ_2("OBJ-2", "allocation returns any unused ID; all in use: ENOSPC"),
    OBJ_3("OBJ-3", "destroy of a referenced object: EBUSY"),
    OBJ_4("OBJ-4", "destroy removes the object and drops the references it held"),
    OBJ_5("OBJ-5", "queryObject reports kind and references"),
    OBJ_6("OBJ-6", "no reference dangles"),

    HWPT_1("HWPT-1", "a paging HWPT is built from an IOAS, else EINVAL"),
    HWPT_2("HWPT-2", "a paging HWPT mirrors its IOAS at all times"),
    HWPT_3("HWPT-3", "a NEST_PARENT HWPT with a fault queue: EOPNOTSUPP"),
    HWPT_4("HWPT-4", "a nested HWPT needs a NEST_PARENT paging parent, else EINVAL"),
    HWPT_5("HWPT-5", "a fault argument that is not a fault queue: EINVAL"),
    HWPT_6("HWPT-6", "invalidate only on a nested HWPT and a non-empty range, else EINVAL"),
    HWPT_7("HWPT-7", "queryPages only on an IOAS or a paging HWPT, else EINVAL"),
    HWPT_8("HWPT-8", "an HWPT holds a reference on its IOAS or parent and on its fault queue"),

    SVA_1("SVA-1", "an SVA domain binds an mm and attaches to PASIDs only"),

    VIOMMU_1("VIOMMU-1", "allocViommu needs a driver with vIOMMUs (EOPNOTSUPP) and a NEST_PARENT paging HWPT (ENOENT, EINVAL)"),
    VIOMMU_2("VIOMMU-2", "allocVdevice: a vIOMMU (ENOENT), a device on its IOMMU (EINVAL), a virtual ID free in it (EEXIST)"),
    VIOMMU_3("VIOMMU-3", "a nested HWPT on a vIOMMU has the vIOMMU's HWPT as parent and holds the vIOMMU"),
    VIOMMU_4("VIOMMU-4", "invalidateViommu: a known virtual ID (EINVAL or EIO) and a range; the device then sees stage 1 as written"),
    VIOMMU_5("VIOMMU-5", "invalidate of a nested HWPT on a vIOMMU: as HWPT-6, or EOPNOTSUPP"),
    VIOMMU_6("VIOMMU-6", "virtual IDs are unique per vIOMMU; vDEVICEs and their vIOMMU never dangle"),

    DIRTY_1("DIRTY-1", "allocHwptPaging with DIRTY_TRACKING (iommufd): a paging HWPT that can track dirty pages, off at first"),
    DIRTY_2("DIRTY-2", "a dirty-tracking HWPT (or a nested HWPT on one) attaches only to a device whose IOMMU tracks dirty pages: EINVAL"),
    DIRTY_3("DIRTY-3", "setDirtyTracking on a paging HWPT (ENOENT) allocated with DIRTY_TRACKING (EOPNOTSUPP); enabling clears every bit"),
    DIRTY_4("DIRTY-4", "getDirtyBitmap reports the dirty pages of the range's mapped prefix and clears them (none while tracking is off)"),
    DIRTY_5("DIRTY-5", "a DMA write through a dirty-tracking HWPT, or a nested HWPT on one, marks the page while tracking is on"),
    DIRTY_6("DIRTY-6", "dirty bits are on mapped pages of dirty-tracking HWPTs only"),
    IOAS_1("IOAS-1", "map of no pages, no access, or outside the bounds: EINVAL"),
    IOAS_2("IOAS-2", "map overlapping an area: EEXIST"),
    IOAS_3("IOAS-3", "map adds the area"),
    IOAS_4("IOAS-4", "unmap of no pages or a negative IOVA: EINVAL"),
    IOAS_5("IOAS-5", "unmap cutting an area or removing nothing: ENOENT, nothing changes"),
    IOAS_6("IOAS-6", "unmap removes the whole areas in range and reports the pages"),
    IOAS_7("IOAS-7", "unmapAll removes every area"),
    IOAS_8("IOAS-8", "map, unmap, unmapAll, queryAreas on anything but an IOAS: EINVAL"),
    IOAS_9("IOAS-9", "queryAreas reports the areas sorted by IOVA"),
    IOAS_10("IOAS-10", "copyArea (iommufd): a covered source range, mapped again at a free IOVA; WRITE needs writable pages (EPERM)"),
    IOAS_11("IOAS-11", "mapArea without a fixed IOVA (iommufd): any aligned, allowed, free IOVA but 0; none: ENOSPC"),
    IOAS_12("IOAS-12", "allowIovas (iommufd): the range the kernel may choose IOVAs from; fixed maps ignore it"),

    RESV_1("RESV-1", "a device reserves its ranges in the IOAS behind its RID's table, from attach to detach (iommufd)"),
    RESV_2("RESV-2", "attach or replace of a RID onto another IOAS whose areas or allowed range meet its reserved ranges: EADDRINUSE"),
    RESV_3("RESV-3", "a map or copy at a fixed IOVA into a reserved range: EINVAL; a chosen IOVA avoids them"),
    RESV_4("RESV-4", "allowIovas of a range a device reserves: EADDRINUSE, the allowed range stays"),
    RESV_5("RESV-5", "no area and no allowed range meets a range reserved in its IOAS"),

    ATT_1("ATT-1", "at most one table per (device, PASID): EBUSY"),
    ATT_2("ATT-2", "a fault queue, an IOAS on a PASID, or an SVA domain on the RID cannot be attached: EINVAL"),
    ATT_3("ATT-3", "a PASID attach on a device without PASIDs: EOPNOTSUPP; a PASID the device cannot issue: EINVAL"),
    ATT_4("ATT-4", "a PASID attach needs an ALLOC_PASID table: EINVAL"),
    ATT_5("ATT-5", "a PASID attach needs a PASID of the device's VM set: EACCES or ENOENT"),
    ATT_6("ATT-6", "an attachment holds a reference on its table and its PASID"),
    ATT_7("ATT-7", "replace on an unattached point: EINVAL"),
    ATT_8("ATT-8", "replace swaps atomically; a failed replace keeps the old attachment"),
    ATT_9("ATT-9", "detach of an unattached point is a no-op"),
    ATT_10("ATT-10", "detach drops the table and PASID references"),
    ATT_11("ATT-11", "queryAttachment reports the table attached, or none"),
    ATT_12("ATT-12", "under iommufd a RID attachment and PASID attachments of a device mix only with PASID-compatible tables: EINVAL"),
    ATT_13("ATT-13", "under iommufd attach and replace return the attached HWPT's ID; an IOAS is attached through its automatic HWPT"),

    XLT_1("XLT-1", "DMA where nothing is attached is blocked"),
    XLT_2("XLT-2", "DMA through an IOAS or paging HWPT translates by its pages, else faults at PAGING"),
    XLT_3("XLT-3", "DMA through a nested HWPT walks stage 1 then stage 2 and faults at the level that fails"),
    XLT_4("XLT-4", "a stage-1 entry written since the last invalidate covering it translates the old or the new way"),
    XLT_5("XLT-5", "invalidate ends that latitude for the pages it covers"),
    XLT_6("XLT-6", "DMA through an SVA domain translates by the process's pages, else faults at SVA"),
    XLT_7("XLT-7", "DMA or a page request outside the bounds, without access, or on a PASID the device cannot issue: EINVAL"),
    XLT_8("XLT-8", "writeStage1 only on a nested HWPT, within the bounds, else EINVAL"),

    SVA_2("SVA-2", "mmMap maps a free page of the process: EEXIST if mapped, EINVAL outside the bounds or without access"),
    SVA_3("SVA-3", "mmUnmap unmaps a mapped page (ENOENT otherwise); it translates no more once mmUnmap returns"),

    PRQ_1("PRQ-1", "requests of a group are held until its last request"),
    PRQ_2("PRQ-2", "the last request completes the group; it faults at stage 2 if any request does"),
    PRQ_3("PRQ-3", "nothing attached, no PRI, or no handler for the level: answered INVALID at once"),
    PRQ_4("PRQ-4", "a stage-1 group of a nested HWPT, or a group of a paging HWPT, goes to its fault queue"),
    PRQ_5("PRQ-5", "a stage-2 group goes to the kernel, answered INVALID at once, never seen by user space"),
    PRQ_6("PRQ-6", "an SVA group is answered by the kernel: SUCCESS if the process maps every page asked, else INVALID"),
    PRQ_7("PRQ-7", "a request for a group still outstanding is not issued: EBUSY"),
    PRQ_8("PRQ-8", "a guest-owned PASID table: a PASID with nothing attached goes through the RID's nested HWPT"),
    PRQ_9("PRQ-9", "interleaved delivery: a completed group waits in the page request queue until the driver's handler takes it (deliverFault), oldest first per device, and is routed by what is attached then"),

    FLT_1("FLT-1", "readFaults returns the delivered groups, whole, in order, each with a fresh cookie (ioasid-2021: never used before; iommufd: not awaiting a response)"),
    FLT_2("FLT-2", "readFaults and respond on anything but a fault queue: EINVAL"),
    FLT_3("FLT-3", "respond with an unknown or used cookie, or a code other than SUCCESS or INVALID: EINVAL"),
    FLT_4("FLT-4", "respond answers the group once, to the device, PASID and group that asked"),
    FLT_5("FLT-5", "detach and a successful replace answer INVALID to the point's unanswered groups and drop its held requests"),
    FLT_6("FLT-6", "destroying a fault queue answers INVALID to every group left in it"),
    FLT_7("FLT-7", "queryResponses reports what the device received, in order"),
    FLT_8("FLT-8", "interleaved delivery: a detach or replace first routes the point's groups still in the page request queue (a drain), so none outlives the attachment it was issued under"),
    CONC_1("CONC-1", "calls made at once are linearizable: some order of them, keeping each after those that returned before it began, is one these rules accept");

    private final String id;
    private final String summary;

    Rule(String id, String summary) {
        this.id = id;
        this.summary = summary;
    }

    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return id;
    }
}
