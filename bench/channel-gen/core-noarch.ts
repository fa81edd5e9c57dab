// The pure-Python (noarch) core of the benchmark channel: the data-science stack's Python-only
// packages with their version histories and era-dependent requirements (jupyter, dask, requests,
// pytest, fastapi, boto3, …), including split `__unix`/`__win` (and `__linux`/`__osx`) builds and
// multi-output recipes (dask/distributed, uvicorn/uvicorn-standard, seaborn/seaborn-base).

import { type At, type BuildCtx, mo, nums, type Variant, vs, type World } from './model.ts';
import { calver, type Dep, hist, pyMin, type Simple, simple } from './recipes.ts';

type Deps = (c: BuildCtx) => readonly Dep[];

const OS_BUILD: Readonly<Record<string, string>> = { unix: 'pyh707e725', win: 'pyh7428d3b', linux: 'pyh3099207', osx: 'pyh57ce528' };
const OS_VIRTUAL: Readonly<Record<string, string>> = { unix: '__unix', win: '__win', linux: '__linux', osx: '__osx' };

/** Split builds per OS from a month on (`__unix` and `__win` builds of one version). */
function splitFrom(from: string, oses: readonly string[] = ['unix', 'win']): (m: number) => readonly Variant[] {
  const start = mo(from);
  return (m) => (m >= start ? oses.map((os) => ({ os })) : [{}]);
}

const osBuild = (c: BuildCtx, _h: string, bn: number): string => `${c.variant.os ? OS_BUILD[c.variant.os] : 'pyhd8ed1ab'}_${bn}`;
const osDep = (c: BuildCtx): Dep => (c.variant.os ? OS_VIRTUAL[c.variant.os] : undefined);

export function buildNoarch(w: World): void {
  const n = (name: string, versions: string | readonly At[], deps?: Deps, extra: Partial<Simple> = {}): void => {
    w.build(simple({ name, kind: 'noarch', versions, deps, ...extra }));
  };
  const split = (name: string, versions: string | readonly At[], from: string, deps: Deps, perOs: Readonly<Record<string, readonly Dep[]>> = {}, extra: Partial<Simple> = {}): void => {
    w.build(simple({
      name, kind: 'noarch', versions, variants: splitFrom(from, Object.keys(perOs).length > 0 ? Object.keys(perOs) : ['unix', 'win']),
      build: osBuild, deps: (c) => [osDep(c), ...deps(c), ...(c.variant.os ? perOs[c.variant.os] ?? [] : [])], ...extra,
    }));
  };

  // --- basics ---------------------------------------------------------------------------------------
  n('pip', hist('19.3', '25.0', 30, '2019.10', '2025.01'), () => ['setuptools', 'wheel'], { license: 'MIT' });
  n('setuptools', hist('41.4.0', '75.8.0', 40, '2019.10', '2025.01'), undefined, { license: 'MIT' });
  n('wheel', hist('0.33.6', '0.45.1', 12, '2019.10', '2024.11'), undefined, { license: 'MIT' });
  n('six', '1.12.0@2019.10 1.13.0@2019.11 1.14.0@2020.01 1.15.0@2020.05 1.16.0@2021.05 1.17.0@2024.12', undefined, { license: 'MIT' });
  n('python-dateutil', '2.8.0@2019.10 2.8.1@2019.11 2.8.2@2021.07 2.9.0@2024.03', () => ['six >=1.5'], { license: 'Apache-2.0' });
  n('pytz', '2019.3@2019.10 2020.1@2020.05 2020.4@2020.11 2021.1@2021.02 2021.3@2021.10 2022.1@2022.03 2022.7@2022.12 2023.3@2023.03 2023.4@2024.01 2024.1@2024.02 2024.2@2024.09 2025.1@2025.01', undefined, { license: 'MIT' });
  n('python-tzdata', '2022.1@2022.03 2022.7@2022.12 2023.3@2023.04 2023.4@2023.12 2024.1@2024.01 2024.2@2024.09 2025.1@2025.01 2025.2@2025.03', undefined, { license: 'Apache-2.0' });
  n('joblib', hist('0.14.0', '1.4.2', 20, '2019.10', '2024.05'), () => ['setuptools']);
  n('threadpoolctl', '2.0.0@2019.11 2.1.0@2020.05 2.2.0@2021.07 3.0.0@2021.10 3.1.0@2022.01 3.2.0@2023.07 3.3.0@2024.02 3.4.0@2024.03 3.5.0@2024.04 3.6.0@2025.03');
  n('cycler', '0.10.0@2019.10 0.11.0@2021.10 0.12.0@2023.09 0.12.1@2023.10', (c) => [c.at('<0.11') && 'six']);
  n('pyparsing', hist('2.4.2', '3.2.1', 20, '2019.10', '2024.12'), undefined, { license: 'MIT' });
  n('packaging', '19.2@2019.10 20.1@2020.01 20.4@2020.05 20.9@2021.01 21.0@2021.07 21.3@2021.11 22.0@2022.12 23.0@2023.01 23.1@2023.04 23.2@2023.10 24.0@2024.03 24.1@2024.06 24.2@2024.11', (c) => [
    c.at('<22') && 'pyparsing >=2.0.2,!=3.0.5', c.at('<21') && 'six',
  ], { license: 'Apache-2.0' });
  n('munkres', '1.1.2@2019.10 1.1.4@2020.08', undefined, { license: 'Apache-2.0' });
  n('certifi', calver('2019.11', '2025.01', 2, 'y.m.d'), undefined, { license: 'ISC' });
  n('charset-normalizer', hist('2.0.0', '3.4.1', 25, '2021.07', '2024.12'), undefined, { license: 'MIT' });
  n('chardet', '3.0.4@2019.10 4.0.0@2020.12 5.1.0@2022.12 5.2.0@2023.08', undefined, { license: 'LGPL-2.1-only' });
  n('idna', '2.8@2019.10 2.9@2020.02 2.10@2020.06 3.1@2021.01 3.2@2021.06 3.3@2021.10 3.4@2022.09 3.6@2023.11 3.7@2024.04 3.10@2024.09', undefined, { license: 'BSD-3-Clause' });
  n('pysocks', '1.7.1@2019.10', undefined, { license: 'BSD-3-Clause' });
  const urllib3Deps: Deps = (c) => [c.at('>=1.26') && 'brotli-python >=1.0.9', c.at('>=1.26') && 'pysocks >=1.5.6,<2.0,!=1.5.7'];
  n('urllib3', hist('1.25.6', '1.26.20', 25, '2019.10', '2024.08'), urllib3Deps, { id: 'urllib3-1', license: 'MIT' });
  n('urllib3', '2.0.4@2023.07 2.0.7@2023.10 2.1.0@2023.11 2.2.1@2024.02 2.2.2@2024.06 2.2.3@2024.09 2.3.0@2024.12', urllib3Deps, { id: 'urllib3-2', license: 'MIT' });
  n('requests', '2.22.0@2019.10 2.23.0@2020.02 2.24.0@2020.06 2.25.1@2020.12 2.26.0@2021.07 2.27.1@2022.01 2.28.1@2022.06 2.28.2@2023.01 2.31.0@2023.05 2.32.2@2024.05 2.32.3@2024.05', (c) => [
    'certifi >=2017.4.17',
    c.at('<2.26') ? 'chardet >=3.0.2,<5' : c.at('<2.28') ? 'charset-normalizer >=2.0.0,<2.1.0' : c.at('<2.28.2') ? 'charset-normalizer >=2,<3' : 'charset-normalizer >=2,<4',
    c.at('<2.26') ? 'idna >=2.5,<3' : 'idna >=2.5,<4',
    c.at('<2.25') ? 'urllib3 >=1.21.1,<1.26,!=1.25.0,!=1.25.1' : c.at('<2.30') ? 'urllib3 >=1.21.1,<1.27' : 'urllib3 >=1.21.1,<3',
  ], { cons: (c) => [c.at('>=2.28') && 'chardet >=3.0.2,<6'], license: 'Apache-2.0' });
  const te = vs('3.7.4.1@2019.11 3.7.4.2@2020.04 3.7.4.3@2020.08 3.10.0.0@2021.05 3.10.0.2@2021.09 4.0.0@2021.11 4.0.1@2021.12 4.1.1@2022.02 4.2.0@2022.04 4.3.0@2022.07 4.4.0@2022.10 4.5.0@2023.02 4.6.0@2023.05 4.6.3@2023.06 4.7.0@2023.06 4.7.1@2023.07 4.8.0@2023.09 4.9.0@2023.12 4.10.0@2024.02 4.11.0@2024.04 4.12.0@2024.06 4.12.2@2024.06');
  w.build(simple({
    name: 'typing_extensions', kind: 'noarch', versions: te, license: 'PSF-2.0', licenseFamily: 'PSF',
    more: [{ name: 'typing-extensions', noarch: 'python', build: (_c, _h, bn) => `hd8ed1ab_${bn}`, depends: (c) => [c.sib('typing_extensions')], license: 'PSF-2.0' }],
  }));
  n('colorama', '0.4.1@2019.10 0.4.3@2019.12 0.4.4@2020.10 0.4.5@2022.06 0.4.6@2022.10');

  // --- jinja, click, rich, tqdm ----------------------------------------------------------------------
  n('jinja2', '2.10.3@2019.10 2.11.2@2020.04 2.11.3@2021.01 3.0.1@2021.05 3.0.3@2021.11 3.1.2@2022.04 3.1.3@2024.01 3.1.4@2024.05 3.1.5@2024.12 3.1.6@2025.03', (c) => [
    c.at('<3') ? 'markupsafe >=0.23' : 'markupsafe >=2.0',
  ]);
  split('click', '7.0@2019.10 7.1.1@2020.03 7.1.2@2020.04 8.0.1@2021.05 8.0.3@2021.10 8.0.4@2022.02 8.1.3@2022.04 8.1.6@2023.07 8.1.7@2023.08 8.1.8@2024.12', '2022.04', () => [], { unix: [], win: ['colorama'] });
  n('tqdm', hist('4.36.1', '4.67.1', 50, '2019.10', '2024.11'), () => ['colorama'], { license: 'MPL-2.0 or MIT' });
  n('commonmark', '0.9.1@2019.10');
  n('mdurl', '0.1.0@2022.01 0.1.2@2022.08', undefined, { license: 'MIT' });
  n('markdown-it-py', '1.1.0@2021.05 2.0.1@2022.01 2.1.0@2022.04 2.2.0@2023.02 3.0.0@2023.06', (c) => [c.at('>=2') && 'mdurl >=0.1,<1'], { license: 'MIT' });
  n('pygments', hist('2.4.2', '2.19.1', 20, '2019.10', '2025.01'), undefined, { license: 'BSD-2-Clause' });
  n('rich', hist('6.0.0', '13.9.4', 60, '2020.08', '2024.11'), (c) => c.at('<12.6') ? [
    'commonmark >=0.9.0,<0.10.0', 'pygments >=2.6.0,<3.0.0', 'typing_extensions >=3.7.4,<5.0.0', 'colorama >=0.4.0,<0.5.0',
  ] : [c.at('<13.3') ? 'markdown-it-py >=2.1.0' : 'markdown-it-py >=2.2.0', 'pygments >=2.13.0,<3.0.0', 'typing_extensions >=4.0.0,<5.0.0'], { license: 'MIT' });
  n('shellingham', '1.5.0@2022.09 1.5.4@2023.10', undefined, { license: 'ISC' });
  n('typer', '0.12.3@2024.04 0.12.5@2024.08 0.13.1@2024.11 0.15.1@2024.12', () => ['click >=8.0.0', 'rich >=10.11.0', 'shellingham >=1.3.0', 'typing-extensions >=3.7.4.3'], { license: 'MIT' });

  // --- web: anyio, starlette, fastapi, uvicorn, httpx ------------------------------------------------
  n('sniffio', '1.1.0@2019.10 1.2.0@2020.10 1.3.0@2022.09 1.3.1@2024.02');
  n('exceptiongroup', '1.0.0@2022.10 1.1.0@2022.12 1.1.3@2023.08 1.2.0@2023.11 1.2.2@2024.07', undefined, { license: 'MIT' });
  n('anyio', '2.0.2@2020.10 3.0.0@2021.04 3.1.0@2021.05 3.3.4@2021.10 3.5.0@2022.01 3.6.2@2022.10 3.7.1@2023.07 4.0.0@2023.08 4.2.0@2023.12 4.4.0@2024.06 4.6.2@2024.10 4.8.0@2025.01', (c) => [
    'idna >=2.8', 'sniffio >=1.1', c.at('>=4') && 'exceptiongroup >=1.0.2', c.at('>=4') && 'typing_extensions >=4.1',
  ], { license: 'MIT' });
  const starlette = hist('0.12.9', '0.45.3', 50, '2019.10', '2025.01');
  n('starlette', starlette, (c) => [
    c.at('>=0.15,<0.27') && 'anyio >=3.0.0,<4', c.at('>=0.27') && 'anyio >=3.4.0,<5', c.at('>=0.37') && 'typing_extensions >=3.10.0',
  ], { license: 'BSD-3-Clause' });
  n('h11', '0.8.1@2019.10 0.9.0@2019.11 0.12.0@2021.01 0.13.0@2022.01 0.14.0@2022.09', undefined, { license: 'MIT' });
  n('httpcore', '0.15.0@2022.05 0.17.3@2023.07 1.0.2@2023.11 1.0.5@2024.03 1.0.7@2024.11', (c) => [
    c.at('<1') && 'anyio >=3.0,<5.0', 'certifi', 'h11 >=0.13,<0.15', c.at('<1') && 'sniffio 1.*',
  ]);
  n('httpx', '0.23.0@2022.05 0.24.1@2023.05 0.25.2@2023.11 0.26.0@2023.12 0.27.2@2024.08 0.28.1@2024.12', (c) => [
    'anyio', 'certifi', c.at('<0.25') ? 'httpcore >=0.15.0,<0.18.0' : 'httpcore 1.*', 'idna', 'sniffio',
  ]);
  n('python-multipart', '0.0.5@2019.10 0.0.6@2023.02 0.0.9@2024.02 0.0.20@2024.12', undefined, { license: 'Apache-2.0' });
  n('dnspython', '1.16.0@2019.10 2.0.0@2020.07 2.2.1@2022.03 2.4.2@2023.08 2.6.1@2024.02 2.7.0@2024.10', undefined, { license: 'ISC' });
  n('email_validator', '1.1.0@2020.04 1.3.1@2023.01 2.0.0@2023.04 2.1.1@2024.02 2.2.0@2024.06', () => ['dnspython >=2.0.0', 'idna >=2.0.0'], { license: 'Unlicense' });
  n('python-dotenv', '0.10.3@2019.10 0.15.0@2020.10 0.19.2@2021.11 0.21.0@2022.09 1.0.0@2023.02 1.0.1@2024.01');
  const uvicorn = hist('0.10.8', '0.34.0', 55, '2019.11', '2024.12');
  const uvicornOut = (c: BuildCtx): Dep[] => ['click >=7.0', 'h11 >=0.8', c.at('>=0.20') && 'typing_extensions >=4.0', osDep(c)];
  w.build({
    id: 'uvicorn', kind: 'noarch', versions: uvicorn, license: 'BSD-3-Clause', variants: splitFrom('2022.11'),
    outputs: [
      { name: 'uvicorn', build: (c, _h, bn) => `${c.variant.os === 'win' ? 'pyh5737063' : c.variant.os === 'unix' ? 'pyh31011fe' : 'pyhd8ed1ab'}_${bn}`, depends: (c) => [pyMin(uvicorn[c.vi]!.m), ...uvicornOut(c)] },
      {
        name: 'uvicorn-standard', when: (c) => c.at('>=0.15'),
        build: (c, _h, bn) => `${c.variant.os === 'win' ? 'h5737063' : c.variant.os === 'unix' ? 'h31011fe' : 'hd8ed1ab'}_${bn}`,
        depends: (c) => [
          c.sib('uvicorn'), 'httptools >=0.5.0', 'python-dotenv >=0.13', 'pyyaml >=5.1', c.variant.os !== 'win' && 'uvloop >=0.14.0,!=0.15.0,!=0.15.1',
          'watchfiles >=0.13', 'websockets >=10.4', c.variant.os === 'win' && 'colorama >=0.4', osDep(c),
        ],
      },
    ],
  });
  n('fastapi-cli', '0.0.4@2024.05 0.0.5@2024.08 0.0.7@2024.12', () => ['typer >=0.12.3', 'uvicorn-standard >=0.15.0'], { license: 'MIT' });
  const fastapi = hist('0.44.0', '0.115.8', 60, '2019.11', '2025.02');
  n('fastapi', fastapi, (c) => {
    const s = latestAt(starlette, fastapi[c.vi]!.m);
    const [a = 0, bb = 0] = nums(s);
    return [
      `starlette >=${a}.${bb}.0,<${a}.${bb + 2}.0`,
      c.at('<0.100') ? 'pydantic >=1.6.2,!=1.7,!=1.7.1,!=1.7.2,!=1.7.3,!=1.8,!=1.8.1,<2.0.0' : 'pydantic >=1.7.4,!=1.8,!=1.8.1,!=2.0.0,!=2.0.1,!=2.1.0,<3.0.0',
      c.at('<0.100') ? 'typing_extensions >=4.5.0' : 'typing_extensions >=4.8.0',
      ...(c.at('>=0.112') ? ['fastapi-cli >=0.0.5', 'httpx >=0.23.0', 'jinja2 >=2.11.2', 'python-multipart >=0.0.7', 'email_validator >=2.0.0', 'uvicorn-standard >=0.12.0'] : []),
    ];
  }, { license: 'MIT' });
  n('annotated-types', '0.5.0@2023.05 0.6.0@2023.10 0.7.0@2024.05', () => ['typing-extensions >=4.0.0'], { license: 'MIT' });
  const coreFor: Readonly<Record<string, string>> = {
    '2.0': '2.0.1', '2.0.3': '2.3.0', '2.1.1': '2.4.0', '2.3.0': '2.6.3', '2.4.2': '2.10.1', '2.5.3': '2.14.6', '2.6.4': '2.16.3',
    '2.7.4': '2.18.4', '2.8.2': '2.20.1', '2.9.2': '2.23.4', '2.10.4': '2.27.2', '2.10.6': '2.27.2',
  };
  n('pydantic', '2.0@2023.06 2.0.3@2023.07 2.1.1@2023.07 2.3.0@2023.08 2.4.2@2023.09 2.5.3@2023.12 2.6.4@2024.03 2.7.4@2024.06 2.8.2@2024.07 2.9.2@2024.09 2.10.4@2024.12 2.10.6@2025.01', (c) => [
    c.at('<2.6') ? 'annotated-types >=0.4.0' : 'annotated-types >=0.6.0', `pydantic-core ==${coreFor[c.v]}`,
    c.at('<2.10') ? 'typing-extensions >=4.6.1' : 'typing-extensions >=4.12.2',
  ], { id: 'pydantic-2', license: 'MIT' });

  // --- testing and tooling ---------------------------------------------------------------------------
  n('attrs', hist('19.3.0', '24.3.0', 15, '2019.10', '2024.12'), undefined, { license: 'MIT' });
  n('iniconfig', '1.0.1@2020.07 1.1.1@2020.10 2.0.0@2023.01', undefined, { license: 'MIT' });
  n('pluggy', '0.13.0@2019.10 0.13.1@2019.11 1.0.0@2021.08 1.2.0@2023.06 1.3.0@2023.08 1.4.0@2024.01 1.5.0@2024.04', undefined, { license: 'MIT' });
  n('py', '1.8.0@2019.10 1.8.1@2019.12 1.9.0@2020.06 1.10.0@2020.12 1.11.0@2021.11', undefined, { license: 'MIT' });
  n('more-itertools', '7.2.0@2019.10 8.0.2@2019.12 8.4.0@2020.06 8.12.0@2021.11 9.1.0@2023.03 10.5.0@2024.09', undefined, { license: 'MIT' });
  n('toml', '0.10.0@2019.10 0.10.1@2020.05 0.10.2@2020.11', undefined, { license: 'MIT' });
  n('tomli', '1.0.4@2021.06 1.2.2@2021.10 2.0.1@2022.02 2.0.2@2024.10 2.2.1@2024.11', undefined, { license: 'MIT' });
  n('wcwidth', '0.1.7@2019.10 0.2.5@2020.06 0.2.6@2023.01 0.2.13@2024.01', undefined, { license: 'MIT' });
  n('pytest', hist('5.2.1', '8.3.4', 45, '2019.10', '2024.12'), (c) => {
    if (c.at('<6')) return ['attrs >=17.4.0', 'more-itertools >=4.0.0', 'packaging', 'pluggy >=0.12,<1.0', 'py >=1.5.0', 'wcwidth', 'colorama'];
    if (c.at('<7')) return ['attrs >=19.2.0', 'iniconfig', 'packaging', c.at('<6.2') ? 'pluggy >=0.12,<1.0' : 'pluggy >=0.12,<2.0', 'py >=1.8.2', 'toml', 'colorama'];
    if (c.at('<8')) return [c.at('<7.2') && 'attrs >=19.2.0', 'iniconfig', 'packaging', 'pluggy >=0.12,<2.0', c.at('<7.2') && 'py >=1.8.2', 'tomli >=1.0.0', c.at('>=7.2') && 'exceptiongroup >=1.0.0rc8', 'colorama'];
    return ['iniconfig', 'packaging', c.at('<8.2') ? 'pluggy >=1.3.0,<2.0' : 'pluggy >=1.5,<2', 'tomli >=1', 'exceptiongroup >=1.0.0rc8', 'colorama'];
  }, { cons: () => ['pytest-faulthandler >=2'], license: 'MIT' });
  n('appdirs', '1.4.3@2019.10 1.4.4@2020.05', undefined, { license: 'MIT' });
  n('mypy_extensions', '0.4.3@2019.10 0.4.4@2023.02 1.0.0@2023.02', undefined, { license: 'MIT' });
  n('pathspec', '0.6.0@2019.10 0.8.1@2020.11 0.9.0@2021.07 0.10.3@2022.12 0.11.2@2023.07 0.12.1@2023.12', undefined, { license: 'MPL-2.0' });
  n('platformdirs', hist('2.0.0', '4.3.6', 25, '2021.07', '2024.09'), undefined, { license: 'MIT' });
  n('black', '19.10b0@2019.10 20.8b1@2020.08 21.5b2@2021.06 21.12b0@2021.12 22.1.0@2022.01 22.3.0@2022.03 22.6.0@2022.06 22.8.0@2022.08 22.10.0@2022.10 22.12.0@2022.12 23.1.0@2023.02 23.3.0@2023.04 23.7.0@2023.07 23.9.1@2023.09 23.10.1@2023.10 23.11.0@2023.11 23.12.1@2023.12 24.1.1@2024.01 24.2.0@2024.02 24.3.0@2024.03 24.4.2@2024.05 24.8.0@2024.08 24.10.0@2024.10 25.1.0@2025.01', (c) => (c.at('<22') ? [
    'appdirs', 'attrs >=18.1.0', 'click >=7.1.2', 'mypy_extensions >=0.4.3', 'pathspec >=0.6,<1', 'regex >=2020.1.8', 'toml >=0.10.1', 'typing_extensions >=3.7.4',
  ] : [
    'click >=8.0.0', 'mypy_extensions >=0.4.3', c.at('>=23.1') && 'packaging >=22.0', 'pathspec >=0.9.0', 'platformdirs >=2', 'tomli >=1.1.0',
    c.at('<23') ? 'typing_extensions >=3.10.0.0' : 'typing_extensions >=4.0.1',
  ]), { license: 'MIT' });

  // --- science: sympy, networkx, xarray, seaborn, statsmodels' patsy ---------------------------------
  n('mpmath', '1.1.0@2019.10 1.2.1@2021.02 1.3.0@2023.03');
  split('sympy', '1.4@2019.10 1.5@2019.12 1.5.1@2019.12 1.6@2020.07 1.6.2@2020.08 1.7@2020.11 1.7.1@2020.12 1.8@2021.04 1.9@2021.10 1.10@2022.03 1.10.1@2022.03 1.11@2022.08 1.11.1@2022.08 1.12@2023.05 1.12.1@2024.05 1.13.0@2024.07 1.13.1@2024.07 1.13.2@2024.08 1.13.3@2024.09', '2023.05', (c) => [
    c.at('<1.12') ? 'mpmath >=0.19' : 'mpmath >=1.1.0,<1.4',
  ], { unix: ['gmpy2 >=2.0.8'], win: [] });
  n('decorator', '4.4.0@2019.10 4.4.1@2019.11 4.4.2@2020.02 5.0.9@2021.05 5.1.0@2021.09 5.1.1@2022.01');
  n('networkx', '2.4@2019.10 2.5@2020.08 2.5.1@2021.03 2.6.2@2021.07 2.6.3@2021.09 2.7.1@2022.03 2.8.4@2022.06 2.8.8@2022.11 3.0@2023.01 3.1@2023.04 3.2@2023.10 3.2.1@2023.10 3.3@2024.04 3.4@2024.10 3.4.2@2024.10', (c) => [
    c.at('<2.6') && 'decorator >=4.3.0',
  ], { python: (c) => (c.at('>=3.3') ? 'python >=3.10' : c.at('>=3.2') ? 'python >=3.9' : 'python >=3.8') });
  n('patsy', '0.5.1@2019.10 0.5.2@2021.09 0.5.3@2022.10 0.5.4@2023.11 0.5.6@2024.01 1.0.1@2024.11', (c) => ['numpy >=1.4', c.at('<1') && 'six']);
  n('xarray', '0.14.0@2019.10 0.15.1@2020.03 0.16.2@2020.11 0.17.0@2021.02 0.18.2@2021.05 0.19.0@2021.07 0.20.2@2021.12 2022.3.0@2022.03 2022.6.0@2022.06 2022.11.0@2022.11 2023.1.0@2023.01 2023.6.0@2023.06 2023.12.0@2023.12 2024.3.0@2024.03 2024.6.0@2024.06 2024.9.0@2024.09 2024.11.0@2024.11 2025.1.2@2025.02', (c) => {
    const eras: [string, string, string][] = [
      ['<0.16', 'numpy >=1.14', 'pandas >=0.24'], ['<0.19', 'numpy >=1.15', 'pandas >=0.25'], ['<2022', 'numpy >=1.18', 'pandas >=1.1'],
      ['<2022.6', 'numpy >=1.19', 'pandas >=1.2'], ['<2023', 'numpy >=1.20', 'pandas >=1.3'], ['<2023.12', 'numpy >=1.21', 'pandas >=1.4'],
      ['<2024', 'numpy >=1.22', 'pandas >=1.4'], ['<2024.9', 'numpy >=1.23', 'pandas >=1.5'], ['>=2024.9', 'numpy >=1.24', 'pandas >=2.1'],
    ];
    const [, np, pd] = eras.find(([spec]) => c.at(spec))!;
    return [np, pd, c.at('<2023') && 'setuptools >=40.4', c.at('>=0.20') && (c.at('<2024') ? 'packaging >=21.3' : 'packaging >=23.2')];
  }, { license: 'Apache-2.0', python: (c) => (c.at('>=2024.9') ? 'python >=3.10' : pyMin(c.m)) });
  const seaborn = vs('0.9.0@2019.10 0.10.0@2020.01 0.10.1@2020.04 0.11.0@2020.09 0.11.1@2020.12 0.11.2@2021.08 0.12.0@2022.09 0.12.1@2022.10 0.12.2@2022.12 0.13.0@2023.09 0.13.1@2023.12 0.13.2@2024.01');
  w.build({
    id: 'seaborn', kind: 'noarch', versions: seaborn,
    outputs: [
      {
        name: 'seaborn-base', depends: (c) => [
          pyMin(seaborn[c.vi]!.m), c.at('<0.12') ? 'matplotlib-base >=2.1.2' : 'matplotlib-base >=3.4,!=3.6.1',
          c.at('<0.12') ? 'numpy >=1.13.3' : 'numpy >=1.20,!=1.24.0', c.at('<0.12') ? 'pandas >=0.23' : 'pandas >=1.2', c.at('<0.12') && 'scipy >=1.0.1',
        ],
      },
      {
        name: 'seaborn', build: (_c, _h, bn) => `hd8ed1ab_${bn}`,
        depends: (c) => [c.sib('seaborn-base'), c.at('<0.12') ? 'statsmodels >=0.8.0' : 'statsmodels >=0.12', c.at('>=0.12') && 'scipy >=1.7'],
      },
    ],
  });

  // --- plotting ---------------------------------------------------------------------------------------
  n('xyzservices', '2021.9.1@2021.09 2022.9.0@2022.09 2023.10.1@2023.10 2024.9.0@2024.09 2025.1.0@2025.01');
  n('bokeh', '1.4.0@2019.11 2.0.2@2020.04 2.1.1@2020.06 2.2.3@2020.10 2.3.3@2021.07 2.4.2@2021.11 2.4.3@2022.05 3.0.3@2022.12 3.1.1@2023.05 3.2.2@2023.08 3.3.4@2024.01 3.4.1@2024.04 3.4.2@2024.06 3.4.3@2024.07 3.5.2@2024.08 3.6.2@2024.11 3.6.3@2025.02', (c) => {
    if (c.at('<2')) return ['jinja2 >=2.7', 'numpy >=1.7.1', 'packaging >=16.8', 'pillow >=4.0', 'python-dateutil >=2.1', 'pyyaml >=3.10', 'six >=1.5.2', 'tornado >=4.3'];
    if (c.at('<3')) return ['jinja2 >=2.9', 'numpy >=1.11.3', 'packaging >=16.8', 'pillow >=7.1.0', 'python-dateutil >=2.1', 'pyyaml >=3.10', 'tornado >=5.1', 'typing_extensions >=3.7.4'];
    return [c.at('<3.4') ? 'contourpy >=1' : 'contourpy >=1.2', 'jinja2 >=2.9', 'numpy >=1.16', 'packaging >=16.8', 'pandas >=1.2', 'pillow >=7.1.0', 'pyyaml >=3.10', 'tornado >=6.2', 'xyzservices >=2021.09.1'];
  });
  n('retrying', '1.3.3@2019.10', () => ['six >=1.7.0'], { license: 'Apache-2.0' });
  n('tenacity', '6.2.0@2020.05 8.0.1@2021.07 8.2.3@2023.08 8.5.0@2024.07 9.0.0@2024.07', undefined, { license: 'Apache-2.0' });
  n('narwhals', hist('1.0.0', '1.26.0', 30, '2024.07', '2025.02'), undefined, { license: 'MIT' });
  n('plotly', hist('4.1.1', '6.0.0', 50, '2019.10', '2025.01'), (c) => (c.at('<5') ? ['retrying >=1.3.3', 'six'] : c.at('<6') ? ['tenacity >=6.2.0', 'packaging'] : ['narwhals >=1.15.1', 'packaging']), { license: 'MIT' });
  n('entrypoints', '0.3@2019.10 0.4@2022.02', undefined, { license: 'MIT' });
  n('toolz', '0.10.0@2019.10 0.11.1@2020.09 0.11.2@2021.11 0.12.0@2022.07 0.12.1@2024.01 1.0.0@2024.10');
  n('rfc3339-validator', '0.1.4@2021.05', () => ['six'], { license: 'MIT' });
  n('rfc3986-validator', '0.1.1@2019.10', undefined, { license: 'MIT' });
  n('fqdn', '1.5.1@2021.03', undefined, { license: 'MPL-2.0' });
  n('types-python-dateutil', '2.8.19.14@2023.08 2.9.0.20241206@2024.12', undefined, { license: 'Apache-2.0 AND MIT' });
  n('arrow', '0.15.5@2020.01 1.2.3@2022.09 1.3.0@2023.09', (c) => ['python-dateutil >=2.7.0', c.at('>=1.3') && 'types-python-dateutil >=2.8.10'], { license: 'Apache-2.0' });
  n('isoduration', '20.11.0@2020.11', () => ['arrow >=0.15.0'], { license: 'ISC' });
  n('jsonpointer', '2.0@2019.10 2.4@2023.06 3.0.0@2024.06');
  n('uri-template', '1.3.0@2023.06', undefined, { license: 'MIT' });
  n('webcolors', '1.11.1@2020.03 1.13@2023.04 24.6.0@2024.06 24.11.1@2024.11');
  n('referencing', '0.28.4@2023.06 0.30.2@2023.08 0.35.1@2024.05 0.36.2@2025.01', (c) => ['attrs >=22.2.0', 'rpds-py >=0.7.0', c.at('>=0.36') && 'typing_extensions >=4.4.0'], { license: 'MIT' });
  n('jsonschema-specifications', '2023.6.1@2023.06 2023.7.1@2023.07 2023.12.1@2023.12 2024.10.1@2024.10', (c) => [c.at('<2023.12') ? 'referencing >=0.28.0' : 'referencing >=0.31.0'], { license: 'MIT' });
  const jsonschema = vs('3.0.2@2019.10 3.2.0@2019.11 4.2.1@2021.11 4.4.0@2022.01 4.9.1@2022.08 4.17.3@2022.12 4.18.4@2023.07 4.19.2@2023.11 4.21.1@2024.01 4.23.0@2024.07');
  w.build({
    id: 'jsonschema', kind: 'noarch', versions: jsonschema, license: 'MIT',
    outputs: [
      {
        name: 'jsonschema', depends: (c) => {
          const base = [pyMin(jsonschema[c.vi]!.m)];
          if (c.at('<4')) return [...base, 'attrs >=17.4.0', 'pyrsistent >=0.14.0', 'setuptools', 'six >=1.11.0'];
          if (c.at('<4.18')) return [...base, 'attrs >=17.4.0', 'pyrsistent >=0.14.0,!=0.17.0,!=0.17.1,!=0.17.2'];
          return [...base, 'attrs >=22.2.0', 'jsonschema-specifications >=2023.03.6', 'referencing >=0.28.4', 'rpds-py >=0.7.1'];
        },
      },
      {
        name: 'jsonschema-with-format-nongpl', when: (c) => c.at('>=4'), build: (_c, _h, bn) => `hd8ed1ab_${bn}`,
        depends: (c) => [
          c.sib('jsonschema'), 'fqdn', 'idna', 'isoduration', 'jsonpointer >1.13', 'rfc3339-validator', 'rfc3986-validator >0.1.0', 'uri-template',
          c.at('>=4.23') ? 'webcolors >=24.6.0' : 'webcolors >=1.11',
        ],
      },
    ],
  });
  n('altair', '4.0.0@2019.12 4.1.0@2020.04 4.2.0@2021.12 4.2.2@2023.01 5.0.1@2023.05 5.1.2@2023.10 5.2.0@2023.11 5.3.0@2024.03 5.4.1@2024.08 5.5.0@2024.11', (c) => {
    if (c.at('<5')) return ['entrypoints', 'jinja2', 'jsonschema >=3.0', 'numpy', 'pandas >=0.18', 'toolz'];
    if (c.at('<5.5')) return ['jinja2', 'jsonschema >=3.0', 'numpy', 'pandas >=0.25', 'toolz', c.at('>=5.3') ? 'typing_extensions >=4.10.0' : 'typing_extensions >=4.0.1', c.at('>=5.3') && 'packaging'];
    return ['jinja2', 'jsonschema >=3.0', 'narwhals >=1.14.2', 'packaging', 'typing_extensions >=4.10.0'];
  });

  // --- web scraping, AWS ------------------------------------------------------------------------------
  n('soupsieve', '1.9.4@2019.10 2.0.1@2020.05 2.2.1@2021.03 2.3.2@2022.04 2.4.1@2023.04 2.5@2023.08 2.6@2024.08', undefined, { license: 'MIT' });
  n('beautifulsoup4', '4.8.1@2019.10 4.9.3@2020.10 4.10.0@2021.09 4.11.1@2022.04 4.11.2@2023.01 4.12.2@2023.04 4.12.3@2024.01 4.13.3@2025.02', (c) => [
    'soupsieve >1.2', c.at('>=4.13') && 'typing-extensions >=4.0.0',
  ], { license: 'MIT' });
  n('jmespath', '0.9.4@2019.10 0.10.0@2020.05 1.0.0@2022.03 1.0.1@2022.06', undefined, { license: 'MIT' });
  const s3transfer = vs('0.2.1@2019.10 0.3.3@2020.02 0.4.2@2021.04 0.5.2@2022.02 0.6.2@2023.08 0.7.0@2023.09 0.8.2@2023.12 0.9.0@2023.12 0.10.4@2024.11 0.11.2@2025.01');
  const aws: { boto3: At[]; botocore: At[] } = { boto3: [], botocore: [] };
  const releases = 120;
  let lastMinor = -1;
  let patch = 0;
  for (let j = 0; j < releases; j++) {
    const m = Math.floor((j * mo('2025.02')) / (releases - 1));
    const minor = 10 + Math.floor((j * 27) / releases);
    patch = minor === lastMinor ? patch + 1 : 0;
    lastMinor = minor;
    aws.boto3.push({ v: `1.${minor}.${patch}`, m });
    aws.botocore.push({ v: `1.${minor + 3}.${patch}`, m });
  }
  n('s3transfer', s3transfer, (c) => [c.at('<0.8') ? 'botocore >=1.12.36,<2.0a.0' : 'botocore >=1.33.0,<2.0a.0'], { license: 'Apache-2.0' });
  n('botocore', aws.botocore, (c) => [
    'jmespath >=0.7.1,<2.0.0', 'python-dateutil >=2.1,<3.0.0',
    aws.botocore[c.vi]!.m < mo('2023.10') ? 'urllib3 >=1.25.4,<1.27' : 'urllib3 >=1.25.4,!=2.2.0,<3',
  ], { license: 'Apache-2.0' });
  n('boto3', aws.boto3, (c) => {
    const [, minor = 0, p = 0] = nums(c.v);
    const s = latestAt(s3transfer, aws.boto3[c.vi]!.m);
    const sm = nums(s)[1] ?? 0;
    return [`botocore >=1.${minor + 3}.${p},<1.${minor + 4}.0`, c.m < mo('2022.03') ? 'jmespath >=0.7.1,<1.0.0' : 'jmespath >=0.7.1,<2.0.0', `s3transfer >=0.${sm}.0,<0.${sm + 1}.0`];
  }, { license: 'Apache-2.0' });

  // --- dask and distributed -----------------------------------------------------------------------------
  n('cloudpickle', '1.2.2@2019.10 1.3.0@2020.02 1.6.0@2020.09 2.0.0@2021.09 2.2.1@2023.01 3.0.0@2023.10 3.1.0@2024.10 3.1.1@2025.01');
  n('fsspec', [...vs('0.5.2@2019.10 0.6.0@2019.11 0.7.4@2020.05 0.8.0@2020.07'), ...calver('2021.01', '2025.02', 2)]);
  n('locket', '0.2.0@2019.10 1.0.0@2022.04');
  n('partd', '1.0.0@2019.10 1.1.0@2019.12 1.2.0@2021.04 1.3.0@2022.08 1.4.1@2023.10 1.4.2@2024.05', () => ['locket', 'toolz']);
  n('zipp', hist('0.6.0', '3.21.0', 25, '2019.10', '2024.11'), undefined, { license: 'MIT' });
  n('importlib-metadata', hist('0.23', '8.6.1', 30, '2019.10', '2025.01'), (c) => [c.at('<8.5') ? 'zipp >=0.5' : 'zipp >=3.20'], { license: 'Apache-2.0' });
  n('sortedcontainers', '2.1.0@2019.10 2.2.2@2020.05 2.3.0@2020.11 2.4.0@2021.05', undefined, { license: 'Apache-2.0' });
  n('tblib', '1.4.0@2019.10 1.6.0@2019.12 1.7.0@2020.07 2.0.0@2023.06 3.0.0@2023.10');
  n('heapdict', '1.0.1@2019.10');
  n('zict', '1.0.0@2019.10 2.0.0@2020.02 2.1.0@2022.03 2.2.0@2022.04 3.0.0@2023.04', (c) => [c.at('<3') && 'heapdict']);
  const dask = [...hist('2.6.0', '2.30.0', 13, '2019.10', '2020.10'), ...calver('2020.12', '2025.02', 1)];
  const daskPin = (name: string, v: string): string => {
    const [a = 0, bb = 0, cc = 0] = nums(v);
    return `${name} >=${v},<${a}.${bb}.${cc + 1}.0a0`;
  };
  w.build({
    id: 'dask', kind: 'noarch', versions: dask,
    outputs: [
      {
        name: 'dask-core', depends: (c) => {
          const py = pyMin(dask[c.vi]!.m);
          if (c.at('<2021')) return [py, 'cloudpickle >=0.2.2', 'fsspec >=0.6.0', 'partd >=0.3.10', 'pyyaml', 'toolz >=0.8.2'];
          if (c.at('<2023.4')) return [py, 'click >=7.0', 'cloudpickle >=1.1.1', 'fsspec >=0.6.0', 'packaging >=20.0', 'partd >=0.3.10', 'pyyaml >=5.3.1', 'toolz >=0.8.2'];
          return [
            py, c.at('<2024') ? 'click >=8.0' : 'click >=8.1', c.at('<2024') ? 'cloudpickle >=1.5.0' : 'cloudpickle >=3.0.0', 'fsspec >=2021.09.0',
            'importlib-metadata >=4.13.0', 'packaging >=20.0', c.at('<2024') ? 'partd >=1.2.0' : 'partd >=1.4.0', 'pyyaml >=5.3.1', 'toolz >=0.10.0',
          ];
        },
        constrains: () => ['openssl !=1.1.1e'],
      },
      {
        name: 'distributed', depends: (c) => [
          pyMin(dask[c.vi]!.m), c.at('<2021') ? 'click >=6.6' : 'click >=8.0', c.at('<2024') ? 'cloudpickle >=1.5.0' : 'cloudpickle >=3.0.0',
          c.at('<2022') ? 'cytoolz >=0.10.1' : 'cytoolz >=0.11.2', daskPin('dask-core', c.v), c.at('>=2022') && 'jinja2 >=2.10.3',
          c.at('>=2022.6') && 'locket >=1.0.0', c.at('<2021') ? 'msgpack-python >=0.6.0' : 'msgpack-python >=1.0.0', 'packaging >=20.0',
          c.at('<2022') ? 'psutil >=5.0' : 'psutil >=5.7.2', 'pyyaml >=5.3.1', 'sortedcontainers >=2.0.5', 'tblib >=1.6.0', 'toolz >=0.10.0',
          c.at('<2022') ? 'tornado >=6.0.3' : 'tornado >=6.2.0', 'urllib3 >=1.24.3',
          c.at('<2022') ? 'zict >=0.1.4' : c.at('<2023.4') ? 'zict >=2.2.0' : 'zict >=3.0.0',
        ],
        constrains: () => ['openssl !=1.1.1e'],
      },
      {
        name: 'dask', depends: (c) => [
          pyMin(dask[c.vi]!.m), daskPin('dask-core', c.v), daskPin('distributed', c.v),
          c.at('<2022.12') ? 'bokeh >=1.0.0,!=2.0.0' : c.at('<2024') ? 'bokeh >=2.4.2,!=3.0.*' : 'bokeh >=3.1.0',
          c.at('<2022') ? 'cytoolz >=0.8.2' : 'cytoolz >=0.11.0', c.at('<2022') ? 'jinja2' : 'jinja2 >=2.10.3', c.at('>=2024') && 'lz4 >=4.3.2',
          c.at('<2022') ? 'numpy >=1.18' : c.at('<2024.6') ? 'numpy >=1.21' : 'numpy >=1.24',
          c.at('<2022') ? 'pandas >=0.25.0' : c.at('<2024') ? 'pandas >=1.3' : 'pandas >=2.0',
          c.at('>=2023.4') && (c.at('<2024') ? 'pyarrow >=7.0' : 'pyarrow >=14.0.1'),
        ],
        constrains: () => ['openssl !=1.1.1e'],
      },
    ],
  });

  // --- jupyter ----------------------------------------------------------------------------------------
  n('ipython_genutils', '0.2.0@2019.10');
  n('traitlets', '4.3.3@2019.10 5.0.5@2020.10 5.1.1@2021.10 5.3.0@2022.06 5.9.0@2023.01 5.14.1@2024.01 5.14.3@2024.04', (c) => (c.at('<5') ? ['decorator', 'ipython_genutils', 'six'] : []));
  n('backcall', '0.1.0@2019.10 0.2.0@2020.06');
  n('pickleshare', '0.7.5@2019.10', undefined, { license: 'MIT' });
  n('ptyprocess', '0.6.0@2019.10 0.7.0@2020.12', undefined, { license: 'ISC' });
  n('pexpect', '4.7.0@2019.10 4.8.0@2020.01 4.9.0@2023.11', () => ['ptyprocess >=0.5'], { license: 'ISC' });
  n('parso', '0.5.1@2019.10 0.5.2@2019.12 0.7.0@2020.04 0.8.1@2020.12 0.8.3@2021.11 0.8.4@2024.04', undefined, { license: 'MIT' });
  n('jedi', hist('0.15.1', '0.19.2', 10, '2019.10', '2024.11'), (c) => [c.at('<0.18') ? 'parso >=0.5.2' : 'parso >=0.8.3,<0.9.0'], { license: 'Apache-2.0 AND MIT' });
  n('prompt-toolkit', [...vs('2.0.10@2019.10'), ...hist('3.0.0', '3.0.50', 35, '2020.01', '2025.01')], () => ['wcwidth']);
  n('matplotlib-inline', '0.1.2@2021.03 0.1.6@2022.08 0.1.7@2024.04', () => ['traitlets']);
  n('asttokens', '2.0.5@2021.05 2.4.1@2023.10 3.0.0@2024.11', undefined, { license: 'Apache-2.0' });
  n('executing', '0.8.3@2022.03 1.2.0@2022.10 2.0.1@2023.10 2.1.0@2024.09', undefined, { license: 'MIT' });
  n('pure_eval', '0.2.2@2022.01 0.2.3@2024.07', undefined, { license: 'MIT' });
  n('stack_data', '0.2.0@2022.02 0.6.2@2022.12 0.6.3@2023.09', () => ['asttokens', 'executing', 'pure_eval'], { license: 'MIT' });
  split('ipython', hist('7.9.0', '8.32.0', 45, '2019.10', '2025.01'), '2022.01', (c) => (c.at('<8') ? [
    'backcall', 'decorator', c.at('<7.17') ? 'jedi >=0.10' : 'jedi >=0.16', 'pickleshare', 'prompt-toolkit >=2.0.0,<3.1.0,!=3.0.0,!=3.0.1', 'pygments',
    c.at('<7.23') ? 'traitlets >=4.2' : 'traitlets >=5', c.at('>=7.23') && 'matplotlib-inline', 'setuptools >=18.5', 'pexpect >4.3',
  ] : [
    'decorator', 'jedi >=0.16', 'matplotlib-inline', c.at('<8.18') ? 'prompt-toolkit >=3.0.30,<3.1.0,!=3.0.37' : 'prompt-toolkit >=3.0.41,<3.1.0',
    'pygments >=2.4.0', 'stack_data', c.at('<8.18') ? 'traitlets >=5' : 'traitlets >=5.13.0', c.at('>=8.24') && 'typing_extensions >=4.6',
    c.at('<8.17') && 'pickleshare', c.at('<8.17') && 'backcall',
  ]), { unix: ['pexpect >4.3'], win: ['colorama'] });
  n('nest-asyncio', '1.2.0@2019.10 1.4.3@2020.11 1.5.4@2021.12 1.5.6@2022.09 1.5.8@2023.09 1.6.0@2024.01', undefined, { license: 'BSD-2-Clause' });
  n('comm', '0.1.2@2022.12 0.1.4@2023.08 0.2.1@2024.01 0.2.2@2024.03', (c) => [c.at('<0.2') ? 'traitlets >=5.3' : 'traitlets >=4']);
  split('jupyter_core', '4.6.1@2019.10 4.7.1@2021.01 4.9.2@2022.02 5.1.3@2023.01 5.3.1@2023.06 5.7.2@2024.03', '2023.01', (c) => (c.at('<5') ? ['traitlets'] : ['platformdirs >=2.5', 'traitlets >=5.3']));
  n('jupyter_client', '5.3.4@2019.10 6.1.7@2020.08 6.1.12@2021.03 7.0.6@2021.10 7.4.9@2022.12 8.0.3@2023.02 8.6.0@2023.11 8.6.3@2024.09', (c) => {
    if (c.at('<7')) return ['jupyter_core >=4.6.0', 'python-dateutil >=2.1', 'pyzmq >=13', 'tornado >=4.1', 'traitlets'];
    if (c.at('<8')) return ['entrypoints', 'jupyter_core >=4.9.2', 'nest-asyncio >=1.5.4', 'python-dateutil >=2.8.2', 'pyzmq >=23.0', 'tornado >=6.0', 'traitlets'];
    return ['importlib-metadata >=4.8.3', 'jupyter_core >=4.12,!=5.0.*', 'python-dateutil >=2.8.2', 'pyzmq >=23.0', 'tornado >=6.2', 'traitlets >=5.3'];
  });
  split('ipykernel', '5.1.3@2019.10 5.3.4@2020.07 5.5.5@2021.05 6.4.1@2021.09 6.9.1@2022.02 6.15.1@2022.07 6.19.4@2022.12 6.25.2@2023.09 6.28.0@2023.12 6.29.3@2024.02 6.29.5@2024.07', '2021.09', (c) => (c.at('<6') ? [
    'ipython >=5.0.0', 'jupyter_client', 'tornado >=4.2', 'traitlets >=4.1.0',
  ] : [
    c.at('>=6.19') && 'comm >=0.1.1', c.at('<6.19') ? 'debugpy >=1.0' : 'debugpy >=1.6.5', 'ipython >=7.23.1',
    c.at('<6.20') ? 'jupyter_client >=6.1.12' : 'jupyter_client >=8.0.0', c.at('>=6.19') && 'jupyter_core >=4.12,!=5.0.*',
    'matplotlib-inline >=0.1', 'nest-asyncio', 'packaging', 'psutil', c.at('<6.19') ? 'pyzmq >=17' : 'pyzmq >=24', 'tornado >=6.1',
    c.at('<6.19') ? 'traitlets >=5.1.0' : 'traitlets >=5.4.0',
  ]), { linux: [], osx: [], win: [] });
  n('webencodings', '0.5.1@2019.10');
  n('bleach', '3.1.0@2019.10 3.3.0@2021.02 4.1.0@2021.08 5.0.1@2022.07 6.0.0@2023.01 6.1.0@2023.10 6.2.0@2024.10', (c) => [c.at('<6') && 'six >=1.9.0', 'webencodings', c.at('>=4,<6') && 'packaging'], { license: 'Apache-2.0' });
  n('tinycss2', '1.1.1@2021.11 1.2.1@2022.10 1.3.0@2024.04 1.4.0@2024.10', () => ['webencodings >=0.4']);
  n('bleach-with-css', '6.1.0@2023.10 6.2.0@2024.10', (c) => [`bleach ${c.v}.*`, 'tinycss2 >=1.1.0,<1.5'], { license: 'Apache-2.0' });
  n('defusedxml', '0.6.0@2019.10 0.7.1@2021.03', undefined, { license: 'PSF-2.0' });
  n('jupyterlab_pygments', '0.1.2@2020.09 0.2.2@2022.04 0.3.0@2023.11', (c) => [c.at('<0.3') && 'pygments >=2.4.1,<3']);
  n('mistune', '0.8.4@2019.10 2.0.5@2023.02 3.0.2@2023.10 3.1.1@2025.01');
  n('pandocfilters', '1.4.2@2019.10 1.5.0@2021.09 1.5.1@2024.01');
  n('testpath', '0.4.4@2019.10 0.6.0@2022.02', undefined, { license: 'MIT' });
  n('fastjsonschema', '2.15.3@2022.01 2.19.1@2023.12 2.21.1@2024.12');
  n('nbformat', '4.4.0@2019.10 5.1.3@2021.04 5.7.3@2023.01 5.9.2@2023.07 5.10.4@2024.04', (c) => (c.at('<5') ? [
    'ipython_genutils', 'jsonschema >=2.4,!=2.5.0', 'jupyter_core', 'traitlets >=4.1',
  ] : [c.at('>=5.2') && 'fastjsonschema >=2.15', 'jsonschema >=2.6', c.at('>=5.7') ? 'jupyter_core >=4.12,!=5.0.*' : 'jupyter_core', 'traitlets >=5.1']));
  n('nbclient', '0.5.13@2022.03 0.7.4@2023.04 0.8.0@2023.05 0.10.0@2024.03 0.10.2@2024.12', () => ['jupyter_client >=6.1.12', 'jupyter_core >=4.12,!=5.0.*', 'nbformat >=5.1', 'traitlets >=5.4']);
  n('nbconvert-core', '5.6.1@2019.10 6.0.7@2020.10 6.4.5@2022.03 7.2.9@2023.01 7.8.0@2023.08 7.14.2@2024.01 7.16.4@2024.05 7.16.6@2025.01', (c) => (c.at('<7') ? [
    'bleach', 'defusedxml', 'entrypoints >=0.2.2', 'jinja2 >=2.4', 'jupyter_core', 'jupyterlab_pygments', 'mistune >=0.8.1,<2',
    c.at('>=6') && 'nbclient >=0.5.0,<0.6.0', 'nbformat >=4.4', 'pandocfilters >=1.4.1', 'pygments >=2.4.1', 'testpath', 'traitlets >=5.0',
  ] : [
    'beautifulsoup4', c.at('<7.16.5') ? 'bleach !=5.0.0' : 'bleach-with-css !=5.0.0', 'defusedxml', 'jinja2 >=3.0', 'jupyter_core >=4.7', 'jupyterlab_pygments',
    'markupsafe >=2.0', 'mistune >=2.0.3,<4', 'nbclient >=0.5.0', 'nbformat >=5.7', 'packaging', 'pandocfilters >=1.4.1', 'pygments >=2.4.1',
    c.at('<7.16.5') && 'tinycss2', 'traitlets >=5.1',
  ]));
  n('prometheus_client', '0.7.1@2019.10 0.13.1@2022.01 0.17.1@2023.07 0.20.0@2024.02 0.21.1@2024.12', undefined, { license: 'Apache-2.0' });
  split('send2trash', '1.5.0@2019.10 1.8.0@2021.08 1.8.2@2023.05 1.8.3@2024.04', '2021.08', () => [], { linux: [], osx: [], win: [] });
  split('terminado', '0.8.3@2019.11 0.9.4@2021.04 0.13.3@2022.03 0.17.1@2022.11 0.18.1@2024.03', '2022.03', () => ['ptyprocess', 'tornado >=6.1.0'], { linux: [], osx: [] });
  n('argon2-cffi', '19.1.0@2019.10 21.1.0@2021.09 21.3.0@2021.12 23.1.0@2023.08', (c) => (c.at('<21') ? ['cffi >=1.0.0', 'six'] : ['argon2-cffi-bindings']), { license: 'MIT' });
  n('overrides', '7.3.1@2023.02 7.4.0@2023.04 7.7.0@2024.01', undefined, { license: 'Apache-2.0' });
  n('websocket-client', '0.57.0@2019.12 1.2.3@2021.12 1.5.1@2023.02 1.7.0@2023.12 1.8.0@2024.04', undefined, { license: 'Apache-2.0' });
  n('python-json-logger', '2.0.1@2020.10 2.0.7@2023.02 3.2.1@2024.12');
  n('jupyter_events', '0.6.3@2023.02 0.9.0@2023.11 0.10.0@2024.03 0.12.0@2025.02', (c) => [
    c.at('<0.7') ? 'jsonschema-with-format-nongpl >=3.2.0' : 'jsonschema-with-format-nongpl >=4.18.0', 'python-json-logger >=2.0.4', 'pyyaml >=5.3',
    c.at('>=0.7') && 'referencing', 'rfc3339-validator', 'rfc3986-validator >=0.1.1', 'traitlets >=5.3', c.at('>=0.11') && 'packaging',
  ]);
  n('jupyter_server_terminals', '0.4.4@2023.01 0.5.3@2024.03', () => ['terminado >=0.8.3']);
  n('jupyter_server', '1.4.1@2021.03 1.13.5@2022.01 1.23.4@2022.12 2.4.0@2023.03 2.7.3@2023.09 2.12.5@2024.01 2.14.2@2024.07 2.15.0@2024.12', (c) => (c.at('<2') ? [
    'anyio >=3.1.0,<4', 'argon2-cffi', 'jinja2', 'jupyter_client >=6.1.1', 'jupyter_core >=4.6.0', 'nbconvert-core', 'nbformat', 'prometheus_client',
    'pyzmq >=17', 'send2trash', 'terminado >=0.8.3', 'tornado >=6.1.0', 'traitlets >=5', 'websocket-client',
  ] : [
    'anyio >=3.1.0', 'argon2-cffi >=21.1', 'jinja2 >=3.0.3', 'jupyter_client >=7.4.4', 'jupyter_core >=4.12,!=5.0.*', 'jupyter_events >=0.9.0',
    'jupyter_server_terminals >=0.4.4', 'nbconvert-core >=6.4.4', 'nbformat >=5.3.0', 'overrides >=5.0', 'packaging >=22.0', 'prometheus_client >=0.9',
    'pyzmq >=24', 'send2trash >=1.8.2', 'terminado >=0.8.3', 'tornado >=6.2.0', 'traitlets >=5.6.0', 'websocket-client >=1.7',
  ]));
  n('babel', '2.7.0@2019.10 2.9.1@2021.05 2.11.0@2022.11 2.12.1@2023.02 2.14.0@2023.12 2.16.0@2024.07 2.17.0@2025.02', (c) => [c.at('<2.12') && 'pytz >=2015.7']);
  n('json5', '0.8.5@2019.10 0.9.6@2021.07 0.9.14@2023.06 0.9.25@2024.04 0.10.0@2024.11', undefined, { license: 'Apache-2.0' });
  n('jupyterlab_server', '1.0.6@2019.10 1.2.0@2020.07 2.10.3@2022.01 2.16.3@2022.11 2.19.0@2023.01 2.22.1@2023.04 2.24.0@2023.07 2.25.2@2023.11 2.27.1@2024.04 2.27.3@2024.07', (c) => (c.at('<2') ? [
    'jinja2 >=2.10', 'json5', 'jsonschema >=3.0.1', 'notebook >=4.2.0', 'requests',
  ] : [
    'babel >=2.10', 'jinja2 >=3.0.3', 'json5 >=0.9.0', c.at('<2.25') ? 'jsonschema >=3.0.1' : 'jsonschema >=4.18', 'jupyter_server >=1.21,<3',
    'packaging >=21.3', c.at('<2.25') ? 'requests' : 'requests >=2.31',
  ]));
  n('jupyter-lsp', '2.0.1@2023.04 2.2.5@2024.04', () => ['importlib-metadata >=4.8.3', 'jupyter_server >=1.1.2']);
  n('notebook-shim', '0.2.2@2022.12 0.2.4@2024.02', () => ['jupyter_server >=1.8,<3']);
  n('async-lru', '2.0.4@2023.07', () => ['typing_extensions >=4.0.0'], { license: 'MIT' });
  n('notebook', '6.0.2@2019.10 6.1.6@2020.12 6.4.12@2022.06 6.5.4@2023.04 7.0.8@2024.02 7.2.2@2024.08 7.3.2@2024.12', (c) => (c.at('<7') ? [
    'argon2-cffi', 'ipykernel', 'ipython_genutils', 'jinja2', 'jupyter_client >=5.3.4', 'jupyter_core >=4.6.1', 'nbconvert-core >=5', 'nbformat',
    'nest-asyncio >=1.5', 'prometheus_client', 'pyzmq >=17', 'send2trash >=1.8.0', 'terminado >=0.8.3', 'tornado >=6.1', 'traitlets >=4.2.1',
  ] : [
    'jupyter_server >=2.4.0,<3', c.at('<7.1') ? 'jupyterlab >=4.0.2,<4.1' : c.at('<7.3') ? 'jupyterlab >=4.2.0,<4.3' : 'jupyterlab >=4.3.4,<4.4',
    'jupyterlab_server >=2.27.1,<3', 'notebook-shim >=0.2,<0.3', 'tornado >=6.2.0',
  ]));
  n('jupyterlab', '1.2.1@2019.10 2.1.5@2020.06 2.2.9@2020.10 3.0.16@2021.05 3.2.9@2022.02 3.4.8@2022.09 3.5.3@2023.01 3.6.3@2023.04 4.0.5@2023.08 4.0.9@2023.11 4.1.2@2024.02 4.1.8@2024.04 4.2.5@2024.08 4.3.4@2024.12 4.3.5@2025.02', (c) => {
    if (c.at('<3')) return ['jinja2 >=2.10', 'jupyterlab_server >=1.1.5,<2.0', 'notebook >=4.3.1', 'tornado !=6.0.0,!=6.0.1,!=6.0.2'];
    if (c.at('<4')) return ['ipython', 'jinja2 >=2.1', 'jupyter_core', 'jupyter_server >=1.16,<3', 'jupyterlab_server >=2.10,<3', 'notebook <7', 'packaging', 'tomli', 'tornado >=6.1.0'];
    return [
      'async-lru >=1.0.0', c.at('>=4.1') && 'httpx >=0.25.0', 'importlib-metadata >=4.8.3', c.at('>=4.1') ? 'ipykernel >=6.5.0' : 'ipykernel',
      'jinja2 >=3.0.3', 'jupyter-lsp >=2.0.0', 'jupyter_core', 'jupyter_server >=2.4.0,<3',
      c.at('<4.2') ? 'jupyterlab_server >=2.19.0,<3' : 'jupyterlab_server >=2.27.1,<3', 'notebook-shim >=0.2', 'packaging',
      c.at('>=4.2') && 'setuptools >=40.1.0', 'tomli >=1.2.2', 'tornado >=6.2.0', 'traitlets',
    ];
  });
  n('cached-property', '1.5.1@2019.10 1.5.2@2020.09');
  n('pycparser', '2.19@2019.10 2.20@2020.03 2.21@2021.11 2.22@2024.03');
}

/** The newest version released by a month. */
function latestAt(versions: readonly At[], m: number): string {
  let best = versions[0]!.v;
  for (const at of versions) if (at.m <= m) best = at.v;
  return best;
}
