package dev.ioasid.contract;

/** The kinds of object in a VM's object namespace. */
public enum ObjectKind {
    IOAS,
    HWPT_PAGING,
    HWPT_NESTED,
    FAULT_QUEUE,
    SVA,
    /** A virtual IOMMU of a VM (iommufd): a nest parent HWPT shared by the VM's nested HWPTs and vDEVICEs. */
    VIOMMU,
    /** A device's virtual ID in a vIOMMU (iommufd). */
    VDEVICE
}
