package dev.ioasid.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * What the strict readers of input files share: UTF-8 text or an error that says so, values
 * quoted in messages no longer than a line, and unknown fields as errors.
 */
final class InputText {
    private static final int QUOTED = 120;

    private InputText() {
    }

    /** The file's text; a binary file is reported as not UTF-8 text, not as a decoder's exception name. */
    static String read(Path file) throws TraceFormatException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TraceFormatException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ": cannot read: " + reason(e), e);
        }
    }

    /** A value as it appears in a message: never more than a line's worth of it. */
    static String quote(Object value) {
        String text = String.valueOf(value);
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "... (" + text.length() + " characters)";
    }

    /** Fails on the first field of {@code node} not among {@code fields}, listing the known ones. */
    static void known(String where, JsonNode node, Collection<String> fields) throws TraceFormatException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!fields.contains(field)) {
                throw new TraceFormatException(where + ": unknown field " + quote(TextNode.valueOf(field))
                        + "; known: " + String.join(", ", new TreeSet<>(fields)));
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.toString();
    }
}
