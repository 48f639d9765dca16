package io.agenthive.budget;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;

/**
 * What tokens cost, per model ({@code hive.budgets.prices}): a price per 1,000 input tokens and per
 * 1,000 output tokens, in whatever currency the operator budgets in. A model not in the table costs
 * {@code default} (0 unless set): its tokens still count against token budgets.
 */
public final class PriceTable {
  public record Price(double inputPer1k, double outputPer1k) {}

  private final Map<String, Price> prices;
  private final Price fallback;

  PriceTable(Map<String, Price> prices, Price fallback) {
    this.prices = Map.copyOf(prices);
    this.fallback = fallback;
  }

  public static PriceTable from(Config config) {
    Config c = config.getConfig("hive.budgets.prices");
    Map<String, Price> prices = new HashMap<>();
    Price fallback = new Price(0, 0);
    for (String model : c.root().keySet()) {
      Config p = c.getConfig("\"" + model + "\"");
      Price price = new Price(p.getDouble("input-per-1k"), p.getDouble("output-per-1k"));
      if (model.equals("default")) {
        fallback = price;
      } else {
        prices.put(model, price);
      }
    }
    return new PriceTable(prices, fallback);
  }

  /** The cost of a call; tokens not split into input and output are priced as input. */
  public double cost(String model, long inputTokens, long outputTokens) {
    Price p = model == null ? fallback : prices.getOrDefault(model, fallback);
    return inputTokens / 1000.0 * p.inputPer1k() + outputTokens / 1000.0 * p.outputPer1k();
  }
}
