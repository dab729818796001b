package io.serigraph.inference.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, the first step of CLIP's text cleaning: numeric character
 * references with HTML5's replacements for invalid ones, and the HTML5 named references (with and
 * without the semicolon, longest prefix first) from {@code html5-entities.tsv}, generated from
 * Python's {@code html.entities.html5} by {@code inference/scripts/gen_html_entities.py}.
 */
final class HtmlUnescape {
    private static final Pattern CHARREF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Map<String, String> ENTITIES = load();
    private static final String[] INVALID_CHARREFS = new String[160];

    static {
        INVALID_CHARREFS[0x00] = "\uFFFD";
        INVALID_CHARREFS[0x0d] = "\r";
        String c1 =
                "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152"
                        + "\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC"
                        + "\u2122\u0161\u203A\u0153\u009D\u017E\u0178";
        for (int i = 0; i < 32; i++) {
            INVALID_CHARREFS[0x80 + i] = String.valueOf(c1.charAt(i));
        }
    }

    private HtmlUnescape() {}

    private static Map<String, String> load() {
        Map<String, String> map = new HashMap<>(4096);
        try (InputStream in = HtmlUnescape.class.getResourceAsStream("html5-entities.tsv")) {
            if (in == null) {
                throw new IllegalStateException("html5-entities.tsv is missing from the classpath");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder();
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                map.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replace(String s) {
        if (s.charAt(0) == '#') {
            boolean hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
            String digits = s.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            long num = 0;
            for (int i = 0; i < digits.length() && num <= 0x10FFFF; i++) {
                num = num * (hex ? 16 : 10) + Character.digit(digits.charAt(i), hex ? 16 : 10);
            }
            if (num < INVALID_CHARREFS.length && INVALID_CHARREFS[(int) num] != null) {
                return INVALID_CHARREFS[(int) num];
            }
            if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
                return "\uFFFD";
            }
            if (invalidCodePoint((int) num)) {
                return "";
            }
            return new String(Character.toChars((int) num));
        }
        String v = ENTITIES.get(s);
        if (v != null) {
            return v;
        }
        for (int x = s.length() - 1; x > 1; x--) {
            v = ENTITIES.get(s.substring(0, x));
            if (v != null) {
                return v + s.substring(x);
            }
        }
        return "&" + s;
    }

    /** Python's {@code html._invalid_codepoints}. */
    private static boolean invalidCodePoint(int c) {
        return (c >= 0x1 && c <= 0x8)
                || c == 0xB
                || (c >= 0xE && c <= 0x1F)
                || (c >= 0x7F && c <= 0x9F)
                || (c >= 0xFDD0 && c <= 0xFDEF)
                || (c & 0xFFFE) == 0xFFFE;
    }
}
