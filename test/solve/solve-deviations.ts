// Solve conformance cases where the references disagree with each other, and which answer we give.
// conda's classic solver is our reference; conda itself now ships libmamba, whose answers differ
// in these places. Each entry replaces the case's expectations with what we do give, so the
// conformance test still fails if our answer changes.

import type { SolveCase } from './solve-cases.ts';

export interface Deviation {
  why: string;
  /** Fields replacing the case's expectations. */
  expect: Partial<SolveCase>;
}

export const DEVIATIONS: ReadonlyMap<string, Deviation> = new Map<string, Deviation>([
  [
    'conda:test_solve.py::test_python2_update#2',
    {
      why:
        "conda's own test expects different answers from its two solvers: classic takes cryptography-2.2.2 and drops cryptography-vectors, while with libmamba the same test checks only python, conda and pycosat, and libmamba and rattler take cryptography-2.3. By the objective order in conda's Resolve.solve (dependency versions before package count) 2.3 should win, and we take it.",
      expect: {
        expected: undefined,
        order_checked: undefined,
        expected_contains: ['python-3.7.0-hc3d631a_0', 'conda-4.5.10-py37_0', 'pycosat-0.6.3-py37h14c3975_0', 'cryptography-2.3-py37hb7f436b_0', 'cryptography-vectors-2.3-py37_0'],
      },
    },
  ],
  [
    'mamba:test_solver.cpp::Install highest priority package / Track features has highest priority',
    {
      why:
        "libsolv (mamba, and conda with solver: libmamba) ranks fewer track_features above the version of a requested package; conda's classic Resolve.solve maximises requested versions (eq_req_v) before it minimises track_features (eq_feature_count), which we follow, so `foo` gives foo-2.0.0.",
      expect: { expected_contains_records: [{ name: 'foo', version: '2.0.0' }] },
    },
  ],
]);
