/** "7.44 s", "15.0 s": two decimals below ten seconds, one above, as every benchmark prints a duration. */
export const seconds = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} s`;

/** "5.04 GB" (GiB, as the kernel counts memory and bytes written). */
export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GB`;

/** "844 MiB" below a GiB, else as gib. */
export const mibOrGib = (bytes: number): string => (bytes < 2 ** 30 ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : gib(bytes));
