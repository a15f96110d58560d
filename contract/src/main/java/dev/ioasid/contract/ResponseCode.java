package dev.ioasid.contract;

/** PRI page response codes. The contract lets user space answer SUCCESS or INVALID only. */
public enum ResponseCode {
    SUCCESS,
    INVALID,
    FAILURE
}
