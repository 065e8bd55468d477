/** @IsNumber options of a money amount: finite, at most two decimals. */
export const MONEY = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 } as const;
/** The largest money amount a numeric(14,2) column holds. */
export const MAX_MONEY = 999_999_999_999;
