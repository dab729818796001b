package io.serigraph.pipeline.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.rarity.RarityTable;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code serigraph simulate} reports about a plan before anything is rendered: per trait, the
 * target (a quota's exact count, or the layer's remaining tokens shared by weight) against the
 * planned count; per layer a chi-square goodness of fit of the weighted traits and the largest
 * deviation; the rarity score distribution; and the rarest and least rare tokens.
 */
public final class Simulation {
    /** Bins of the rarity score histogram. */
    public static final int BINS = 20;

    private final CollectionSpec spec;
    private final Plan plan;
    private final RarityTable rarity;
    private final int top;
    private final List<Map<String, Object>> layers = new ArrayList<>();

    private Simulation(CollectionSpec spec, Plan plan, RarityTable rarity, int top) {
        this.spec = spec;
        this.plan = plan;
        this.rarity = rarity;
        this.top = top;
        for (int l = 0; l < spec.layers().size(); l++) {
            layers.add(layer(l));
        }
    }

    /** The simulation of {@code plan} (of {@code spec}) with its rarity, listing {@code top}. */
    public static Simulation of(CollectionSpec spec, Plan plan, RarityTable rarity, int top) {
        return new Simulation(spec, plan, rarity, top);
    }

    private Map<String, Object> layer(int l) {
        LayerSpec layer = spec.layers().get(l);
        int n = layer.traits().size();
        long[] planned = new long[n + 1]; // index choice + 1
        for (int i = 0; i < plan.size(); i++) {
            int c = plan.choice(i, l);
            if (c != PlannedToken.NONE || !plan.isOneOfOne(i)) {
                planned[c + 1]++;
            }
        }
        Integer[] quota = new Integer[n];
        long quotaSum = 0;
        for (QuotaSpec q : spec.quotas()) {
            if (q.trait().layer() == l) {
                quota[q.trait().trait()] = q.count();
                quotaSum += q.count();
            }
        }
        BigDecimal freeWeight = layer.optional() ? layer.noneWeight() : BigDecimal.ZERO;
        for (int t = 0; t < n; t++) {
            if (quota[t] == null) {
                freeWeight = freeWeight.add(layer.traits().get(t).weight());
            }
        }
        double rest = plan.size() - quotaSum;
        List<Map<String, Object>> traits = new ArrayList<>();
        double chi = 0;
        int cells = 0;
        double maxDev = 0;
        for (int c = -1; c < n; c++) {
            if (c == -1 && !layer.optional()) {
                continue;
            }
            BigDecimal w = c == -1 ? layer.noneWeight() : layer.traits().get(c).weight();
            boolean isQuota = c >= 0 && quota[c] != null;
            double target =
                    isQuota
                            ? quota[c]
                            : freeWeight.signum() == 0
                                    ? 0
                                    : rest * w.doubleValue() / freeWeight.doubleValue();
            long got = planned[c + 1];
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trait", c == -1 ? null : layer.traits().get(c).name());
            m.put("weight", w.stripTrailingZeros().toPlainString());
            m.put("quota", isQuota ? quota[c] : null);
            m.put("target", round(target, 3));
            m.put("target_percent", round(100 * target / plan.size(), 4));
            m.put("planned", got);
            m.put("planned_percent", round(100.0 * got / plan.size(), 4));
            traits.add(m);
            maxDev = Math.max(maxDev, Math.abs(100.0 * (got - target) / plan.size()));
            if (!isQuota && target > 0) {
                chi += (got - target) * (got - target) / target;
                cells++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layer", layer.name());
        out.put("traits", traits);
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("weighted_traits", cells);
        fit.put("chi_square", round(chi, 4));
        fit.put("degrees_of_freedom", Math.max(0, cells - 1));
        fit.put("p_value", round(ChiSquare.pValue(chi, cells - 1), 6));
        fit.put("max_deviation_points", round(maxDev, 4));
        out.put("fit", fit);
        return out;
    }

    private static double round(double v, int places) {
        return BigDecimal.valueOf(v)
                .setScale(places, java.math.RoundingMode.HALF_EVEN)
                .doubleValue();
    }

    /** The whole report as JSON-ready maps and lists. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("collection", spec.name());
        r.put("size", plan.size());
        r.put("plan_hash", plan.hash());
        r.put("rules", spec.rules().size());
        r.put("quotas", spec.quotas().size());
        r.put("one_of_ones", spec.oneOfOnes().size());
        r.put("layers", layers);
        Map<String, Object> rar = new LinkedHashMap<>();
        rar.put("method", "OpenRarity information content (score = IC / collection entropy)");
        rar.put("collection_entropy", rarity.entropy());
        rar.put("histogram", histogram());
        rar.put("rarest", tokens(true));
        rar.put("least_rare", tokens(false));
        r.put("rarity", rar);
        return r;
    }

    private Map<String, Object> histogram() {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < rarity.size(); i++) {
            min = Math.min(min, rarity.score(i));
            max = Math.max(max, rarity.score(i));
        }
        long[] counts = new long[BINS];
        double width = max > min ? (max - min) / BINS : 1;
        for (int i = 0; i < rarity.size(); i++) {
            int b = (int) Math.min(BINS - 1, Math.floor((rarity.score(i) - min) / width));
            counts[b]++;
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("min_score", min);
        h.put("max_score", max);
        h.put("bin_width", width);
        List<Long> list = new ArrayList<>();
        for (long c : counts) {
            list.add(c);
        }
        h.put("counts", list);
        return h;
    }

    private List<Map<String, Object>> tokens(boolean rarest) {
        List<Map<String, Object>> out = new ArrayList<>();
        int n = Math.min(top, rarity.size());
        for (int k = 0; k < n; k++) {
            int i = rarity.atPlace(rarest ? k : rarity.size() - 1 - k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", plan.startId() + i);
            m.put("rank", rarity.rank(i));
            m.put("score", rarity.score(i));
            m.put("unique_traits", rarity.uniqueTraits(i));
            m.put("one_of_one", plan.isOneOfOne(i));
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, String> a : plan.attributes(i)) {
                attrs.put(a.getKey(), a.getValue());
            }
            m.put("attributes", attrs);
            out.add(m);
        }
        return out;
    }

    /** {@code out/simulation.json}: the report, pretty-printed, UTF-8, final newline. */
    public byte[] json() {
        try {
            return (new ObjectMapper()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(report())
                            + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code out/rarity.csv}: {@code id,rank,score,unique_traits,one_of_one} in id order. */
    public byte[] rarityCsv() {
        StringBuilder sb = new StringBuilder(plan.size() * 40 + 64);
        sb.append("id,rank,score,unique_traits,one_of_one\n");
        for (int i = 0; i < plan.size(); i++) {
            sb.append(plan.startId() + i)
                    .append(',')
                    .append(rarity.rank(i))
                    .append(',')
                    .append(rarity.score(i))
                    .append(',')
                    .append(rarity.uniqueTraits(i))
                    .append(',')
                    .append(plan.isOneOfOne(i))
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A few lines for the terminal. */
    @SuppressWarnings("unchecked")
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%s: %d tokens planned (plan %s), %d rules, %d quotas, %d one-of-ones%n",
                        spec.name(),
                        plan.size(),
                        plan.hash().substring(0, 12),
                        spec.rules().size(),
                        spec.quotas().size(),
                        spec.oneOfOnes().size()));
        for (Map<String, Object> layer : layers) {
            Map<String, Object> fit = (Map<String, Object>) layer.get("fit");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-20s chi2 %10.3f (dof %d, p %.4f), max deviation %.3f points%n",
                            layer.get("layer"),
                            (Double) fit.get("chi_square"),
                            (Integer) fit.get("degrees_of_freedom"),
                            (Double) fit.get("p_value"),
                            (Double) fit.get("max_deviation_points")));
            for (Map<String, Object> t : (List<Map<String, Object>>) layer.get("traits")) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "    %-22s target %9.2f%%  planned %9.2f%%  (%d)%s%n",
                                t.get("trait") == null ? "(none)" : t.get("trait"),
                                (Double) t.get("target_percent"),
                                (Double) t.get("planned_percent"),
                                (Long) t.get("planned"),
                                t.get("quota") != null ? "  quota " + t.get("quota") : ""));
            }
        }
        if (rarity.size() > 0) {
            int r = rarity.atPlace(0);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  rarest: #%d (score %.4f); least rare: #%d (score %.4f)%n",
                            plan.startId() + r,
                            rarity.score(r),
                            plan.startId() + rarity.atPlace(rarity.size() - 1),
                            rarity.score(rarity.atPlace(rarity.size() - 1))));
        }
        return sb.toString();
    }

    /** {@code out/simulation.html}: a self-contained page (inline SVG and CSS, no scripts). */
    @SuppressWarnings("unchecked")
    public byte[] html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>")
                .append(esc(spec.name()))
                .append(" simulation</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}")
                .append(".t{fill:#9bb5d6}.p{fill:#d2691e}</style></head><body>\n");
        h.append("<h1>")
                .append(esc(spec.name()))
                .append(": ")
                .append(plan.size())
                .append(" tokens</h1>\n<p>Plan ")
                .append(plan.hash())
                .append(
                        ". Bars: <span style=\"color:#9bb5d6\">target</span> vs <span"
                                + " style=\"color:#d2691e\">planned</span> share.</p>\n");
        for (Map<String, Object> layer : layers) {
            List<Map<String, Object>> traits = (List<Map<String, Object>>) layer.get("traits");
            Map<String, Object> fit = (Map<String, Object>) layer.get("fit");
            h.append("<h2>").append(esc((String) layer.get("layer"))).append("</h2>\n");
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<p>chi-square %.3f, %d degrees of freedom, p = %.4f; max deviation %.3f"
                                    + " points</p>%n",
                            (Double) fit.get("chi_square"),
                            (Integer) fit.get("degrees_of_freedom"),
                            (Double) fit.get("p_value"),
                            (Double) fit.get("max_deviation_points")));
            double maxPct = 1e-9;
            for (Map<String, Object> t : traits) {
                maxPct =
                        Math.max(
                                maxPct,
                                Math.max(
                                        (Double) t.get("target_percent"),
                                        (Double) t.get("planned_percent")));
            }
            int rowH = 22;
            h.append("<svg width=\"640\" height=\"")
                    .append(traits.size() * rowH + 4)
                    .append("\" role=\"img\">");
            int y = 2;
            for (Map<String, Object> t : traits) {
                double tw = 400 * (Double) t.get("target_percent") / maxPct;
                double pw = 400 * (Double) t.get("planned_percent") / maxPct;
                String name = t.get("trait") == null ? "(none)" : (String) t.get("trait");
                h.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                                        + "<rect class=\"t\" x=\"170\" y=\"%d\" width=\"%.1f\""
                                        + " height=\"8\"/><rect class=\"p\" x=\"170\" y=\"%d\""
                                        + " width=\"%.1f\" height=\"8\"/>"
                                        + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.2f%% /"
                                        + " %.2f%%</text>",
                                y + 13,
                                esc(name),
                                y + 2,
                                tw,
                                y + 10,
                                pw,
                                175 + Math.max(tw, pw),
                                y + 14,
                                (Double) t.get("target_percent"),
                                (Double) t.get("planned_percent")));
                y += rowH;
            }
            h.append("</svg>\n");
        }
        Map<String, Object> hist = histogram();
        List<Long> counts = (List<Long>) hist.get("counts");
        long maxCount = 1;
        for (long c : counts) {
            maxCount = Math.max(maxCount, c);
        }
        h.append("<h2>Rarity score distribution (OpenRarity)</h2>\n<svg width=\"640\" height=\"")
                .append(180)
                .append("\" role=\"img\">");
        for (int b = 0; b < counts.size(); b++) {
            double bh = 150.0 * counts.get(b) / maxCount;
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<rect class=\"p\" x=\"%d\" y=\"%.1f\" width=\"28\" height=\"%.1f\"/>",
                            b * 31,
                            160 - bh,
                            bh));
        }
        h.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"0\" y=\"176\" font-size=\"11\">%.4f</text><text x=\"560\""
                                + " y=\"176\" font-size=\"11\">%.4f</text></svg>%n",
                        (Double) hist.get("min_score"),
                        (Double) hist.get("max_score")));
        for (boolean rarest : new boolean[] {true, false}) {
            h.append("<h2>").append(rarest ? "Rarest" : "Least rare").append(" tokens</h2>\n");
            h.append("<table><tr><th>id</th><th>rank</th><th>score</th><th>unique</th>")
                    .append("<th>attributes</th></tr>\n");
            for (Map<String, Object> t : tokens(rarest)) {
                h.append(
                        String.format(
                                Locale.ROOT,
                                "<tr><td>%d</td><td>%d</td><td>%.6f</td><td>%d</td><td>%s</td></tr>%n",
                                (Long) t.get("id"),
                                (Integer) t.get("rank"),
                                (Double) t.get("score"),
                                (Integer) t.get("unique_traits"),
                                esc(t.get("attributes").toString())));
            }
            h.append("</table>\n");
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
