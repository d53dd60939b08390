// For tests of work moved off the main thread: how many times the main loop turned while a promise
// was pending (0 means the work blocked the loop from start to end).

/** Counts main-loop turns until `p` settles. */
export async function turnsWhile<T>(p: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = (): void => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { value: await p, turns };
  } finally {
    done = true;
  }
}
