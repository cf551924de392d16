/**
 * Runs `task` over `items` with at most `concurrency` at a time, in order of the list; stops starting new
 * items once `signal` is aborted and resolves when the started ones have settled.
 * @throws the first task rejection (tasks are expected to handle their own trial errors).
 */
export async function runPool<T>(items: readonly T[], concurrency: number, signal: AbortSignal, task: (item: T, slot: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (slot: number): Promise<void> => {
    while (next < items.length && !signal.aborted) await task(items[next++], slot);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, (_, slot) => lane(slot)));
}
