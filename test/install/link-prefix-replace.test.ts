// Prefix placeholders and shebangs, byte for byte as conda's portability.py rewrites them: text mode
// everywhere, binary mode NUL-padded to the same length (and an error when the prefix is longer),
// long or space-containing shebangs turned into /usr/bin/env; and the noarch: python helpers
// (target paths, .pyc names, entry point scripts and their shebangs).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InstallError } from '../../core/install/errors.ts';
import { replaceBinaryPrefix, replaceLongShebang, replaceTextPrefix, rewriteForPrefix } from '../../core/install/link-prefix-replace.ts';
import { entryPointScript, entryPointShebang, noarchPythonPath, parseEntryPoint, pycPath, pythonTarget } from '../../core/install/link-python.ts';
import { splitHasPrefixLine } from '../../core/install/link-package-info.ts';

const PH = '/opt/anaconda1anaconda2anaconda3';
const b = (s: string) => Buffer.from(s, 'latin1');

describe('text mode', () => {
  it('replaces every occurrence', () => {
    const out = replaceTextPrefix(b(`prefix=${PH}\nlibdir=${PH}/lib ${PH}`), PH, '/env');
    assert.equal(out.toString(), 'prefix=/env\nlibdir=/env/lib /env');
  });

  it('leaves data without the placeholder as it is', () => {
    const data = b('nothing here');
    assert.equal(replaceTextPrefix(data, PH, '/env'), data);
  });

  it('escapes spaces in a shebang naming the placeholder, so that the long-shebang step uses /usr/bin/env', () => {
    const out = rewriteForPrefix(b(`#!${PH}/bin/python -E\nprint("${PH}")\n`), PH, 'text', '/my env', { what: 'p', path: 'bin/x' });
    assert.equal(out.data.toString(), '#!/usr/bin/env python -E\nprint("/my env")\n');
    assert.equal(out.changed, true);
  });

  it('does not rewrite shebangs on Windows', () => {
    const out = rewriteForPrefix(b(`#!${PH}/bin/python\n`), PH, 'text', 'C:/my env', { what: 'p', path: 'x', windows: true });
    assert.equal(out.data.toString(), '#!C:/my env/bin/python\n');
  });
});

describe('binary mode', () => {
  it('pads with NULs to the old length, C string by C string', () => {
    const data = b(`\x7fELF..${PH}/lib:${PH}/lib64\0rest\0${PH}\0tail`);
    const out = replaceBinaryPrefix(data, PH, '/env');
    assert.equal(out.length, data.length);
    const pad1 = (PH.length - 4) * 2;
    const pad2 = PH.length - 4;
    assert.equal(out.toString('latin1'), `\x7fELF../env/lib:/env/lib64${'\0'.repeat(pad1)}\0rest\0/env${'\0'.repeat(pad2)}\0tail`);
  });

  it('leaves a placeholder with no NUL after it', () => {
    const data = b(`abc${PH}def`);
    assert.equal(replaceBinaryPrefix(data, PH, '/env').toString('latin1'), `abc${PH}def`);
  });

  it('refuses a prefix longer than the placeholder', () => {
    const long = '/' + 'x'.repeat(PH.length + 5);
    assert.throws(
      () => rewriteForPrefix(b(`a${PH}\0`), PH, 'binary', long, { what: 'zlib-1.0-0.conda', path: 'lib/libz.so' }),
      (e: unknown) => e instanceof InstallError && e.kind === 'placeholder-too-long' && /lib\/libz\.so/.test(e.message) && /shorter prefix/.test(e.message),
    );
  });

  it('accepts a prefix exactly as long as the placeholder', () => {
    const same = '/' + 'y'.repeat(PH.length - 1);
    assert.equal(replaceBinaryPrefix(b(`${PH}\0`), PH, same).toString('latin1'), `${same}\0`);
  });

  it("rewrites in place (the caller's own copy) to the same bytes, and says when nothing changed", () => {
    const where = { what: 'p', path: 'lib/x.so' };
    const cases: [string, string][] = [
      [`\x7fELF..${PH}/lib:${PH}/lib64\0rest\0${PH}\0tail`, '/env'],
      [`abc${PH}def`, '/env'],
      ['no placeholder here\0', '/env'],
      [`${PH}/lib\0`, PH],
      [`${PH}\0`, '/' + 'y'.repeat(PH.length - 1)],
    ];
    for (const [text, prefix] of cases) {
      const copied = rewriteForPrefix(b(text), PH, 'binary', prefix, where);
      const data = b(text);
      const inPlace = rewriteForPrefix(data, PH, 'binary', prefix, { ...where, inPlace: true });
      assert.equal(inPlace.data, data, 'the same buffer');
      assert.ok(inPlace.data.equals(copied.data), text);
      assert.equal(inPlace.changed, copied.changed, text);
    }
    const data = b(`a${PH}\0`);
    assert.equal(rewriteForPrefix(b(`a${PH}\0`), PH, 'binary', '/env', where).changed, true);
    const kept = rewriteForPrefix(data, PH, 'binary', '/env', where);
    assert.notEqual(kept.data, data, "without inPlace the caller's buffer is left alone");
    assert.equal(data.toString('latin1'), `a${PH}\0`);
  });
});

describe('long shebangs', () => {
  it('turns a shebang over 127 bytes into /usr/bin/env, keeping the options', () => {
    const long = '/' + 'd'.repeat(130) + '/bin/perl';
    const out = replaceLongShebang(b(`#!${long} -w\nprint 1;\n`));
    assert.equal(out.toString(), '#!/usr/bin/env perl -w\nprint 1;\n');
  });

  it('keeps a shebang of 127 bytes or less', () => {
    const line = '#!/' + 'd'.repeat(113) + '/bin/python';
    assert.equal(line.length, 127);
    const data = b(`${line}\nx\n`);
    assert.equal(replaceLongShebang(data), data);
  });

  it('keeps the carriage return of a CRLF file in the options', () => {
    const long = '/' + 'd'.repeat(130) + '/bin/sh';
    assert.equal(replaceLongShebang(b(`#!${long}\r\necho\r\n`)).toString(), '#!/usr/bin/env sh\r\necho\r\n');
  });

  it('leaves files without a shebang', () => {
    const data = b('x'.repeat(300));
    assert.equal(replaceLongShebang(data), data);
  });
});

describe('noarch: python helpers', () => {
  const py = pythonTarget({ version: '3.11.9' })!;

  it('finds site-packages from the version, or from CEP 17 python_site_packages_path', () => {
    assert.deepEqual(py, { version: '3.11', sitePackages: 'lib/python3.11/site-packages', executable: 'bin/python3.11' });
    assert.equal(pythonTarget({ version: '3.13.0', python_site_packages_path: 'lib/python3.13t/site-packages' })!.sitePackages, 'lib/python3.13t/site-packages');
  });

  it('maps site-packages/ and python-scripts/, and nothing else', () => {
    assert.equal(noarchPythonPath('site-packages/pkg/__init__.py', py), 'lib/python3.11/site-packages/pkg/__init__.py');
    assert.equal(noarchPythonPath('python-scripts/tool', py), 'bin/tool');
    assert.equal(noarchPythonPath('share/doc/x', py), 'share/doc/x');
  });

  it('names .pyc files as CPython does', () => {
    assert.equal(pycPath('lib/python3.11/site-packages/pkg/mod.py', '3.11'), 'lib/python3.11/site-packages/pkg/__pycache__/mod.cpython-311.pyc');
    assert.equal(pycPath('mod.py', '3.9'), '__pycache__/mod.cpython-39.pyc');
    assert.equal(pycPath('a/mod.py', '2.7'), 'a/mod.pyc');
  });

  it('reads entry points and refuses malformed ones', () => {
    assert.deepEqual(parseEntryPoint(' tool = pkg.cli:main '), { command: 'tool', module: 'pkg.cli', func: 'main' });
    assert.equal(parseEntryPoint('tool'), undefined);
    assert.equal(parseEntryPoint('../x = a:b'), undefined);
  });

  it("writes conda's entry point script", () => {
    const script = entryPointScript('/env/bin/python3.11', { command: 'tool', module: 'pkg.cli', func: 'Main.run' });
    assert.equal(
      script,
      "#!/env/bin/python3.11\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n\nfrom pkg.cli import Main\n\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n    sys.exit(Main.run())\n",
    );
  });

  it('uses a /bin/sh trampoline when the python path is too long or has spaces', () => {
    assert.equal(entryPointShebang('/my env/bin/python3.11'), `#!/bin/sh\n'''exec' "/my env/bin/python3.11" "$0" "$@"\n' '''\n`);
    assert.match(entryPointShebang('/' + 'x'.repeat(130) + '/python'), /^#!\/bin\/sh\n/);
  });
});

describe('has_prefix lines', () => {
  it('splits quoted and unquoted fields as conda does', () => {
    assert.deepEqual(splitHasPrefixLine('/opt/ph text lib/a.pc'), ['/opt/ph', 'text', 'lib/a.pc']);
    assert.deepEqual(splitHasPrefixLine('"/opt/ph" binary "lib/with space.so"'), ['/opt/ph', 'binary', 'lib/with space.so']);
    assert.deepEqual(splitHasPrefixLine('bin/script'), ['bin/script']);
  });
});
