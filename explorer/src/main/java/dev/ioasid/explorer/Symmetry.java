package dev.ioasid.explorer;

/**
 * Symmetry reduction over object IDs: each VM's objects are ordered by what they are, not by their
 * IDs (kind, flags, contents, which attach points use them, and what they refer to, each described
 * without IDs), and renumbered 1..n in that order. Objects that no description tells apart keep
 * their relative ID order, so some symmetric states may stay apart (the reduction is partial), but
 * two states are never merged unless one is a renumbering of the other.
 */
final class Symmetry {

    private Symmetry() {
    }

    /** The canonical ID of each object of {@code objects}, by index. */
    static int[] canonicalIds(Fingerprint.Objects objects, Fingerprint.Attachments attachments, int[] vmOf) {
        int n = objects.size;
        long[] signature = new long[n];
        for (int i = 0; i < n; i++) {
            long h = objects.content[i];
            int vm = objects.vms[i];
            if (objects.refs[i] > 0) {
                h = mix(h, contentOf(objects, vm, objects.firstRef[i]));
            }
            if (objects.refs[i] > 1) {
                h = mix(h, contentOf(objects, vm, objects.secondRef[i]));
            }
            signature[i] = h;
        }
        for (int a = 0; a < attachments.size; a++) {
            int device = attachments.devices[a];
            int at = objects.indexOf(vmOf[device], attachments.tables[a]);
            if (at >= 0) {
                signature[at] += mix(device * 1031L + attachments.pasids[a], 0x5A);
            }
        }
        // Rank each object among its VM's by (signature, id): n is a handful, so a quadratic count is fastest.
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int rank = 1;
            for (int j = 0; j < n; j++) {
                if (j != i && objects.vms[j] == objects.vms[i] && before(objects, signature, j, i)) {
                    rank++;
                }
            }
            ids[i] = rank;
        }
        return ids;
    }

    /** The content hash of object {@code id} of {@code vm}, -1 if it does not exist. */
    private static long contentOf(Fingerprint.Objects objects, int vm, int id) {
        int at = objects.indexOf(vm, id);
        return at < 0 ? -1 : objects.content[at];
    }

    private static boolean before(Fingerprint.Objects objects, long[] signature, int a, int b) {
        int bySignature = Long.compare(signature[a], signature[b]);
        return bySignature != 0 ? bySignature < 0 : objects.ids[a] < objects.ids[b];
    }

    private static long mix(long h, long v) {
        long z = (h ^ v) * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 31);
    }
}
