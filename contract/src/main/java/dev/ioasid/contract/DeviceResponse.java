package dev.ioasid.contract;

/** A page response as the device received it. */
public record DeviceResponse(int pasid, int group, ResponseCode code) {
    @Override
    public String toString() {
        return "(pasid=" + Pasid.show(pasid) + ", group=" + group + ", " + code + ")";
    }
}
