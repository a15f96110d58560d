package dev.ioasid.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceStep;
import dev.ioasid.reports.html.SequenceDiagram.Lane;
import dev.ioasid.reports.html.SequenceDiagram.Message;
import dev.ioasid.reports.html.SequenceDiagram.Story;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The fault-ownership story read from hand-made traces, and its drawing. */
class SequenceDiagramTests {

    /**
     * A group delivered to a user queue (PRQ-4), read, answered (FLT-4), then answered again with
     * the used cookie, which the implementation accepts (FLT-3: it should fail EINVAL).
     */
    static Trace deliveredAndAnsweredTwice() {
        return new Trace("fuzz", "respond-twice", Bounds.defaults(), OptionalLong.of(7L),
                "respond(vm=1, queue=2, cookie=1, code=SUCCESS) returned ok, expected EINVAL by FLT-3",
                List.of("FLT-3"), 7, List.of(
                step(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id) with id in {1, 2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), "+ vm 1 object 1: IOAS users=0 areas=[]"),
                step(new Operation.AllocFaultQueue(1), new Result.Allocated(2), "ok(id) with id in {2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), "+ vm 1 object 2: FAULT_QUEUE users=0 delivered=[] awaiting=[]"),
                step(new Operation.AllocHwptPaging(1, 1, false, false, 2), new Result.Allocated(3),
                        "ok(id) with id in {3, 4, 5, 6}", List.of("HWPT-1", "HWPT-2", "HWPT-8", "OBJ-2"),
                        "~ vm 1 object 1: IOAS users=1 areas=[]",
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[]",
                        "+ vm 1 object 3: HWPT_PAGING users=0 ioas=1 fault=2"),
                step(new Operation.Attach(1, Pasid.NONE, 3), new Result.Allocated(3), "ok(id=3)",
                        List.of("ATT-6", "ATT-13"), "+ attach (dev=1, pasid=none): table 3",
                        "~ vm 1 object 3: HWPT_PAGING users=1 ioas=1 fault=2"),
                step(new Operation.PageRequest(1, Pasid.NONE, 0, Access.READ, 0, true), Result.done(), "ok",
                        List.of("PRQ-2", "PRQ-4"),
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[group 0 of (dev=1, pasid=none) at PAGING] awaiting=[]"),
                step(new Operation.ReadFaults(1, 2), new Result.FaultGroups(List.of(new FaultGroup(1, Pasid.NONE, 0,
                                List.of(new RequestedPage(0, Access.READ)), 1))),
                        "ok(groups=[{dev=1, pasid=none, group=0, [0:READ], cookie=1}]) with any fresh, distinct cookies",
                        List.of("FLT-1"),
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[cookie 1: group 0 of (dev=1, pasid=none) at PAGING]"),
                step(new Operation.Respond(1, 2, 1, ResponseCode.INVALID), Result.done(), "ok", List.of("FLT-4"),
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[]",
                        "+ responses of dev 1: [(pasid=none, group=0, INVALID)]"),
                step(new Operation.Respond(1, 2, 1, ResponseCode.SUCCESS), Result.done(), "EINVAL", List.of("FLT-3"))));
    }

    /**
     * A page request the kernel answers at once (PRQ-3: the paging HWPT has no fault queue), which
     * the implementation refuses to issue; the root cause is the attach before it.
     */
    static Trace answeredByTheKernel() {
        Trace trace = new Trace("fuzz", "busy-device", Bounds.defaults(), OptionalLong.of(3L),
                "pageRequest(dev=2, pasid=1, iova=3, access=WRITE, group=1, last) returned EBUSY, expected ok by PRQ-7",
                List.of("PRQ-7"), 3, List.of(
                step(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id) with id in {1, 2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), "+ vm 1 object 1: IOAS users=0 areas=[]"),
                step(new Operation.AllocHwptPaging(1, 1, false, true, 0), new Result.Allocated(2),
                        "ok(id) with id in {2, 3, 4, 5, 6}", List.of("HWPT-1", "HWPT-2", "HWPT-8", "OBJ-2"),
                        "~ vm 1 object 1: IOAS users=1 areas=[]",
                        "+ vm 1 object 2: HWPT_PAGING users=0 ioas=1 ALLOC_PASID"),
                step(new Operation.Attach(2, 1, 2), new Result.Allocated(2), "ok(id=2)", List.of("ATT-6", "ATT-13"),
                        "+ attach (dev=2, pasid=1): table 2",
                        "~ vm 1 object 2: HWPT_PAGING users=1 ioas=1 ALLOC_PASID"),
                step(new Operation.PageRequest(2, 1, 3, Access.WRITE, 1, true), Result.failed(Errno.EBUSY), "ok",
                        List.of("PRQ-2", "PRQ-3", "PRQ-7"), "+ responses of dev 2: [(pasid=1, group=1, INVALID)]")));
        return trace.withCause(new Trace.Cause(2, List.of("ATT-6"),
                "queryAttachment(dev=2, pasid=1) returned ok(detached), expected ok(table=2) [ATT-11]"));
    }

    /**
     * Requests held until the last one (PRQ-1), the group delivered, then a detach that answers it
     * INVALID (FLT-5); a query of the responses fails, with an expectation full of XML specials.
     */
    static Trace detachAnswersTheQueue() {
        return new Trace("fuzz", "responses-lost", Bounds.defaults(), OptionalLong.empty(),
                "queryResponses(dev=1) returned ok(responses=[]) by FLT-7", List.of("FLT-7"), 7, List.of(
                step(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id) with id in {1, 2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), "+ vm 1 object 1: IOAS users=0 areas=[]"),
                step(new Operation.AllocFaultQueue(1), new Result.Allocated(2), "ok(id) with id in {2, 3, 4, 5, 6}",
                        List.of("OBJ-2"), "+ vm 1 object 2: FAULT_QUEUE users=0 delivered=[] awaiting=[]"),
                step(new Operation.AllocHwptPaging(1, 1, false, true, 2), new Result.Allocated(3),
                        "ok(id) with id in {3, 4, 5, 6}", List.of("HWPT-1", "OBJ-2"),
                        "~ vm 1 object 1: IOAS users=1 areas=[]",
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[]",
                        "+ vm 1 object 3: HWPT_PAGING users=0 ioas=1 ALLOC_PASID fault=2"),
                step(new Operation.Attach(1, 1, 3), new Result.Allocated(3), "ok(id=3)", List.of("ATT-6"),
                        "+ attach (dev=1, pasid=1): table 3",
                        "~ vm 1 object 3: HWPT_PAGING users=1 ioas=1 ALLOC_PASID fault=2"),
                step(new Operation.PageRequest(1, 1, 0, Access.READ, 0, false), Result.done(), "ok", List.of("PRQ-1"),
                        "+ held requests (dev=1, pasid=1, group=0): [0:READ]"),
                step(new Operation.PageRequest(1, 1, 1, Access.READ, 0, true), Result.done(), "ok",
                        List.of("PRQ-2", "PRQ-4"),
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[group 0 of (dev=1, pasid=1) at PAGING] awaiting=[]",
                        "- held requests (dev=1, pasid=1, group=0)"),
                step(new Operation.Detach(1, 1), Result.done(), "ok", List.of("ATT-7", "FLT-5"),
                        "- attach (dev=1, pasid=1)",
                        "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[] awaiting=[]",
                        "~ vm 1 object 3: HWPT_PAGING users=0 ioas=1 ALLOC_PASID fault=2",
                        "+ responses of dev 1: [(pasid=1, group=0, INVALID)]"),
                step(new Operation.QueryResponses(1), new Result.Responses(List.of()),
                        "ok(responses=[(pasid=1, group=0, INVALID)]) <in order> & \"whole\"", List.of("FLT-7"))));
    }

    /** No page request, queue or DMA fault: an attach that is refused, then a query. */
    static Trace withoutFaults() {
        return new Trace("fuzz", "replace-not-atomic", Bounds.defaults(), OptionalLong.empty(),
                "queryAttachment(dev=1, pasid=none) returned ok(detached), expected ok(table=1) by ATT-11",
                List.of("ATT-11"), 2, List.of(
                step(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id=1)", List.of("OBJ-2"),
                        "+ vm 1 object 1: IOAS users=0 areas=[]"),
                step(new Operation.Attach(1, Pasid.NONE, 1), Result.done(), "ok", List.of("ATT-6"),
                        "+ attach (dev=1, pasid=none): table 1", "~ vm 1 object 1: IOAS users=1 areas=[]"),
                step(new Operation.QueryAttachment(1, Pasid.NONE), new Result.AttachedTable(0), "ok(table=1)",
                        List.of("ATT-11"))));
    }

    private static TraceStep step(Operation op, Result observed, String expected, List<String> rules, String... changes) {
        return new TraceStep(op, observed, expected, rules, List.of(changes));
    }

    @Test
    void aGroupDeliveredToAUserQueueGoesThereAndComesBackFromIt() {
        Story story = SequenceDiagram.story(deliveredAndAnsweredTwice());

        assertThat(story.lanes()).containsExactly(new Lane("dev1", "dev 1", "device"),
                new Lane("iommu", "IOMMU", "iommu"), new Lane("q1-2", "queue 2 (vm 1)", "queue"));
        assertThat(story.messages()).containsExactly(
                new Message(3, "iommu", "iommu", "attach dev 1 pasid none -> table 3", "ATT-6", false, false),
                new Message(4, "dev1", "iommu", "PRQ group 0 pasid none iova 0 READ last", "", false, false),
                new Message(4, "iommu", "q1-2", "group 0 at PAGING", "PRQ-4", false, false),
                new Message(5, "q1-2", "q1-2", "read 1 group", "FLT-1", false, false),
                new Message(6, "q1-2", "dev1", "INVALID (cookie 1)", "FLT-4", false, false),
                new Message(7, "q1-2", "q1-2", "respond cookie 1: ok, expected EINVAL", "FLT-3", true, false));
        assertThat(SequenceDiagram.hasFaultTraffic(deliveredAndAnsweredTwice())).isTrue();
    }

    /** Interleaved fault delivery (an explore trace): the group waits for the driver, which delivers it later. */
    @Test
    void aQueuedGroupReachesItsQueueWhenTheDriverDeliversIt() {
        List<TraceStep> steps = new java.util.ArrayList<>(deliveredAndAnsweredTwice().steps().subList(0, 4));
        steps.add(step(new Operation.PageRequest(1, Pasid.NONE, 0, Access.READ, 0, true), Result.done(), "ok",
                List.of("PRQ-1", "PRQ-9"), "+ page request queue: [(dev=1, pasid=none, group=0 [0:READ])]"));
        steps.add(step(new Operation.DeliverFault(1), Result.done(), "ok", List.of("PRQ-9", "PRQ-2", "PRQ-4"),
                "- page request queue",
                "~ vm 1 object 2: FAULT_QUEUE users=1 delivered=[group 0 of (dev=1, pasid=none) at PAGING] awaiting=[]"));
        Trace trace = new Trace("explore", "model/page-table-owner+interleaved", Bounds.defaults(), OptionalLong.empty(),
                "an example", List.of("PRQ-9"), 5, steps);

        assertThat(SequenceDiagram.story(trace).messages()).containsSubsequence(
                new Message(4, "dev1", "iommu", "PRQ group 0 pasid none iova 0 READ last", "", false, false),
                new Message(4, "iommu", "iommu", "queued for the driver (PRQ-9)", "PRQ-9", false, false),
                new Message(5, "iommu", "iommu", "driver takes dev 1's oldest group (PRQ-9)", "PRQ-9", true, false),
                new Message(5, "iommu", "q1-2", "group 0 at PAGING", "PRQ-4", true, false));
    }

    @Test
    void aGroupTheKernelAnswersAtOnceGoesThroughTheKernelHandler() {
        Story story = SequenceDiagram.story(answeredByTheKernel());

        assertThat(story.lanes()).extracting(Lane::id).containsExactly("dev2", "iommu", "kernel");
        assertThat(story.lanes().get(2)).isEqualTo(new Lane("kernel", "kernel handler", "kernel"));
        assertThat(story.messages()).extracting(Message::step, Message::from, Message::to, Message::label,
                Message::rule, Message::failing, Message::rootCause).containsExactly(
                tuple(2, "iommu", "iommu", "attach dev 2 pasid 1 -> table 2", "ATT-6", false, true),
                tuple(3, "dev2", "iommu", "PRQ group 1 pasid 1 iova 3 WRITE last", "", true, false),
                tuple(3, "iommu", "kernel", "group 1", "PRQ-3", true, false),
                tuple(3, "kernel", "dev2", "INVALID", "PRQ-3", true, false),
                tuple(3, "dev2", "dev2", "not issued: EBUSY", "PRQ-7", true, false));
    }

    @Test
    void heldRequestsAndADetachThatAnswersTheQueuedGroup() {
        Story story = SequenceDiagram.story(detachAnswersTheQueue());

        assertThat(story.lanes()).extracting(Lane::id).containsExactly("dev1", "iommu", "q1-2");
        assertThat(story.messages()).extracting(Message::step, Message::from, Message::to, Message::label,
                Message::rule, Message::failing).containsExactly(
                tuple(3, "iommu", "iommu", "attach dev 1 pasid 1 -> table 3", "ATT-6", false),
                tuple(4, "dev1", "iommu", "PRQ group 0 pasid 1 iova 0 READ", "", false),
                tuple(4, "iommu", "iommu", "held until last (PRQ-1)", "PRQ-1", false),
                tuple(5, "dev1", "iommu", "PRQ group 0 pasid 1 iova 1 READ last", "", false),
                tuple(5, "iommu", "q1-2", "group 0 at PAGING", "PRQ-4", false),
                tuple(6, "iommu", "iommu", "detach dev 1 pasid 1", "ATT-7", false),
                tuple(6, "q1-2", "dev1", "INVALID (detach)", "FLT-5", false),
                // The failing query makes no message of its own: a note says what went wrong.
                tuple(7, "iommu", "iommu", "queryResponses(dev=1): expected ok(responses=[(pasid=1, group=0, INVALID)])"
                        + " <in order> & \"whole\", observed ok(responses=[])", "FLT-7", true));
    }

    @Test
    void aDetachDropsTheRequestsHeldForAnIncompleteGroup() {
        Trace trace = new Trace("fuzz", "partial-kept-on-detach", Bounds.defaults(), OptionalLong.empty(),
                "queryResponses(dev=1) returned ok(responses=[]) by FLT-7", List.of("FLT-7"), 5, List.of(
                step(new Operation.AllocIoas(1), new Result.Allocated(1), "ok(id=1)", List.of("OBJ-2"),
                        "+ vm 1 object 1: IOAS users=0 areas=[]"),
                step(new Operation.AllocHwptPaging(1, 1, false, true, 0), new Result.Allocated(2), "ok(id=2)",
                        List.of("HWPT-1"), "~ vm 1 object 1: IOAS users=1 areas=[]",
                        "+ vm 1 object 2: HWPT_PAGING users=0 ioas=1 ALLOC_PASID"),
                step(new Operation.Attach(1, 1, 2), new Result.Allocated(2), "ok(id=2)", List.of("ATT-6"),
                        "+ attach (dev=1, pasid=1): table 2", "~ vm 1 object 2: HWPT_PAGING users=1 ioas=1 ALLOC_PASID"),
                step(new Operation.PageRequest(1, 1, 0, Access.WRITE, 0, false), Result.done(), "ok", List.of("PRQ-1"),
                        "+ held requests (dev=1, pasid=1, group=0): [0:WRITE]"),
                step(new Operation.Detach(1, 1), Result.done(), "ok", List.of("ATT-7", "FLT-5"),
                        "- attach (dev=1, pasid=1)", "~ vm 1 object 2: HWPT_PAGING users=0 ioas=1 ALLOC_PASID",
                        "- held requests (dev=1, pasid=1, group=0)"),
                step(new Operation.QueryResponses(1), new Result.Responses(List.of(
                        new DeviceResponse(1, 0, ResponseCode.INVALID))), "ok(responses=[])", List.of("FLT-7"))));

        Story story = SequenceDiagram.story(trace);

        assertThat(story.lanes()).extracting(Lane::id).containsExactly("dev1", "iommu");
        assertThat(story.messages()).extracting(Message::step, Message::from, Message::label, Message::rule)
                .containsExactly(
                        tuple(2, "iommu", "attach dev 1 pasid 1 -> table 2", "ATT-6"),
                        tuple(3, "dev1", "PRQ group 0 pasid 1 iova 0 WRITE", ""),
                        tuple(3, "iommu", "held until last (PRQ-1)", "PRQ-1"),
                        tuple(4, "iommu", "detach dev 1 pasid 1", "ATT-7"),
                        tuple(4, "iommu", "dropped held group 0 of dev 1 pasid 1", "FLT-5"),
                        tuple(5, "iommu", "queryResponses(dev=1): expected ok(responses=[]), observed"
                                + " ok(responses=[(pasid=1, group=0, INVALID)])", "FLT-7"));
    }

    @Test
    void aTraceWithoutFaultTrafficHasNoStory() {
        assertThat(SequenceDiagram.hasFaultTraffic(withoutFaults())).isFalse();
        Story story = SequenceDiagram.story(withoutFaults());
        assertThat(story.lanes()).isEmpty();
        assertThat(story.messages()).isEmpty();
        assertThat(wellFormed(SequenceDiagram.svg(story)).getDocumentElement().getNodeName()).isEqualTo("svg");
    }

    @Test
    void unexpectedChangesLinesAreIgnored() {
        Trace odd = new Trace("fuzz", "odd", Bounds.defaults(), OptionalLong.empty(), "odd", List.of("FLT-1"), 1,
                List.of(step(new Operation.PageRequest(1, Pasid.NONE, 0, Access.READ, 0, true), Result.done(), "ok",
                                List.of(), "", "?", "~ vm x object: FAULT_QUEUE delivered=[group of] awaiting=[",
                                "+ responses of dev 1: [(pasid=none, group=, )]", "- ", "+ nothing"),
                        step(new Operation.ReadFaults(1, 2), null, "ok(groups=[])", List.of("FLT-1"))));

        Story story = SequenceDiagram.story(odd);

        assertThat(story.messages()).extracting(Message::label).containsExactly(
                "PRQ group 0 pasid none iova 0 READ last", "read: (no answer)");
        assertThat(story.messages().get(1).failing()).isTrue();
    }

    @Test
    void theSvgDrawsOneLaneLinePerLaneAndBandsTheFailingRow() {
        Story story = SequenceDiagram.story(deliveredAndAnsweredTwice());
        String svg = SequenceDiagram.svg(story);

        assertThat(svg).startsWith("<svg ").endsWith("</svg>").contains("role=\"img\"", "<title>", "<desc>",
                "<defs>", "<marker");
        assertThat(count(svg, "<line class=\"lane\"")).isEqualTo(3);
        assertThat(count(svg, "#1f5fbf")).isEqualTo(3);
        assertThat(svg).contains("data-lane=\"dev1\"", "data-lane=\"iommu\"", "data-lane=\"q1-2\"");
        assertThat(count(svg, "class=\"failing-band\"")).isEqualTo(1);
        assertThat(count(svg, "#f4c7c3")).isEqualTo(1);
        assertThat(count(svg, "data-step=")).isEqualTo(6);
        assertThat(svg).contains("<g class=\"message note failing\" data-step=\"8\"",
                "<g class=\"message\" data-step=\"5\" data-from=\"dev1\" data-to=\"iommu\"", ">7.</text>");
        assertThat(svg).contains("width=\"562\"", "height=\"240\"", "viewBox=\"0 0 562 240\"");
        wellFormed(svg);
    }

    @Test
    void theRootCauseRowIsBandedApartFromTheFailingRows() {
        String svg = SequenceDiagram.svg(SequenceDiagram.story(answeredByTheKernel()));

        assertThat(count(svg, "class=\"failing-band\"")).isEqualTo(4);
        assertThat(count(svg, "class=\"root-cause-band\"")).isEqualTo(1);
        assertThat(svg).contains("<g class=\"message note root-cause\" data-step=\"3\"", "fill=\"#ffe9b3\"",
                "Step 4 fails", "Step 3 is the root cause");
        assertThat(count(svg, "class=\"lane\"")).isEqualTo(3);
        wellFormed(svg);
    }

    @Test
    void textIsEscapedForXml() {
        String svg = SequenceDiagram.svg(SequenceDiagram.story(detachAnswersTheQueue()));

        assertThat(svg).contains("&lt;in order&gt; &amp; &quot;whole&quot;").doesNotContain("<in order>", "\"whole\"");
        // The failing note is long: it takes two lines, the second saying what was observed.
        assertThat(svg).contains("dy=\"15\">observed ok(responses=[])</tspan>");
        Document parsed = wellFormed(svg);
        assertThat(parsed.getDocumentElement().getTextContent()).contains("<in order> & \"whole\"");
    }

    private static int count(String text, String part) {
        return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

    private static Document wellFormed(String svg) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }
}
