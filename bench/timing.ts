// Benchmark for core/timing: how many spans per second the tracer records, so we know it is cheap
// enough to leave on always. Run directly (`node bench/timing.ts`) or through run() from a bench runner.

import { performance } from 'node:perf_hooks';
import { Tracer, summarize } from '../core/timing/index.ts';

const SPANS = 1_000_000;
/** Spans per chain: each iteration records stage > step > task > leaf. */
const DEPTH = 4;

let tracer = new Tracer();

// Module-level callbacks, so the benchmark measures the tracer and not closure allocation.
function leaf(): number {
  return 1;
}
function task(): number {
  return tracer.span('leaf', leaf);
}
function step(): number {
  return tracer.span('task', task);
}
function stage(): number {
  return tracer.span('step', step);
}

function nestedSpans(target: Tracer, spans = SPANS): void {
  tracer = target;
  for (let i = 0; i < spans / DEPTH; i++) tracer.span('stage', stage);
}

function manualSpans(target: Tracer, spans = SPANS): void {
  const root = target.start('root');
  for (let i = 1; i < spans; i++) target.start('download', undefined, { parent: root }).end();
  root.end();
}

function measure(label: string, spans: number, work: () => void): void {
  const started = performance.now();
  work();
  const ms = performance.now() - started;
  const rate = Math.round(spans / (ms / 1000));
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${rate.toLocaleString('en-US').padStart(12)} spans/s`);
}

export async function run(): Promise<void> {
  // Warm up the JIT on a small tracer first.
  nestedSpans(new Tracer(), 100_000);
  manualSpans(new Tracer(), 100_000);

  const enabled = new Tracer();
  measure(`tracer.span, ${SPANS.toExponential()} spans nested ${DEPTH} deep`, SPANS, () => nestedSpans(enabled));
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

  const manual = new Tracer();
  measure(`tracer.start/end, ${SPANS.toExponential()} child spans`, SPANS, () => manualSpans(manual));

  measure(`disabled tracer.span, ${SPANS.toExponential()} spans`, SPANS, () => nestedSpans(Tracer.disabled()));

  let exported = enabled.toJSON();
  measure(`toJSON of ${exported.spans.length.toExponential()} spans`, exported.spans.length, () => {
    exported = enabled.toJSON();
  });
  measure(`summarize of ${exported.spans.length.toExponential()} spans`, exported.spans.length, () => {
    summarize(exported);
  });
  console.log(`heap used after recording ${SPANS.toExponential()} spans: ${heapMb.toFixed(0)} MB (includes uncollected garbage)`);
}

if (import.meta.main) await run();
