package io.camunit.gate;

/**
 * How a sample's value (or a statistic) is compared with a gate's threshold.
 *
 * <pre>{@code
 * Operator.AT_LEAST.test(0.8, 0.5);   // true
 * Operator.AT_LEAST.symbol();         // ">="
 * }</pre>
 */
public enum Operator {
    /** {@code >=}, as {@code isAtLeast}. */
    AT_LEAST(">=", true),
    /** {@code >}, as {@code isGreaterThan}. */
    GREATER_THAN(">", true),
    /** {@code <=}, as {@code isAtMost}. */
    AT_MOST("<=", false),
    /** {@code <}, as {@code isLessThan}. */
    LESS_THAN("<", false);

    private final String symbol;
    private final boolean lowIsBad;

    Operator(String symbol, boolean lowIsBad) {
        this.symbol = symbol;
        this.lowIsBad = lowIsBad;
    }

    /** @return the operator as written, e.g. {@code >=} */
    public String symbol() {
        return symbol;
    }

    /** @return true when low values fail ({@code >=}, {@code >}), so the lowest values are the worst */
    public boolean lowIsBad() {
        return lowIsBad;
    }

    /**
     * @param value a value
     * @param threshold the threshold
     * @return whether {@code value OP threshold}
     */
    public boolean test(double value, double threshold) {
        return switch (this) {
            case AT_LEAST -> value >= threshold;
            case GREATER_THAN -> value > threshold;
            case AT_MOST -> value <= threshold;
            case LESS_THAN -> value < threshold;
        };
    }
}
