package dev.ioasid.explorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Symmetry reduction over object IDs: each VM's objects are ordered by what they are, not by their
 * IDs (kind, flags, contents, which attach points use them, and what they refer to, each described
 * without IDs), and renumbered 1..n in that order. Objects no description tells apart (two empty
 * IOASes, or two IOASes told apart only by which HWPT refers to them) are tried in every order among
 * themselves, and the order whose encoding hashes least is kept. So the renumbering is canonical:
 * two states get the same encoding exactly when one is a renumbering of the other (up to hash
 * collisions). The partial-order reduction needs that completeness: with ties broken by ID, two
 * renumberings of one state could get different fingerprints, and which of them a search meets
 * would depend on the order it takes operations in.
 */
final class Symmetry {

    private Symmetry() {
    }

    /**
     * The canonical ID of each object of {@code objects}, by index: ranked by signature, ties tried
     * in every order and settled by the least {@link Fingerprint#idEncoding} (the part of the
     * fingerprint the IDs appear in).
     */
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
        List<int[]> ties = ties(objects, signature);
        if (ties.isEmpty()) {
            return ids;
        }
        ToLongFunction<int[]> encoding = candidate -> Fingerprint.idEncoding(objects, attachments, candidate, vmOf);
        return leastOverTies(ids, ties, 0, encoding, new long[] {Long.MAX_VALUE}, null);
    }

    /** The groups (two or more) of objects of one VM with the same signature, by index. */
    private static List<int[]> ties(Fingerprint.Objects objects, long[] signature) {
        List<int[]> ties = new ArrayList<>();
        boolean[] grouped = new boolean[objects.size];
        for (int i = 0; i < objects.size; i++) {
            if (grouped[i]) {
                continue;
            }
            int[] group = {i};
            for (int j = i + 1; j < objects.size; j++) {
                if (objects.vms[j] == objects.vms[i] && signature[j] == signature[i]) {
                    group = Arrays.copyOf(group, group.length + 1);
                    group[group.length - 1] = j;
                    grouped[j] = true;
                }
            }
            if (group.length > 1) {
                ties.add(group);
            }
        }
        return ties;
    }

    /**
     * Every assignment of each tied group's IDs among its members (the group holds consecutive
     * ranks), from group {@code g} on; returns the IDs with the least encoding, {@code least[0]}.
     */
    private static int[] leastOverTies(int[] ids, List<int[]> ties, int g, ToLongFunction<int[]> encoding, long[] least,
                                       int[] best) {
        if (g == ties.size()) {
            long e = encoding.applyAsLong(ids);
            return best == null || Long.compareUnsigned(e, least[0]) < 0 ? keep(ids, e, least) : best;
        }
        int[] group = ties.get(g);
        int[] ranks = new int[group.length];
        for (int k = 0; k < group.length; k++) {
            ranks[k] = ids[group[k]];
        }
        Arrays.sort(ranks);
        int[] order = new int[group.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        do {
            for (int k = 0; k < group.length; k++) {
                ids[group[k]] = ranks[order[k]];
            }
            best = leastOverTies(ids, ties, g + 1, encoding, least, best);
        } while (nextPermutation(order));
        return best;
    }

    private static int[] keep(int[] ids, long encoded, long[] least) {
        least[0] = encoded;
        return ids.clone();
    }

    /** Steps {@code a} to its next permutation in lexicographic order; false after the last. */
    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
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
