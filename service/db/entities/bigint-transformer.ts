import type { ValueTransformer } from 'typeorm';

/** pg returns BIGINT as a string to avoid precision loss; our amounts stay far below 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
