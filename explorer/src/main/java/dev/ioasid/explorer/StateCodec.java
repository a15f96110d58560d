package dev.ioasid.explorer;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Area;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.PageMapping;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.Dirty;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.IovaRange;
import dev.ioasid.model.ModelObject.OpenGroup;
import dev.ioasid.model.ModelObject.Stage1Entry;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelObject.Vdevice;
import dev.ioasid.model.ModelObject.Viommu;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.Answer;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.GroupKey;
import dev.ioasid.model.ModelState.IoasidSet;
import dev.ioasid.model.ModelState.MmMapping;
import dev.ioasid.model.ModelState.MmPage;
import dev.ioasid.model.ModelState.ObjectKey;
import dev.ioasid.model.ModelState.PasidEntry;
import dev.ioasid.model.ModelState.QueuedGroup;
import io.vavr.Tuple2;
import io.vavr.collection.HashMap;
import io.vavr.collection.HashSet;
import io.vavr.collection.List;
import io.vavr.collection.Map;
import io.vavr.collection.Set;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import java.util.Arrays;

/**
 * A model state packed into a byte array, the way the explorer keeps the states waiting to be
 * expanded: a Promela-style state vector of variable-length integers, some tens of bytes where the
 * persistent maps take kilobytes, with nothing for the collector to trace. {@link #unpack} gives back
 * a state equal to the one packed, history included (responses, serials, cookies ever handed out):
 * a frontier state is expanded from exactly what the model would have expanded.
 * {@code StateCodecTests} checks {@code unpack(pack(s)).equals(s)} on every state of the explore
 * bounds files, and that the explorer's counts, checksums and traces do not change with it.
 *
 * <p>What is the same for every state of an exploration (the bounds, the design, the delivery mode)
 * is not packed: it is taken from the state this codec was made for.
 *
 * <p>Every integer is written zig-zag, seven bits a byte; maps and lists as a count and then their
 * entries (objects and attachments in key order, other maps in the order they iterate). Unpacking
 * rebuilds each map by inserting in that order, which rebuilds an equal persistent map.
 */
final class StateCodec implements Frontier.Codec {
    private static final int IOAS = 1;
    private static final int HWPT_PAGING = 2;
    private static final int HWPT_NESTED = 3;
    private static final int FAULT_QUEUE = 4;
    private static final int SVA = 5;
    private static final int VIOMMU = 6;
    private static final int VDEVICE = 7;

    // The state's parts, each packed on its own (a length, then its bytes) so that a part a
    // successor shares with its parent is packed once and a part many states share unpacks to one
    // value ({@link Memo}).
    private static final int SETS = 0;
    private static final int PASIDS = 1;
    private static final int OBJECTS = 2;
    private static final int ATTACHMENTS = 3;
    private static final int MM = 4;
    private static final int PARTIAL = 5;
    private static final int ANSWERS = 6;
    private static final int ANSWERED = 7;
    private static final int PRQ = 8;
    private static final int SECTIONS = 9;

    private static final Access[] ACCESS = Access.values();
    private static final PasidState[] PASID_STATES = PasidState.values();
    private static final FaultLevel[] LEVELS = FaultLevel.values();
    private static final ResponseCode[] CODES = ResponseCode.values();

    private final ModelState template;

    /** A codec for the states of one exploration: those sharing {@code template}'s bounds, design and delivery. */
    StateCodec(ModelState template) {
        this.template = template;
    }

    @Override public byte[] pack(ModelState s) {
        if (!s.bounds().equals(template.bounds()) || s.design() != template.design()
                || s.delivery() != template.delivery()) {
            throw new IllegalArgumentException("state of another exploration: " + s.bounds() + ", " + s.design()
                    + ", " + s.delivery());
        }
        Memo memo = Memo.current();
        Out out = memo.out.reset();
        ModelState last = memo.lastUnpacked;
        for (int k = 0; k < SECTIONS; k++) {
            Object part = part(s, k);
            if (last != null && part == part(last, k)) {
                // Shared with the state this thread is expanding: its bytes as they were unpacked.
                out.count(memo.lastLength[k]).raw(memo.lastBytes, memo.lastStart[k], memo.lastLength[k]);
            } else {
                Out section = memo.section.reset();
                write(section, k, part, template.bounds());
                out.count(section.size).raw(section.buf, 0, section.size);
            }
        }
        out.l(s.nextSerial());
        return out.bytes();
    }

    @Override public ModelState unpack(byte[] packed) {
        Memo memo = Memo.current();
        In in = new In(packed, 0, packed.length);
        Object[] parts = new Object[SECTIONS];
        int[] starts = new int[SECTIONS];
        int[] lengths = new int[SECTIONS];
        for (int k = 0; k < SECTIONS; k++) {
            int length = in.count();
            parts[k] = memo.unpacked(k, packed, in.at, length);
            starts[k] = in.at;
            lengths[k] = length;
            in.at += length;
        }
        long nextSerial = in.l();
        in.expectEnd();
        @SuppressWarnings("unchecked")
        ModelState s = new ModelState(template.bounds(), (Map<Integer, IoasidSet>) parts[SETS],
                (Map<Integer, PasidEntry>) parts[PASIDS], (Map<ObjectKey, ModelObject>) parts[OBJECTS],
                (Map<AttachPoint, Integer>) parts[ATTACHMENTS], (Map<MmPage, MmMapping>) parts[MM],
                (Map<GroupKey, List<RequestedPage>>) parts[PARTIAL], (Map<Integer, List<Answer>>) parts[ANSWERS],
                nextSerial, (Set<Long>) parts[ANSWERED], template.design(), (List<QueuedGroup>) parts[PRQ],
                template.delivery());
        memo.unpackedNow(s, packed, starts, lengths);
        return s;
    }

    private static Object part(ModelState s, int section) {
        return switch (section) {
            case SETS -> s.sets();
            case PASIDS -> s.pasids();
            case OBJECTS -> s.objects();
            case ATTACHMENTS -> s.attachments();
            case MM -> s.mm();
            case PARTIAL -> s.partial();
            case ANSWERS -> s.answers();
            case ANSWERED -> s.answered();
            case PRQ -> s.prq();
            default -> throw new IllegalArgumentException("no section " + section);
        };
    }

    @SuppressWarnings("unchecked")
    private static void write(Out out, int section, Object part, Bounds bounds) {
        switch (section) {
            case SETS -> {
                Map<Integer, IoasidSet> sets = (Map<Integer, IoasidSet>) part;
                out.count(sets.size());
                for (Tuple2<Integer, IoasidSet> e : sets) {
                    out.i(e._1).i(e._2.quota()).i(e._2.used());
                }
            }
            case PASIDS -> {
                Map<Integer, PasidEntry> pasids = (Map<Integer, PasidEntry>) part;
                out.count(pasids.size());
                for (Tuple2<Integer, PasidEntry> e : pasids) {
                    out.i(e._1).i(e._2.vm()).i(e._2.state().ordinal()).i(e._2.refs());
                }
            }
            case OBJECTS -> objects(out, (Map<ObjectKey, ModelObject>) part, bounds);
            case ATTACHMENTS -> attachments(out, (Map<AttachPoint, Integer>) part, bounds);
            case MM -> {
                Map<MmPage, MmMapping> mm = (Map<MmPage, MmMapping>) part;
                out.count(mm.size());
                for (Tuple2<MmPage, MmMapping> e : mm) {
                    out.i(e._1.mm()).i(e._1.page()).i(e._2.host()).i(e._2.access().ordinal());
                }
            }
            case PARTIAL -> {
                Map<GroupKey, List<RequestedPage>> partial = (Map<GroupKey, List<RequestedPage>>) part;
                out.count(partial.size());
                for (Tuple2<GroupKey, List<RequestedPage>> e : partial) {
                    out.i(e._1.device()).i(e._1.pasid()).i(e._1.group());
                    requests(out, e._2);
                }
            }
            case ANSWERS -> {
                Map<Integer, List<Answer>> answers = (Map<Integer, List<Answer>>) part;
                out.count(answers.size());
                for (Tuple2<Integer, List<Answer>> e : answers) {
                    out.i(e._1).count(e._2.size());
                    for (Answer a : e._2) {
                        DeviceResponse r = a.response();
                        out.l(a.serial()).i(r.pasid()).i(r.group()).i(r.code().ordinal());
                    }
                }
            }
            case ANSWERED -> {
                Set<Long> answered = (Set<Long>) part;
                out.count(answered.size());
                for (long serial : answered) {
                    out.l(serial);
                }
            }
            case PRQ -> {
                List<QueuedGroup> prq = (List<QueuedGroup>) part;
                out.count(prq.size());
                for (QueuedGroup g : prq) {
                    out.l(g.serial()).i(g.device()).i(g.pasid()).i(g.group()).bool(g.orphaned());
                    requests(out, g.requests());
                }
            }
            default -> throw new IllegalArgumentException("no section " + section);
        }
    }

    /**
     * The objects by (VM, ID), looked up within the bounds (a persistent map's iterator costs more
     * than a few lookups); any object outside them (none in a state of these bounds) by iterating.
     */
    private static void objects(Out out, Map<ObjectKey, ModelObject> objects, Bounds bounds) {
        int size = objects.size();
        out.count(size);
        int start = out.size;
        int found = 0;
        for (int vm = 1; vm <= bounds.vms() && found < size; vm++) {
            for (int id = 1; id <= bounds.maxObjects() && found < size; id++) {
                ModelObject object = objects.getOrElse(new ObjectKey(vm, id), null);
                if (object != null) {
                    out.i(vm).i(id);
                    object(out, object);
                    found++;
                }
            }
        }
        if (found < size) {
            out.size = start;
            for (Tuple2<ObjectKey, ModelObject> e : objects) {
                out.i(e._1.vm()).i(e._1.id());
                object(out, e._2);
            }
        }
    }

    /** As {@link #objects}: an attach point is a device of the bounds and a PASID 0..pasidMax. */
    private static void attachments(Out out, Map<AttachPoint, Integer> attachments, Bounds bounds) {
        int size = attachments.size();
        out.count(size);
        int start = out.size;
        int found = 0;
        for (int d = 0; d < bounds.devices().size() && found < size; d++) {
            int device = bounds.devices().get(d).id();
            for (int pasid = 0; pasid <= bounds.pasidMax() && found < size; pasid++) {
                Integer table = attachments.getOrElse(new AttachPoint(device, pasid), null);
                if (table != null) {
                    out.i(device).i(pasid).i(table);
                    found++;
                }
            }
        }
        if (found < size) {
            out.size = start;
            for (Tuple2<AttachPoint, Integer> e : attachments) {
                out.i(e._1.device()).i(e._1.pasid()).i(e._2);
            }
        }
    }

    private static Object read(In in, int section) {
        return switch (section) {
            case SETS -> map(in, () -> new Tuple2<>(in.i(), new IoasidSet(in.i(), in.i())));
            case PASIDS -> map(in, () -> new Tuple2<>(in.i(), new PasidEntry(in.i(), PASID_STATES[in.i()], in.i())));
            case OBJECTS -> map(in, () -> new Tuple2<>(new ObjectKey(in.i(), in.i()), object(in)));
            case ATTACHMENTS -> map(in, () -> new Tuple2<>(new AttachPoint(in.i(), in.i()), in.i()));
            case MM -> map(in, () -> new Tuple2<>(new MmPage(in.i(), in.i()), new MmMapping(in.i(), ACCESS[in.i()])));
            case PARTIAL -> map(in, () -> new Tuple2<>(new GroupKey(in.i(), in.i(), in.i()), requests(in)));
            case ANSWERS -> map(in, () -> new Tuple2<>(in.i(), list(in, () -> new Answer(in.l(),
                    new DeviceResponse(in.i(), in.i(), CODES[in.i()])))));
            case ANSWERED -> set(in, in::l);
            case PRQ -> list(in, () -> {
                long serial = in.l();
                int device = in.i();
                int pasid = in.i();
                int group = in.i();
                boolean orphaned = in.bool();
                return new QueuedGroup(serial, device, pasid, group, requests(in), orphaned);
            });
            default -> throw new IllegalArgumentException("no section " + section);
        };
    }

    private static void object(Out out, ModelObject object) {
        if (object instanceof Ioas o) {
            out.tag(IOAS).i(o.users());
            out.count(o.areas().size());
            for (Tuple2<Integer, Area> e : o.areas()) {
                Area a = e._2;
                out.i(e._1).i(a.iova()).i(a.pages()).i(a.host()).i(a.access().ordinal());
            }
            ints(out, o.writableBehind());
            out.i(o.allowed().iova()).i(o.allowed().pages());
        } else if (object instanceof HwptPaging h) {
            out.tag(HWPT_PAGING).i(h.users()).i(h.ioas()).bool(h.nestParent()).bool(h.allocPasid()).i(h.fault());
            out.count(h.pages().size());
            for (Tuple2<Integer, PageMapping> e : h.pages()) {
                PageMapping p = e._2;
                out.i(e._1).i(p.iova()).i(p.host()).i(p.access().ordinal());
            }
            out.bool(h.auto()).bool(h.dirty().trackable()).bool(h.dirty().tracking());
            ints(out, h.dirty().pages());
        } else if (object instanceof HwptNested n) {
            out.tag(HWPT_NESTED).i(n.users()).i(n.parent()).bool(n.allocPasid()).i(n.fault()).i(n.viommu());
            out.count(n.stage1().size());
            for (Tuple2<Integer, Stage1Entry> e : n.stage1()) {
                out.i(e._1);
                entry(out, e._2);
            }
            out.count(n.stale().size());
            for (Tuple2<Integer, Set<Stage1Entry>> e : n.stale()) {
                out.i(e._1).count(e._2.size());
                for (Stage1Entry entry : e._2) {
                    entry(out, entry);
                }
            }
        } else if (object instanceof FaultQueue q) {
            out.tag(FAULT_QUEUE).i(q.users()).count(q.delivered().size());
            for (OpenGroup g : q.delivered()) {
                group(out, g);
            }
            out.count(q.awaiting().size());
            for (Tuple2<Integer, OpenGroup> e : q.awaiting()) {
                out.i(e._1);
                group(out, e._2);
            }
            ints(out, q.usedCookies());
        } else if (object instanceof Sva s) {
            out.tag(SVA).i(s.users()).i(s.mm());
        } else if (object instanceof Viommu v) {
            out.tag(VIOMMU).i(v.users()).i(v.hwpt());
        } else if (object instanceof Vdevice d) {
            out.tag(VDEVICE).i(d.users()).i(d.viommu()).i(d.device()).i(d.virtId());
        } else {
            // A new kind of object must be packed before the explorer can keep it.
            throw new IllegalArgumentException("no packing for " + object.getClass().getSimpleName());
        }
    }

    private static ModelObject object(In in) {
        int tag = in.i();
        return switch (tag) {
            case IOAS -> {
                int users = in.i();
                SortedMap<Integer, Area> areas = sorted(in, () -> new Tuple2<>(in.i(),
                        new Area(in.i(), in.i(), in.i(), ACCESS[in.i()])));
                Set<Integer> writableBehind = set(in, in::i);
                int iova = in.i();
                int pages = in.i();
                IovaRange allowed = iova == 0 && pages == 0 ? IovaRange.ANY : new IovaRange(iova, pages);
                yield new Ioas(users, areas, writableBehind, allowed);
            }
            case HWPT_PAGING -> {
                int users = in.i();
                int ioas = in.i();
                boolean nestParent = in.bool();
                boolean allocPasid = in.bool();
                int fault = in.i();
                SortedMap<Integer, PageMapping> pages = sorted(in, () -> new Tuple2<>(in.i(),
                        new PageMapping(in.i(), in.i(), ACCESS[in.i()])));
                boolean auto = in.bool();
                boolean trackable = in.bool();
                boolean tracking = in.bool();
                Set<Integer> dirtyPages = set(in, in::i);
                yield new HwptPaging(users, ioas, nestParent, allocPasid, fault, pages, auto,
                        dirty(trackable, tracking, dirtyPages));
            }
            case HWPT_NESTED -> {
                int users = in.i();
                int parent = in.i();
                boolean allocPasid = in.bool();
                int fault = in.i();
                int viommu = in.i();
                Map<Integer, Stage1Entry> stage1 = map(in, () -> new Tuple2<>(in.i(), entry(in)));
                Map<Integer, Set<Stage1Entry>> stale = map(in, () -> new Tuple2<>(in.i(), set(in, () -> entry(in))));
                yield new HwptNested(users, parent, allocPasid, fault, stage1, stale, viommu);
            }
            case FAULT_QUEUE -> {
                int users = in.i();
                List<OpenGroup> delivered = list(in, () -> group(in));
                Map<Integer, OpenGroup> awaiting = map(in, () -> new Tuple2<>(in.i(), group(in)));
                yield new FaultQueue(users, delivered, awaiting, set(in, in::i));
            }
            case SVA -> new Sva(in.i(), in.i());
            case VIOMMU -> new Viommu(in.i(), in.i());
            case VDEVICE -> new Vdevice(in.i(), in.i(), in.i(), in.i());
            default -> throw new IllegalStateException("corrupt packed state: object tag " + tag + " at byte " + in.at);
        };
    }

    /** The shared constants where they fit, as the model builds them. */
    private static Dirty dirty(boolean trackable, boolean tracking, Set<Integer> pages) {
        if (pages.isEmpty()) {
            if (!trackable && !tracking) {
                return Dirty.NONE;
            }
            if (trackable) {
                return tracking ? Dirty.ON : Dirty.OFF;
            }
        }
        return new Dirty(trackable, tracking, pages);
    }

    private static void entry(Out out, Stage1Entry e) {
        out.i(e.gpa()).i(e.access().ordinal());
    }

    private static Stage1Entry entry(In in) {
        int gpa = in.i();
        Access access = ACCESS[in.i()];
        return gpa == 0 && access == Access.NONE ? Stage1Entry.ABSENT : new Stage1Entry(gpa, access);
    }

    private static void group(Out out, OpenGroup g) {
        out.l(g.serial()).i(g.device()).i(g.pasid()).i(g.group()).i(g.level().ordinal()).i(g.via());
        requests(out, g.requests());
    }

    private static OpenGroup group(In in) {
        long serial = in.l();
        int device = in.i();
        int pasid = in.i();
        int group = in.i();
        FaultLevel level = LEVELS[in.i()];
        int via = in.i();
        return new OpenGroup(serial, device, pasid, group, requests(in), level, via);
    }

    private static void requests(Out out, List<RequestedPage> requests) {
        out.count(requests.size());
        for (RequestedPage p : requests) {
            out.i(p.iova()).i(p.access().ordinal());
        }
    }

    private static List<RequestedPage> requests(In in) {
        return list(in, () -> new RequestedPage(in.i(), ACCESS[in.i()]));
    }

    private static void ints(Out out, Set<Integer> values) {
        out.count(values.size());
        for (int v : values) {
            out.i(v);
        }
    }

    // The readers below take a supplier that reads one element: arguments are evaluated left to
    // right in Java, so "new X(in.i(), in.i())" reads the fields in the order they were written.

    private static <K, V> Map<K, V> map(In in, Read<Tuple2<K, V>> entry) {
        int n = in.count();
        Map<K, V> map = HashMap.empty();
        for (int k = 0; k < n; k++) {
            Tuple2<K, V> e = entry.read();
            map = map.put(e._1, e._2);
        }
        return map;
    }

    private static <V> SortedMap<Integer, V> sorted(In in, Read<Tuple2<Integer, V>> entry) {
        int n = in.count();
        SortedMap<Integer, V> map = TreeMap.empty();
        for (int k = 0; k < n; k++) {
            Tuple2<Integer, V> e = entry.read();
            map = map.put(e._1, e._2);
        }
        return map;
    }

    private static <T> Set<T> set(In in, Read<T> element) {
        int n = in.count();
        Set<T> set = HashSet.empty();
        for (int k = 0; k < n; k++) {
            set = set.add(element.read());
        }
        return set;
    }

    private static <T> List<T> list(In in, Read<T> element) {
        int n = in.count();
        if (n == 0) {
            return List.empty();
        }
        Object[] items = new Object[n];
        for (int k = 0; k < n; k++) {
            items[k] = element.read();
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) List.of(items);
        return list;
    }

    @FunctionalInterface
    private interface Read<T> {
        T read();
    }

    /** A growing byte buffer of zig-zag variable-length integers. */
    private static final class Out {
        private byte[] buf = new byte[96];
        private int size;

        Out tag(int tag) {
            return i(tag);
        }

        Out count(int n) {
            return i(n);
        }

        Out bool(boolean b) {
            return i(b ? 1 : 0);
        }

        Out i(int v) {
            return l(v);
        }

        Out l(long v) {
            long z = (v << 1) ^ (v >> 63);
            if (size + 10 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            while ((z & ~0x7FL) != 0) {
                buf[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[size++] = (byte) z;
            return this;
        }

        Out raw(byte[] bytes, int from, int length) {
            if (size + length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + length));
            }
            System.arraycopy(bytes, from, buf, size, length);
            size += length;
            return this;
        }

        Out reset() {
            size = 0;
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class In {
        private final byte[] buf;
        private final int end;
        private int at;

        In(byte[] buf, int from, int to) {
            this.buf = buf;
            this.at = from;
            this.end = to;
        }

        long l() {
            long z = 0;
            int shift = 0;
            while (true) {
                if (at >= end) {
                    throw new IllegalStateException("corrupt packed state: ends inside a number at byte " + at);
                }
                byte b = buf[at++];
                z |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            return (z >>> 1) ^ -(z & 1);
        }

        int i() {
            return Math.toIntExact(l());
        }

        int count() {
            return i();
        }

        boolean bool() {
            return i() != 0;
        }

        void expectEnd() {
            if (at != end) {
                throw new IllegalStateException("corrupt packed state: " + (end - at) + " bytes left over at byte " + at);
            }
        }
    }

    /**
     * Per-thread memories. Packing: the successors a thread packs are those of the state it
     * unpacked last, and share with it every part their step did not touch, so such a part's bytes
     * are copied from that state's (compared by identity, the part is the very same value).
     * Unpacking: states of a level share many parts (the same objects, say), so a part's value is
     * remembered by its bytes, direct-mapped, and equal bytes give back the very value unpacked
     * before; which also lets the fingerprint's identity memo ({@link IdentityMemo}) serve states
     * that were never each other's parent. Parts are immutable and packing is a function of their
     * value, so a memory can only skip work, never change a result; a miss just packs or unpacks.
     */
    private static final class Memo {
        private static final int SLOTS = 1 << 11;
        private static final ThreadLocal<Memo> PER_THREAD = ThreadLocal.withInitial(Memo::new);

        final Out out = new Out();
        final Out section = new Out();
        ModelState lastUnpacked;
        byte[] lastBytes;
        int[] lastStart;
        int[] lastLength;
        private final byte[][] unpackedKeys = new byte[SLOTS][];
        private final int[] unpackedSections = new int[SLOTS];
        private final Object[] unpackedValues = new Object[SLOTS];

        static Memo current() {
            return PER_THREAD.get();
        }

        void unpackedNow(ModelState state, byte[] bytes, int[] starts, int[] lengths) {
            lastUnpacked = state;
            lastBytes = bytes;
            lastStart = starts;
            lastLength = lengths;
        }

        Object unpacked(int section, byte[] buf, int from, int length) {
            int hash = section;
            for (int k = from; k < from + length; k++) {
                hash = hash * 31 + buf[k];
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            byte[] key = unpackedKeys[slot];
            // The section is part of the key: two parts of different kinds may pack to the same bytes.
            if (key != null && unpackedSections[slot] == section
                    && Arrays.equals(key, 0, key.length, buf, from, from + length)) {
                return unpackedValues[slot];
            }
            In in = new In(buf, from, from + length);
            Object value = read(in, section);
            in.expectEnd();
            unpackedKeys[slot] = Arrays.copyOfRange(buf, from, from + length);
            unpackedSections[slot] = section;
            unpackedValues[slot] = value;
            return value;
        }
    }
}
