// The library's face: what the CLI, the GitHub Action, the language server and our benchmarks import.

export { SpecError, type SourcePosition } from './spec/errors.ts';
export { Version, type VersionAtom, type VersionComponent } from './spec/version.ts';
export { VersionSpec, type VersionSpecNode, type VersionOperator, type VersionSpecOptions } from './spec/version-spec.ts';
export { BuildNumberSpec } from './spec/build-number-spec.ts';
export { StringMatcher, type StringMatcherOptions } from './spec/string-matcher.ts';
export { MatchSpec, type MatchSpecFields, type MatchSpecOptions } from './spec/match-spec.ts';
export { type RecordLike } from './spec/record-like.ts';
export { readPackageRecord, type PackageRecord, type RecordContext, type NoarchKind } from './spec/record.ts';
export { packageNameProblem } from './spec/package-name.ts';
export { KNOWN_SUBDIRS, isKnownSubdir } from './spec/platform.ts';
export * from './spec/environment-file.ts';
export * from './spec/lock-file.ts';
export * from './channel/index.ts';
export * from './timing/index.ts';
export { PackageIndex, type IndexSource } from './index/package-index.ts';
export { CondaSolver, solveConda, type SolveRequest, type SolveOutcome, type ChannelPriority } from './solve/conda-solver.ts';
export { explainUnsatisfiable, type UnsatExplanation, type Conflict } from './solve/explain.ts';
