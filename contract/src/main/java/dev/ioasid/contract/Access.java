package dev.ioasid.contract;

/** Permission of a mapping, or the access a DMA asks for. */
public enum Access {
    NONE(false, false),
    READ(true, false),
    WRITE(false, true),
    READ_WRITE(true, true);

    private final boolean read;
    private final boolean write;

    Access(boolean read, boolean write) {
        this.read = read;
        this.write = write;
    }

    /** Whether a mapping with this permission allows an access of {@code wanted}. */
    public boolean permits(Access wanted) {
        return (!wanted.read || read) && (!wanted.write || write);
    }
}
