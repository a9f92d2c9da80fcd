package org.relugrad.internal.io.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Json.object, read back with Jackson as the independent parser. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode roundTrip(Map<String, ?> fields) throws Exception {
        return MAPPER.readTree(Json.object(fields));
    }

    @Test
    void stringsWithQuotesBackslashesNewlinesAndControlCharactersAreEscaped() throws Exception {
        String[] nasty = {
            "plain", "", "say \"hi\"", "back\\slash", "line1\nline2", "tab\there", "cr\rlf\r\n", "bell\u0007",
            "nul\u0000end", "esc\u001b[0m", "unit\u001f", "é ünïcødé ✓ 𝔸", "\u2028\u2029", "}{][,:", "C:\\tmp\\\"x\"",
        };
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < nasty.length; i++) {
            fields.put("key " + i + " " + nasty[i], nasty[i]);
        }
        String text = Json.object(fields);
        for (char c : text.toCharArray()) {
            assertTrue(c >= 0x20 || c == '\n', "raw control character U+" + Integer.toHexString(c) + " in " + text);
        }
        JsonNode node = MAPPER.readTree(text);
        assertEquals(nasty.length, node.size());
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        for (int i = 0; i < nasty.length; i++) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals("key " + i + " " + nasty[i], e.getKey(), "keys keep their order and text");
            assertEquals(nasty[i], e.getValue().textValue());
        }
    }

    @Test
    void doublesRoundTripExactly() throws Exception {
        Random random = new Random(7);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, 1e-300, 1e300, Double.MIN_VALUE,
                Double.MAX_VALUE, -Double.MIN_NORMAL, 99.90477712668212, 1e21, 1e-7, 123456789.0));
        for (int i = 0; i < 500; i++) {
            double v;
            do {
                v = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(v));
            values.add(v);
        }
        double[] array = new double[values.size()];
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            fields.put("v" + i, values.get(i));
            array[i] = values.get(i);
        }
        fields.put("list", values);
        fields.put("array", array);
        JsonNode node = roundTrip(fields);
        for (int i = 0; i < values.size(); i++) {
            double expected = values.get(i);
            assertEquals(expected, node.get("v" + i).doubleValue(), 0.0, "field v" + i);
            assertEquals(expected, node.get("list").get(i).doubleValue(), 0.0, "list " + i);
            assertEquals(expected, node.get("array").get(i).doubleValue(), 0.0, "array " + i);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(node.get("v" + i).doubleValue()), "bits of v" + i);
        }
    }

    @Test
    void nonFiniteDoublesBecomeNull() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nan", Double.NaN);
        fields.put("inf", Double.POSITIVE_INFINITY);
        fields.put("array", new double[] {1.0, Double.NEGATIVE_INFINITY});
        JsonNode node = roundTrip(fields);
        assertTrue(node.get("nan").isNull());
        assertTrue(node.get("inf").isNull());
        assertTrue(node.get("array").get(1).isNull());
        assertEquals(1.0, node.get("array").get(0).doubleValue(), 0.0);
    }

    @Test
    void nestedObjectsListsBooleansIntegersAndNullKeepTheirTypes() throws Exception {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("n", Long.MAX_VALUE);
        inner.put("ok", true);
        inner.put("nothing", null);
        inner.put("empty", Map.of());
        inner.put("none", List.of());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("inner", inner);
        fields.put("count", 3);
        fields.put("names", List.of("a\"b", "c"));
        JsonNode node = roundTrip(fields);
        assertEquals(Long.MAX_VALUE, node.get("inner").get("n").longValue());
        assertTrue(node.get("inner").get("ok").booleanValue());
        assertTrue(node.get("inner").get("nothing").isNull());
        assertEquals(0, node.get("inner").get("empty").size());
        assertTrue(node.get("inner").get("empty").isObject());
        assertTrue(node.get("inner").get("none").isArray());
        assertEquals(3, node.get("count").intValue());
        assertEquals("a\"b", node.get("names").get(0).textValue());
        assertEquals("{}", Json.object(Map.of()));
    }
}
