// The names under which the main step hands state to the post step (core.saveState / getState). A
// module of its own so the post step's bundle does not pull in the main step's code.

/** RUNNER_TEMP/env-setup, removed by the post step. */
export const STATE_TEMP = 'env-setup-temp';
/** JSON list of the cache entries whose save failed (UnsavedEntry[]), retried by the post step. */
export const STATE_UNSAVED = 'env-setup-unsaved';
/** The cache-key namespace of this run's entries. */
export const STATE_NAMESPACE = 'env-setup-namespace';
