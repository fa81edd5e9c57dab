// Conformance cases we do not follow, each with the reason. Keys are `<file>#<index in the file>`.
// Every one is a place where mamba or rattler differ from conda, or conda from itself; we implement conda,
// and each reason names the conda behaviour (usually a conda case in the same data) that decides it.

const groups: [reason: string, ids: string[]][] = [
  [
    "conda disagrees with itself here: VersionSpec.spec builds each child's string without parentheses, so '1.5|1.6|1.7,1.8,1.9|2.0|2.1' re-reads as ('|', '1.5', '1.6', (',', '1.7', '1.8', '1.9'), '2.0', '2.1'), a different tree; conda's own untreeify docstring gives '1.5|(1.6|1.7),1.8,1.9|2.0|2.1' for this tree, which is what we print so the string round-trips.",
    ["version-spec.json#30"],
  ],
  [
    "mamba reads an empty version spec as 'any'; conda's VersionSpec('') raises and rattler rejects '' in both modes (version-spec cases 'invalid' ''); we reject it with a clear error.",
    ["version-spec.json#157", "version-spec.json#158"],
  ],
  [
    "mamba treats '=1.*.3' / '!=1.*.3' as globs; conda reads an operator followed by a version, so '=1.*.3' is startswith(VersionOrder('1.*.3')) and 1.7.3 does not start with it. We follow conda.",
    ["version-spec.json#229", "version-spec.json#230", "version-spec.json#234", "version-spec.json#235"],
  ],
  [
    "mamba reads '==1.7.1.*' as a prefix match; conda drops the superfluous '.*' after '==' (with a deprecation warning) and compares exactly, as rattler's own case ('==1.2.*' parses to op '==' version '1.2') also asserts. We follow conda.",
    ["version-spec.json#290"],
  ],
  [
    "rattler's lenient mode rewrites globbed operands ('>2.10*' to '>=2.10', '>=2.*.*' to '>=2', '>1.2.*' to '>=1.2', '>=3.1*' to '>=3.1'); conda keeps the operator and compares against VersionOrder of the operand with only a trailing '.*' removed, so 2.10.0a is >2.10* in conda but not >=2.10. We follow conda.",
    ["version-spec.json#412", "version-spec.json#418", "version-spec.json#490", "version-spec.json#517", "match-spec.json#868", "match-spec.json#891"],
  ],
  [
    "rattler's lenient mode collapses repeated or trailing globs ('2023.*.*' to '2023.*', '0.2.18.*.' to '0.2.18.*', '*.*' to any, '==2.7.*.*' to '2.7.*'); conda turns any spec with an inner '*' into the regex of the glob (version.py: '*' in vspec_str.rstrip('*')), which needs every dot, and '==2.7.*.*' compares exactly against 2.7.*. We follow conda.",
    ["version-spec.json#413", "version-spec.json#416", "version-spec.json#484", "match-spec.json#852", "match-spec.json#885"],
  ],
  [
    "rattler rejects inner-glob and regex version specs ('1.*.3', '2023.*.0', '^1.2.3$', '^$') in both modes; conda accepts them (conda's own canonical cases '1.*.1', '^1.7.1$' and '^$' assert they parse and print back). We follow conda.",
    ["version-spec.json#415", "version-spec.json#460", "version-spec.json#501", "version-spec.json#502", "version-spec.json#510", "version-spec.json#511"],
  ],
  [
    "mamba reads 'a|b.*.' with its glob rules ('0.2.18.*.' as '=0.2.18'); conda makes '0.2.18.*.' the regex ^0\\.2\\.18\\..*\\.$ (inner '*'). We follow conda.",
    ["match-spec.json#502"],
  ],
  [
    "mamba rejects an upper-case version after a space ('foo V0.9.24'); conda accepts it (version comparison is case-insensitive, VersionOrder lower-cases) and so do we.",
    ["match-spec.json#516"],
  ],
  [
    "mamba-only syntax: '=*=bld' and a bare '[optional]' flag in brackets; conda keeps target/optional in the trailing '(target=\u2026,optional)' group, which mamba's canonical string drops, so the two specs differ.",
    ["match-spec.json#531"],
  ],
  [
    "mamba stores a package URL itself as the spec's channel and prints the URL back; conda splits it into channel (canonical name), subdir, name, version, build, fn and url (conda cases 'parse' of https://repo.anaconda.com/pkgs/main/linux-64/_license-1.1-py27_1.tar.bz2). We follow conda.",
    ["match-spec.json#538", "match-spec.json#540", "match-spec.json#542", "match-spec.json#546"],
  ],
  [
    "mamba turns a [url=\u2026] bracket into the channel and prints just the URL; conda keeps name and url as separate fields ('xtensor[url=\u2026]'). We follow conda.",
    ["match-spec.json#548", "match-spec.json#549", "match-spec.json#559", "match-spec.json#560"],
  ],
  [
    "mamba keeps 'name=1.0=build' as a prefix match (=1.0, printed 'foo 1.0.* 2'); conda's _sanitize_version_str makes the version exact when a build is given (conda canonical case 'numpy=1.10=py38_0' \u2192 'numpy==1.10=py38_0'; the mamba case itself notes the difference). We follow conda.",
    ["match-spec.json#550", "match-spec.json#552", "match-spec.json#553", "match-spec.json#555", "match-spec.json#556", "match-spec.json#558", "match-spec.json#561", "match-spec.json#611"],
  ],
  [
    "mamba lets the version and build outside brackets win over the bracket values; conda's rule 8 is the opposite (bracket values override, conda's own parse case for the same input asserts version '>=1.8,<2|1.9', build '3'). We follow conda.",
    ["match-spec.json#562", "match-spec.json#563"],
  ],
  [
    "mamba parses ',' and '|' with equal precedence left to right (giving '>=1.8,(<2|==1.9)'); conda's treeify binds ',' tighter than '|' (conda's own doctest: '1.2.3,4.5.6|<=7.8.9' is ('|', (',', \u2026), \u2026)), and rattler agrees. We follow conda.",
    ["match-spec.json#564", "match-spec.json#565", "match-spec.json#566", "match-spec.json#567"],
  ],
  [
    "mamba's conda_build_form writes '=0.15*' as '0.15*.*', which conda reads as a startswith of VersionOrder('0.15*') (a string atom), not of 0.15; it is not the same spec under conda's rules.",
    ["match-spec.json#581", "match-spec.json#584"],
  ],
  [
    "conda canonicalises the channel 'pkgs/main' to 'defaults' (conda's own canonical case 'pkgs/main::numpy' \u2192 'defaults::numpy'); mamba keeps 'pkgs/main'. We follow conda.",
    ["match-spec.json#593", "match-spec.json#595"],
  ],
  [
    "mamba ignores a bracket subdir when the channel already names a platform; conda's rule 8 lets the bracket value win (conda canonical case '*/win-32::numpy[subdir=\"osx-64\"]' \u2192 'numpy[subdir=osx-64]'). We follow conda.",
    ["match-spec.json#597", "match-spec.json#598"],
  ],
  [
    "mamba derives name/version/build from any package file name; conda does so only when the URL has a platform subdir and otherwise keeps '*[url=\u2026]' (conda canonical cases for https://conda.anaconda.org/conda-canary/conda-4.3.21\u2026 and /some/file/on/disk/package-1.2.3-2.tar.bz2). We follow conda.",
    ["match-spec.json#605", "match-spec.json#607", "match-spec.json#609"],
  ],
  [
    "mamba rejects 'python[version>3]'; conda's v3 parser accepts it as version='>3' with a deprecation warning (conda match case 'numpy[version<2]' asserts it matches). We follow conda.",
    ["match-spec.json#612"],
  ],
  [
    "mamba splits a subdir bracket value at commas into a list of platforms; conda's subdir is an exact string match, so 'linux-64,linux-64-512' matches neither platform. We follow conda.",
    ["match-spec.json#671", "match-spec.json#672", "match-spec.json#676"],
  ],
  [
    "mamba's regex and 'chimera' build-string matchers treat 'py.*' and 'py3.10_cuda11.8*' as regular expressions; conda's GlobStrMatch treats anything without ^\u2026$ as a glob where only '*' is special, so 'py.*' needs a literal dot. We follow conda for build strings.",
    ["match-spec.json#768", "match-spec.json#777", "match-spec.json#778", "match-spec.json#779", "match-spec.json#782"],
  ],
  [
    "rattler names a URL channel by its path ('python/conda', 'conda-forge') and keeps the base URL separately; conda keeps the URL itself as the channel of a '::' spec (conda parse case 'https://repo.anaconda.com/pkgs/free::numpy' \u2192 channel 'https://repo.anaconda.com/pkgs/free'). We follow conda.",
    ["match-spec.json#855", "match-spec.json#856", "match-spec.json#857", "match-spec.json#917"],
  ],
  [
    "rattler keeps '=1.0' a prefix match when a build follows; conda makes it exact (see the mamba cases above and conda's 'numpy=1.7=py3*_2' \u2192 'numpy==1.7[build=py3*_2]'). We follow conda.",
    ["match-spec.json#894", "match-spec.json#948", "match-spec.json#960"],
  ],
  [
    "rattler splits a nameless '*cpu*' into version '*' and build 'cpu*'; conda's _parse_version_plus_build finds no separator and reads all of it as the version. We follow conda.",
    ["match-spec.json#895"],
  ],
  [
    "conda's license and license_family matchers are case-insensitive and lower-case the value (CaseInsensitiveStrMatch); rattler keeps the written case. Both match the same records; we print conda's form.",
    ["match-spec.json#922", "match-spec.json#923", "match-spec.json#1019"],
  ],
  [
    "rattler keeps a leading '=' on the build after ' =' ('=py34_0'); conda's doctest for _parse_version_plus_build('>=1.0 , < 2.0 =py34_0') gives build 'py34_0'. We follow conda.",
    ["match-spec.json#951"],
  ],
  [
    "rattler stores 'when' as the display form of its parsed condition; conda stores the condition text as written (conda parse case \"pkg[when='pandoc >=2.0']\" expects 'pandoc >=2.0'). We follow conda.",
    ["match-spec.json#980", "match-spec.json#981", "match-spec.json#982", "match-spec.json#983", "match-spec.json#984", "match-spec.json#985", "match-spec.json#986", "match-spec.json#987", "match-spec.json#989", "match-spec.json#990", "match-spec.json#991", "match-spec.json#992"],
  ],
  [
    "rattler refuses when=, flags= and some extras forms unless an opt-in parse option is set (conditionals, repodata v3) or by its own stricter grammar (trailing comma, '!' in a name); conda accepts them by default (conda parse cases for when=, flags=[\u2026] and 'pkg[extras=[a,]]'). We follow conda.",
    ["match-spec.json#993", "match-spec.json#994", "match-spec.json#1014", "match-spec.json#1015", "match-spec.json#1042"],
  ],
  [
    "rattler's glob crate treats '[' as a character class, so '[foo*' is an invalid pattern; conda's GlobStrMatch escapes everything but '*', so '[foo*' is a valid glob (prefix '[foo'). We follow conda.",
    ["match-spec.json#1156"],
  ],
];

export const SKIPS: ReadonlyMap<string, string> = new Map(groups.flatMap(([reason, ids]) => ids.map((id): [string, string] => [id, reason])));
