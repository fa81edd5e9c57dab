// Tests for core/timing: span nesting (sync and concurrent async), errors, counters, manual spans,
// the exported document's shape, the disabled tracer, and summarize()/formatSummary() arithmetic.
// Every time value comes from an injected fake clock, so nothing here depends on real timing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Tracer,
  TIMING_SCHEMA,
  TIMING_SCHEMA_VERSION,
  formatSummary,
  summarize,
  type TimingDocument,
  type TimingSpan,
} from '../../core/timing/index.ts';

/** A clock that only moves when told to. */
function fakeClock(start = 1000): { clock: () => number; advance: (ms: number) => void } {
  let now = start;
  return {
    clock: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

function byName(doc: TimingDocument, name: string): TimingSpan {
  const found = doc.spans.filter((span) => span.name === name);
  assert.equal(found.length, 1, `expected exactly one span named ${name}`);
  return found[0]!;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Tracer.span nesting', () => {
  it('nests synchronous spans and times them with the injected clock', () => {
    const { clock, advance } = fakeClock();
    const tracer = new Tracer({ clock });
    advance(5);
    const result = tracer.span('root', () => {
      advance(1);
      tracer.span('a', () => {
        advance(2);
        tracer.span('b', () => advance(3));
        advance(4);
      });
      tracer.span('c', () => advance(10));
      return 42;
    });
    assert.equal(result, 42);
    tracer.span('after', () => advance(1));

    const doc = tracer.toJSON();
    assert.deepEqual(
      doc.spans.map((s) => [s.id, s.parent, s.name, s.startMs, s.durationMs, s.status]),
      [
        [0, null, 'root', 5, 20, 'ok'],
        [1, 0, 'a', 6, 9, 'ok'],
        [2, 1, 'b', 8, 3, 'ok'],
        [3, 0, 'c', 15, 10, 'ok'],
        [4, null, 'after', 25, 1, 'ok'],
      ],
    );
    assert.equal(doc.totalMs, 26);
  });

  it('passes the span to the callback so it can add attributes', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    tracer.span(
      'download',
      (span) => {
        span.setAttribute('bytes', 10).addAttributes({ cached: false, mirror: undefined });
        span.setAttribute('bytes', 20);
      },
      { package: 'numpy', mirror: undefined },
    );
    assert.deepEqual(tracer.toJSON().spans[0]!.attributes, { package: 'numpy', bytes: 20, cached: false });
  });

  it('keeps concurrent async children under the right parent (Promise.all)', async () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    const gates = [deferred(), deferred(), deferred()];

    const running = tracer.span('fetch', () =>
      Promise.all(
        ['conda-forge', 'bioconda', 'defaults'].map((channel, i) =>
          tracer.span(
            'fetch.channel',
            async (span) => {
              await gates[i]!.promise;
              // Started after an await, while the other channels are in flight:
              tracer.span('parse', () => span.setAttribute('parsed', true), { channel });
              await sleep(1);
              await tracer.span('write', async () => channel.length, { channel });
              return channel;
            },
            { channel },
          ),
        ),
      ),
    );
    // Release in an order different from start order, moving the clock in between.
    advance(10);
    gates[2]!.resolve();
    advance(10);
    gates[0]!.resolve();
    advance(10);
    gates[1]!.resolve();
    const results = await running;
    assert.deepEqual(results, ['conda-forge', 'bioconda', 'defaults']);

    const doc = tracer.toJSON();
    const fetch = byName(doc, 'fetch');
    const channels = doc.spans.filter((s) => s.name === 'fetch.channel');
    assert.equal(channels.length, 3);
    for (const channelSpan of channels) {
      assert.equal(channelSpan.parent, fetch.id);
      const channel = channelSpan.attributes.channel;
      const children = doc.spans.filter((s) => s.parent === channelSpan.id);
      assert.deepEqual(
        children.map((s) => [s.name, s.attributes.channel]),
        [
          ['parse', channel],
          ['write', channel],
        ],
        `children of ${String(channel)}`,
      );
      assert.equal(channelSpan.attributes.parsed, true);
    }
    assert.equal(fetch.parent, null);
    assert.ok(doc.spans.every((s) => s.status === 'ok'));
  });

  it('ends an async span when its promise settles, not when the callback returns', async () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    const gate = deferred();
    const running = tracer.span('solve', async () => {
      await gate.promise;
      return 'solved';
    });
    advance(7);
    assert.equal(tracer.toJSON().spans[0]!.status, 'open');
    gate.resolve();
    assert.equal(await running, 'solved');
    assert.deepEqual([tracer.toJSON().spans[0]!.durationMs, tracer.toJSON().spans[0]!.status], [7, 'ok']);
  });

  it('attaches work scheduled inside a span (timers) to that span, and nothing after it', async () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    await tracer.span('outer', async () => {
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          tracer.span('in-timer', () => {});
          resolve();
        }, 1),
      );
    });
    tracer.span('top', () => {});
    const doc = tracer.toJSON();
    assert.equal(byName(doc, 'in-timer').parent, byName(doc, 'outer').id);
    assert.equal(byName(doc, 'top').parent, null);
  });

  it('keeps two tracers apart', () => {
    const first = new Tracer({ clock: fakeClock().clock });
    const second = new Tracer({ clock: fakeClock().clock });
    first.span('one', () => second.span('two', () => first.span('three', () => {})));
    assert.deepEqual(
      first.toJSON().spans.map((s) => [s.name, s.parent]),
      [
        ['one', null],
        ['three', 0],
      ],
    );
    assert.deepEqual(
      second.toJSON().spans.map((s) => [s.name, s.parent]),
      [['two', null]],
    );
  });

  it('lets a span name an explicit parent, or none', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    const install = tracer.start('install');
    tracer.span('other', () => {
      tracer.span('link', () => {}, undefined, { parent: install });
      tracer.span('detached', () => {}, undefined, { parent: null });
    });
    install.end();
    const doc = tracer.toJSON();
    assert.equal(byName(doc, 'link').parent, install.id);
    assert.equal(byName(doc, 'detached').parent, null);
  });
});

describe('errors', () => {
  it('marks a throwing span as error and re-throws the same error', () => {
    const { clock, advance } = fakeClock();
    const tracer = new Tracer({ clock });
    const boom = new Error('no such package: nunpy');
    assert.throws(
      () =>
        tracer.span('solve', () => {
          tracer.span('inner', () => {
            advance(3);
            throw boom;
          });
        }),
      (error) => error === boom,
    );
    const doc = tracer.toJSON();
    for (const name of ['solve', 'inner']) {
      const span = byName(doc, name);
      assert.equal(span.status, 'error');
      assert.equal(span.error, 'no such package: nunpy');
      assert.equal(span.durationMs, 3);
    }
  });

  it('marks a rejected async span as error and re-throws the same error', async () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    class DownloadError extends Error {
      override name = 'DownloadError';
    }
    const failure = new DownloadError('HTTP 404');
    await assert.rejects(
      tracer.span('download', async () => {
        await sleep(1);
        throw failure;
      }),
      (error) => error === failure,
    );
    await assert.rejects(
      tracer.span('odd', () => Promise.reject('plain string')),
      (error) => error === 'plain string',
    );
    const doc = tracer.toJSON();
    assert.deepEqual(
      doc.spans.map((s) => [s.name, s.status, s.error]),
      [
        ['download', 'error', 'DownloadError: HTTP 404'],
        ['odd', 'error', 'plain string'],
      ],
    );
  });

  it('leaves a span that the callback already ended as it was', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    assert.throws(() =>
      tracer.span('cache', (span) => {
        span.fail(new TypeError('corrupt entry'));
        throw new Error('later error');
      }),
    );
    assert.equal(tracer.toJSON().spans[0]!.error, 'TypeError: corrupt entry');
  });
});

describe('counters', () => {
  it('adds up named counters, default delta 1, ignoring non-finite deltas', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    tracer.counter('cache.hits');
    tracer.counter('download.bytes', 1000);
    tracer.counter('cache.hits');
    tracer.counter('download.bytes', 24);
    tracer.counter('download.bytes', Number.NaN);
    tracer.counter('download.bytes', Infinity);
    tracer.counter('retries', 0);
    assert.deepEqual(tracer.toJSON().counters, { 'cache.hits': 2, 'download.bytes': 1024, retries: 0 });
    assert.deepEqual(Object.keys(tracer.toJSON().counters), ['cache.hits', 'download.bytes', 'retries']);
  });
});

describe('manual spans', () => {
  it('take the current span as parent and end when told to', () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    let unpack = tracer.start('placeholder');
    tracer.span('install', () => {
      advance(1);
      unpack = tracer.start('unpack', { package: 'python' });
      advance(2);
    });
    assert.equal(unpack.isOpen, true);
    advance(5);
    unpack.setAttribute('files', 3);
    unpack.end();
    advance(100);
    unpack.end(); // second end: no change
    unpack.fail(new Error('too late')); // after end: no change
    unpack.setAttribute('late', 'yes'); // attributes may still be added
    assert.equal(unpack.isOpen, false);

    const span = byName(tracer.toJSON(), 'unpack');
    assert.deepEqual(span, {
      id: unpack.id,
      parent: byName(tracer.toJSON(), 'install').id,
      name: 'unpack',
      startMs: 1,
      durationMs: 7,
      attributes: { package: 'python', files: 3, late: 'yes' },
      status: 'ok',
    });
  });

  it('accept an explicit parent and do not become the current span', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    const fetch = tracer.start('fetch');
    const channel = tracer.start('fetch.channel', { channel: 'conda-forge' }, { parent: fetch });
    tracer.span('not-under-fetch', () => {});
    channel.fail(new Error('timeout'));
    fetch.end();
    const doc = tracer.toJSON();
    assert.deepEqual(
      doc.spans.map((s) => [s.name, s.parent, s.status]),
      [
        ['fetch', null, 'ok'],
        ['fetch.channel', 0, 'error'],
        ['not-under-fetch', null, 'ok'],
      ],
    );
  });

  it('refuse a parent from another tracer', () => {
    const tracer = new Tracer();
    const foreign = new Tracer().start('foreign');
    assert.throws(() => tracer.start('child', undefined, { parent: foreign }), /another tracer/);
    assert.throws(() => tracer.start('child', undefined, { parent: Tracer.disabled().start('x') }), /another tracer/);
  });
});

describe('exported document', () => {
  it('has the documented shape and survives a JSON round trip', () => {
    const { clock, advance } = fakeClock(0);
    const before = Date.now();
    const tracer = new Tracer({ clock });
    tracer.span('fetch', () => advance(1.23456789), { url: 'https://conda.anaconda.org', ratio: Number.NaN });
    assert.throws(() =>
      tracer.span('solve', () => {
        throw new Error('conflict');
      }),
    );
    tracer.counter('solves');
    tracer.start('install', { packages: 3 });
    advance(2);
    const doc = tracer.toJSON();

    assert.deepEqual(Object.keys(doc), ['schema', 'version', 'startedAt', 'totalMs', 'spans', 'counters']);
    assert.equal(doc.schema, TIMING_SCHEMA);
    assert.equal(doc.schema, 'env-setup/timing');
    assert.equal(doc.version, TIMING_SCHEMA_VERSION);
    assert.match(doc.version, /^\d+\.\d+\.\d+$/);
    assert.equal(new Date(doc.startedAt).toISOString(), doc.startedAt);
    assert.ok(Date.parse(doc.startedAt) >= before - 1000 && Date.parse(doc.startedAt) <= Date.now() + 1000);
    assert.equal(doc.totalMs, 3.235); // rounded to microseconds

    assert.deepEqual(doc.spans, [
      {
        id: 0,
        parent: null,
        name: 'fetch',
        startMs: 0,
        durationMs: 1.235,
        attributes: { url: 'https://conda.anaconda.org', ratio: 'NaN' },
        status: 'ok',
      },
      { id: 1, parent: null, name: 'solve', startMs: 1.235, durationMs: 0, attributes: {}, status: 'error', error: 'conflict' },
      { id: 2, parent: null, name: 'install', startMs: 1.235, durationMs: null, attributes: { packages: 3 }, status: 'open' },
    ]);
    assert.ok(!('error' in doc.spans[0]!), 'error is only present on failed spans');
    assert.deepEqual(doc.counters, { solves: 1 });

    assert.deepEqual(JSON.parse(JSON.stringify(tracer)), doc);
  });

  it('copies attributes, so later changes to the caller’s object do not leak in', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    const attributes = { package: 'numpy' };
    tracer.span('x', () => {}, attributes);
    attributes.package = 'scipy';
    assert.equal(tracer.toJSON().spans[0]!.attributes.package, 'numpy');
  });

  it('is a snapshot: spans ended later show up in the next export', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    const span = tracer.start('cache');
    const first = tracer.toJSON();
    span.end();
    assert.equal(first.spans[0]!.status, 'open');
    assert.equal(tracer.toJSON().spans[0]!.status, 'ok');
  });

  it('keeps many spans (storage grows past its initial capacity)', () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    tracer.span('root', () => {
      for (let i = 0; i < 5000; i++) tracer.span('leaf', () => advance(1), { i });
    });
    const doc = tracer.toJSON();
    assert.equal(doc.spans.length, 5001);
    assert.deepEqual(doc.spans[4321], {
      id: 4321,
      parent: 0,
      name: 'leaf',
      startMs: 4320,
      durationMs: 1,
      attributes: { i: 4320 },
      status: 'ok',
    });
    assert.equal(doc.spans[0]!.durationMs, 5000);
  });
});

describe('disabled tracer', () => {
  for (const [label, make] of [
    ['Tracer.disabled()', () => Tracer.disabled()],
    ['new Tracer({ enabled: false })', () => new Tracer({ enabled: false })],
  ] as const) {
    it(`${label} runs callbacks and records nothing`, async () => {
      const tracer = make();
      assert.equal(tracer.enabled, false);
      assert.equal(
        tracer.span('x', (span) => {
          span.setAttribute('a', 1).addAttributes({ b: 2 });
          span.end();
          span.fail(new Error('ignored'));
          return 'value';
        }),
        'value',
      );
      const promise = Promise.resolve(7);
      assert.equal(tracer.span('async', () => promise), promise, 'promises are passed through untouched');
      assert.equal(await tracer.span('async', async () => 8), 8);
      const error = new Error('still thrown');
      assert.throws(() => tracer.span('x', () => { throw error; }), (e) => e === error);
      await assert.rejects(tracer.span('x', async () => { throw error; }), (e) => e === error);
      const manual = tracer.start('manual', { a: 1 });
      assert.equal(manual.id, -1);
      assert.equal(manual.isOpen, false);
      manual.end();
      tracer.counter('n', 5);

      const doc = tracer.toJSON();
      assert.equal(doc.schema, 'env-setup/timing');
      assert.deepEqual(doc.spans, []);
      assert.deepEqual(doc.counters, {});
      assert.equal(doc.totalMs, 0);
    });
  }

  it('Tracer.disabled() is shared', () => {
    assert.equal(Tracer.disabled(), Tracer.disabled());
    assert.equal(new Tracer().enabled, true);
  });
});

describe('summarize', () => {
  it('computes count, total and self time from a traced run (fake clock)', async () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    // fetch: 0..100. Two parallel downloads 10..40 and 20..60 (union 50 ms), then index 70..80.
    const fetch = tracer.start('fetch');
    advance(10);
    const d1 = tracer.start('download', { package: 'a' }, { parent: fetch });
    advance(10);
    const d2 = tracer.start('download', { package: 'b' }, { parent: fetch });
    advance(20);
    d1.end();
    advance(20);
    d2.end();
    advance(10);
    tracer.span('index', () => advance(10), undefined, { parent: fetch });
    advance(20);
    fetch.end();
    // solve: 100..130 with a nested child of the same name (recursion): solve 105..115.
    tracer.span('solve', () => {
      advance(5);
      tracer.span('solve', () => advance(10));
      advance(15);
    });
    tracer.counter('download.bytes', 2048);

    const rows = summarize(tracer.toJSON());
    assert.deepEqual(rows, [
      { name: 'fetch', count: 1, errors: 0, open: 0, totalMs: 100, selfMs: 40 },
      { name: 'download', count: 2, errors: 0, open: 0, totalMs: 70, selfMs: 70 },
      { name: 'index', count: 1, errors: 0, open: 0, totalMs: 10, selfMs: 10 },
      { name: 'solve', count: 2, errors: 0, open: 0, totalMs: 40, selfMs: 30 },
    ]);
  });

  it('clips children to the parent, counts open children until the parent ended, and skips open spans', () => {
    const span = (id: number, parent: number | null, name: string, startMs: number, durationMs: number | null, status: TimingSpan['status'] = durationMs === null ? 'open' : 'ok'): TimingSpan => ({
      id,
      parent,
      name,
      startMs,
      durationMs,
      attributes: {},
      status,
    });
    const doc: TimingDocument = {
      schema: 'env-setup/timing',
      version: '1.0.0',
      startedAt: new Date(0).toISOString(),
      totalMs: 200,
      spans: [
        span(0, null, 'install', 0, 100),
        span(1, 0, 'link', 90, 30), // outlives its parent: only 90..100 counts
        span(2, 0, 'link', 50, null), // still open: runs 50..100 as far as install is concerned
        span(3, null, 'cache', 0, 20, 'error'),
        span(4, 3, 'lock', 5, 10), // nested under an error span
        span(5, null, 'post', 150, null), // open, no time
      ],
      counters: {},
    };
    assert.deepEqual(summarize(doc), [
      { name: 'install', count: 1, errors: 0, open: 0, totalMs: 100, selfMs: 50 },
      { name: 'link', count: 2, errors: 0, open: 1, totalMs: 30, selfMs: 30 },
      { name: 'cache', count: 1, errors: 1, open: 0, totalMs: 20, selfMs: 10 },
      { name: 'lock', count: 1, errors: 0, open: 0, totalMs: 10, selfMs: 10 },
      { name: 'post', count: 1, errors: 0, open: 1, totalMs: 0, selfMs: 0 },
    ]);
  });

  it('handles an empty document', () => {
    assert.deepEqual(summarize(new Tracer({ clock: fakeClock().clock }).toJSON()), []);
  });
});

describe('formatSummary', () => {
  it('renders a per-name table and the counters', () => {
    const { clock, advance } = fakeClock(0);
    const tracer = new Tracer({ clock });
    tracer.span('fetch', () => {
      advance(2.5);
      tracer.span('fetch.channel', () => advance(10));
    });
    assert.throws(() =>
      tracer.span('solve', () => {
        advance(1000);
        throw new Error('unsatisfiable');
      }),
    );
    tracer.counter('download.bytes', 1048576);
    tracer.counter('cache.hits', 3);
    assert.equal(
      formatSummary(tracer.toJSON()),
      [
        'timing: 1012.5 ms total',
        'span           count  errors  total ms  self ms',
        'fetch              1       0      12.5      2.5',
        'fetch.channel      1       0      10.0     10.0',
        'solve              1       1    1000.0   1000.0',
        '',
        'counter           value',
        'download.bytes  1048576',
        'cache.hits            3',
        '',
      ].join('\n'),
    );
  });

  it('adds an open column only when some span is open, and says when nothing was recorded', () => {
    const tracer = new Tracer({ clock: fakeClock().clock });
    assert.equal(formatSummary(tracer.toJSON()), 'timing: 0.0 ms total\nno spans recorded\n');
    tracer.start('install');
    assert.match(formatSummary(tracer.toJSON()), /^span\s+count\s+errors\s+open\s+total ms\s+self ms$/m);
    assert.match(formatSummary(tracer.toJSON()), /^install\s+1\s+0\s+1\s+0\.0\s+0\.0$/m);
  });
});
