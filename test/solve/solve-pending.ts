// Solve conformance cases that do not pass yet, each with the reason. Issue 3 stays open while this
// list is not empty; the test fails when a listed case starts passing, so the list only shrinks.

export const PENDING: ReadonlyMap<string, string> = new Map<string, string>([]);
