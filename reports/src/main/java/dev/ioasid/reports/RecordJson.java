package dev.ioasid.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.MayBeAbsent;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON for the contract vocabulary, driven by record components so that every operation and result
 * is covered without a line per record: numbers, flags, strings, enums by name, lists, nested
 * records, and the two sealed families tagged by kind ({@code "op": "attach"}, {@code "result":
 * "failed"}). Reading is strict: an unknown field is an error, and the error names the JSON path of
 * the first thing that is wrong.
 */
public final class RecordJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Class<?>> OPERATIONS = kinds(Operation.class);
    private static final Map<String, Class<?>> RESULTS = kinds(Result.class);

    private RecordJson() {
    }

    /** The JSON name of an operation or result kind: its record name with a lower-case first letter. */
    public static String kindName(Class<?> recordClass) {
        String simple = recordClass.getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    public static JsonNode write(Object value) {
        if (value instanceof Integer n) return NODES.numberNode(n);
        if (value instanceof Long n) return NODES.numberNode(n);
        if (value instanceof Boolean b) return NODES.booleanNode(b);
        if (value instanceof String s) return NODES.textNode(s);
        if (value instanceof Enum<?> e) return NODES.textNode(e.name());
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(write(item)));
            return array;
        }
        if (value instanceof Record record) {
            ObjectNode object = NODES.objectNode();
            if (record instanceof Operation) {
                object.put("op", kindName(record.getClass()));
            } else if (record instanceof Result) {
                object.put("result", kindName(record.getClass()));
            }
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object field = get(component, record);
                boolean mayBeAbsent = component.getAnnotation(MayBeAbsent.class) != null;
                // A flag or list that may be absent is written only when set or not empty: files written
                // before it existed stay the same.
                boolean absent = field == null || (component.getType() == boolean.class && !((Boolean) field))
                        || (field instanceof List<?> list && list.isEmpty());
                if (!mayBeAbsent || !absent) {
                    object.set(component.getName(), write(field));
                }
            }
            return object;
        }
        throw new IllegalArgumentException("no JSON form for " + value);
    }

    public static Operation readOperation(JsonNode node, String path) throws TraceFormatException {
        return (Operation) readTagged(node, path, "op", OPERATIONS);
    }

    public static Result readResult(JsonNode node, String path) throws TraceFormatException {
        return (Result) readTagged(node, path, "result", RESULTS);
    }

    public static <T> T read(JsonNode node, Class<T> type, String path) throws TraceFormatException {
        return type.cast(read(node, (Type) type, path));
    }

    private static Object read(JsonNode node, Type type, String path) throws TraceFormatException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new TraceFormatException(path + ": missing");
        }
        if (type == int.class || type == Integer.class) {
            wholeNumber(node, path, node.canConvertToInt(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            return node.intValue();
        }
        if (type == long.class || type == Long.class) {
            wholeNumber(node, path, node.canConvertToLong(), Long.MIN_VALUE, Long.MAX_VALUE);
            return node.longValue();
        }
        if (type == boolean.class || type == Boolean.class) {
            if (!node.isBoolean()) {
                throw new TraceFormatException(path + ": expected true or false, found " + quote(node));
            }
            return node.booleanValue();
        }
        if (type == String.class) {
            if (!node.isTextual()) {
                throw new TraceFormatException(path + ": expected a string, found " + quote(node));
            }
            return node.textValue();
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!node.isArray()) {
                throw new TraceFormatException(path + ": expected a list, found " + quote(node));
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                items.add(read(node.get(i), p.getActualTypeArguments()[0], path + "[" + i + "]"));
            }
            return items;
        }
        if (type == Operation.class) {
            return readOperation(node, path);
        }
        if (type == Result.class) {
            return readResult(node, path);
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return readEnum(node, c, path);
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return readRecord(node, c, path, null);
        }
        throw new IllegalArgumentException("no JSON form for " + type);
    }

    private static Object readTagged(JsonNode node, String path, String tag, Map<String, Class<?>> kinds)
            throws TraceFormatException {
        if (node == null || !node.isObject()) {
            throw new TraceFormatException(path + ": expected an object with \"" + tag + "\", found " + quote(node));
        }
        JsonNode kind = node.get(tag);
        if (kind == null || !kind.isTextual() || !kinds.containsKey(kind.textValue())) {
            throw new TraceFormatException(path + "." + tag + ": expected one of " + kinds.keySet() + ", found " + quote(kind));
        }
        return readRecord(node, kinds.get(kind.textValue()), path, tag);
    }

    private static Object readEnum(JsonNode node, Class<?> type, String path) throws TraceFormatException {
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            // Either the enum's name or its command-line spelling: IOMMUFD or iommufd, VFIO_PCI or vfio-pci.
            if (node.isTextual() && (name.equals(node.textValue())
                    || name.toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(node.textValue()))) {
                return constant;
            }
        }
        throw new TraceFormatException(path + ": expected one of " + Arrays.toString(type.getEnumConstants())
                + ", found " + quote(node));
    }

    /** A record from an object with exactly its components as fields, and its kind's {@code tag} if it has one. */
    private static Object readRecord(JsonNode node, Class<?> type, String path, String tag)
            throws TraceFormatException {
        if (!node.isObject()) {
            throw new TraceFormatException(path + ": expected an object, found " + quote(node));
        }
        RecordComponent[] components = type.getRecordComponents();
        InputText.known(path, node, fieldNames(components, tag));
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            JsonNode field = node.get(name);
            // A list that is absent is empty: files written before a list field existed still read.
            boolean absent = field == null || field.isNull();
            boolean absentList = absent && components[i].getType() == List.class;
            boolean mayBeAbsent = absent && components[i].getAnnotation(MayBeAbsent.class) != null;
            args[i] = absentList ? List.of() : mayBeAbsent ? (components[i].getType() == boolean.class ? Boolean.FALSE : null)
                    : read(field, components[i].getGenericType(), path + "." + name);
            types[i] = components[i].getType();
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new TraceFormatException(path + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static void wholeNumber(JsonNode node, String path, boolean fits, long min, long max)
            throws TraceFormatException {
        if (!node.isIntegralNumber()) {
            throw new TraceFormatException(path + ": expected a whole number, found " + quote(node));
        }
        if (!fits) {
            throw new TraceFormatException(path + ": expected a whole number from " + min + " to " + max
                    + ", found " + quote(node));
        }
    }

    private static Set<String> fieldNames(RecordComponent[] components, String tag) {
        Set<String> names = new HashSet<>();
        for (RecordComponent component : components) {
            names.add(component.getName());
        }
        if (tag != null) {
            names.add(tag);
        }
        return names;
    }

    private static String quote(JsonNode node) {
        return InputText.quote(node);
    }

    private static Object get(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    /** Every record kind of a sealed family, by JSON name. */
    private static Map<String, Class<?>> kinds(Class<?> sealedRoot) {
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        collect(sealedRoot, kinds);
        return kinds;
    }

    private static void collect(Class<?> type, Map<String, Class<?>> kinds) {
        if (type.isRecord()) {
            kinds.put(kindName(type), type);
            return;
        }
        for (Class<?> sub : type.getPermittedSubclasses()) {
            collect(sub, kinds);
        }
    }
}
