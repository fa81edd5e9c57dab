// Solve conformance cases that do not pass yet, each with the reason. Issue 3 stays open while this
// list is not empty; the test fails when a listed case starts passing, so the list only shrinks.

const PYTHON2_UPDATE = "conda's classic answer takes cryptography-2.2.2 and drops cryptography-vectors, although cryptography-2.3 (with cryptography-vectors-2.3, both py37) is installable with everything else unchanged; by the objective order in conda's Resolve.solve (versions of dependencies, eq_v, before the package count) 2.3 should win, and libmamba and rattler (and we) take 2.3. conda's own test accepts either for libmamba; we follow the documented objective.";

export const PENDING: ReadonlyMap<string, string> = new Map<string, string>([
  ["conda:test_solve.py::test_python2_update#2", PYTHON2_UPDATE],
  ["mamba:test_solver.cpp::Install highest priority package / Track features has highest priority", "mamba ranks track_features above the version of a requested package; conda maximises requested versions first (resolve.py minimises eq_req_v before eq_feature_count), which we follow."],
  ["mamba:test_solver.cpp::Handle complex matchspecs / foo[version='=*,=*', build='pyhd*']", "a record whose version text is not a valid conda version ('=*,=*') must never match a version spec; our spec '=*,=*' reads as 'any version' and matches it (to fix in VersionSpec: '=*' leaves inside a tree)."],
]);
