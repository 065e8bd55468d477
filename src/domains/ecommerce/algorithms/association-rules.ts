/** One order as a basket of distinct SKUs. */
export interface Basket {
  orderRef: string;
  customerRef: string | null;
  skus: string[];
}

export interface AssociationOptions {
  minSupport: number;
  minConfidence: number;
  /** Recommendations kept per product and per customer. */
  topN: number;
  /** Only this product's recommendations (all products when absent). */
  sku?: string;
  /** Only this customer's recommendations (all customers, up to maxCustomers, when absent). */
  customerRef?: string;
  maxCustomers: number;
}

export interface AssociationRule {
  antecedent: string;
  consequent: string;
  pair_count: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface ProductRecommendations {
  sku: string;
  order_count: number;
  support: number;
  recommendations: { sku: string; support: number; confidence: number; lift: number }[];
}

export interface CustomerRecommendations {
  customer_ref: string;
  purchased: string[];
  recommendations: { sku: string; confidence: number; lift: number; because_of: string[] }[];
}

export interface RecommendationResult {
  status: 'ok' | 'not_enough_data';
  message: string;
  basket_count: number;
  multi_item_baskets: number;
  thresholds: { min_support: number; min_confidence: number; top_n: number };
  rules: AssociationRule[];
  by_product: ProductRecommendations[];
  by_customer: CustomerRecommendations[];
}

/** Fewer baskets than this (or no basket with two products) → not enough data. */
export const MIN_BASKETS = 3;

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

const byStrength = (a: AssociationRule, b: AssociationRule): number =>
  b.lift - a.lift || b.confidence - a.confidence || b.support - a.support || a.consequent.localeCompare(b.consequent);

/** Every rule A → B over product pairs bought together, with support, confidence and lift, above the thresholds. */
export function mineRules(
  baskets: Basket[],
  minSupport: number,
  minConfidence: number,
): { rules: AssociationRule[]; counts: Map<string, number> } {
  const n = baskets.length;
  const counts = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const basket of baskets) {
    const skus = [...new Set(basket.skus)].sort();
    for (const sku of skus) counts.set(sku, (counts.get(sku) ?? 0) + 1);
    for (let i = 0; i < skus.length; i += 1) {
      for (let j = i + 1; j < skus.length; j += 1) {
        const key = `${skus[i]}\u0000${skus[j]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  const rules: AssociationRule[] = [];
  for (const [key, together] of pairs) {
    const support = together / n;
    if (support < minSupport) continue;
    const [x, y] = key.split('\u0000');
    for (const [antecedent, consequent] of [
      [x, y],
      [y, x],
    ]) {
      const confidence = together / (counts.get(antecedent) as number);
      if (confidence < minConfidence) continue;
      const lift = confidence / ((counts.get(consequent) as number) / n);
      rules.push({
        antecedent,
        consequent,
        pair_count: together,
        support: round(support),
        confidence: round(confidence),
        lift: round(lift),
      });
    }
  }
  rules.sort((a, b) => a.antecedent.localeCompare(b.antecedent) || byStrength(a, b));
  return { rules, counts };
}

function customerRecommendations(
  customerRef: string,
  purchased: Set<string>,
  rulesFrom: Map<string, AssociationRule[]>,
  topN: number,
): CustomerRecommendations {
  const best = new Map<string, { rule: AssociationRule; because: string[] }>();
  for (const sku of [...purchased].sort()) {
    for (const rule of rulesFrom.get(sku) ?? []) {
      if (purchased.has(rule.consequent)) continue;
      const current = best.get(rule.consequent);
      if (!current) best.set(rule.consequent, { rule, because: [sku] });
      else {
        current.because.push(sku);
        if (rule.confidence > current.rule.confidence || (rule.confidence === current.rule.confidence && rule.lift > current.rule.lift))
          current.rule = rule;
      }
    }
  }
  const recommendations = [...best.entries()]
    .map(([sku, { rule, because }]) => ({ sku, confidence: rule.confidence, lift: rule.lift, because_of: because }))
    .sort((a, b) => b.confidence - a.confidence || b.lift - a.lift || a.sku.localeCompare(b.sku))
    .slice(0, topN);
  return { customer_ref: customerRef, purchased: [...purchased].sort(), recommendations };
}

/**
 * Co-purchase association rules from order baskets; per product the strongest rules (by lift), and per
 * customer the consequents of rules whose antecedent they bought, excluding what they already have
 * (scored by the best rule's confidence).
 */
export function recommendProducts(baskets: Basket[], options: AssociationOptions): RecommendationResult {
  const nonEmpty = baskets.filter((b) => b.skus.length > 0);
  const multi = nonEmpty.filter((b) => new Set(b.skus).size >= 2).length;
  const thresholds = { min_support: options.minSupport, min_confidence: options.minConfidence, top_n: options.topN };
  const base = { basket_count: nonEmpty.length, multi_item_baskets: multi, thresholds };
  if (nonEmpty.length < MIN_BASKETS || multi === 0) {
    return {
      status: 'not_enough_data',
      message: `Not enough data: ${nonEmpty.length} order(s), ${multi} with two or more products; at least ${MIN_BASKETS} orders and one with two products are needed`,
      ...base,
      rules: [],
      by_product: [],
      by_customer: [],
    };
  }
  const { rules, counts } = mineRules(nonEmpty, options.minSupport, options.minConfidence);
  const rulesFrom = new Map<string, AssociationRule[]>();
  for (const rule of rules) rulesFrom.set(rule.antecedent, [...(rulesFrom.get(rule.antecedent) ?? []), rule]);
  const skus = options.sku !== undefined ? [options.sku] : [...counts.keys()].sort();
  const byProduct = skus
    .filter((sku) => options.sku !== undefined || rulesFrom.has(sku))
    .map((sku) => ({
      sku,
      order_count: counts.get(sku) ?? 0,
      support: round((counts.get(sku) ?? 0) / nonEmpty.length),
      recommendations: (rulesFrom.get(sku) ?? [])
        .slice(0, options.topN)
        .map((rule) => ({ sku: rule.consequent, support: rule.support, confidence: rule.confidence, lift: rule.lift })),
    }));
  const purchases = new Map<string, Set<string>>();
  for (const basket of nonEmpty) {
    if (basket.customerRef === null) continue;
    if (options.customerRef !== undefined && basket.customerRef !== options.customerRef) continue;
    const set = purchases.get(basket.customerRef) ?? new Set<string>();
    for (const sku of basket.skus) set.add(sku);
    purchases.set(basket.customerRef, set);
  }
  if (options.customerRef !== undefined && !purchases.has(options.customerRef)) purchases.set(options.customerRef, new Set());
  const byCustomer = [...purchases.keys()]
    .sort()
    .slice(0, options.maxCustomers)
    .map((ref) => customerRecommendations(ref, purchases.get(ref) as Set<string>, rulesFrom, options.topN));
  return {
    status: 'ok',
    message:
      rules.length > 0
        ? `${rules.length} rule(s) from ${nonEmpty.length} orders`
        : `No product pair reaches min_support ${options.minSupport} and min_confidence ${options.minConfidence}; lower them to see weaker rules`,
    ...base,
    rules,
    by_product: byProduct,
    by_customer: byCustomer,
  };
}
