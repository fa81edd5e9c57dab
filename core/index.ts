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
export { readCondaMeta, readPrefixRecord, readHistorySpecs, readPinnedSpecs, type CondaMeta, type PrefixRecord } from './spec/prefix-record.ts';
export { PackageIndex, type IndexSource, type LazyEntries } from './index/package-index.ts';
export { virtualPackagesFor, parseVirtualPackageArg, hostSubdir } from './index/virtual-packages.ts';
export { CondaSolver, solveConda, type SolveRequest, type SolveOutcome, type ChannelPriority } from './solve/conda-solver.ts';
export { explainUnsatisfiable, type UnsatExplanation, type Conflict } from './solve/explain.ts';
export { solveFinalState, FinalStateError, DEFAULT_AGGRESSIVE_UPDATE_PACKAGES, type FinalStateRequest, type FinalStateOutcome, type FinalStateErrorKind, type UpdateModifier, type DepsModifier } from './solve/final-state.ts';
export { linkDiff, type LinkDiff } from './solve/link-diff.ts';
export { solveEnvironment, dependencyOrder, type SolveEnvironmentOptions, type SolvedPackage, type EnvironmentSolution, type EnvironmentSolveStats } from './solve/solve-environment.ts';
export * from './install/index.ts';
