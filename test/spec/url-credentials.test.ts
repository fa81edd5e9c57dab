// Secrets in URLs: shown redacted, removed for identity, and non-URLs left alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl, stripCredentials } from '../../core/spec/url-credentials.ts';

test('stripCredentials removes tokens and user:password, only from URLs', () => {
  assert.equal(stripCredentials('https://user:pw@repo.example.com/t/abc-123/main/linux-64'), 'https://repo.example.com/main/linux-64');
  assert.equal(stripCredentials('https://conda.anaconda.org/t/tk/conda-forge/t/again/noarch'), 'https://conda.anaconda.org/conda-forge/noarch');
  assert.equal(stripCredentials('https://t/channel'), 'https://t/channel', 'a host named t is not a token');
  assert.equal(stripCredentials('/local/path/t/x'), '/local/path/t/x');
  assert.equal(stripCredentials('conda-forge'), 'conda-forge');
});

test('redactUrl and stripCredentials agree on what a secret is', () => {
  const url = 'https://me:secret@host.example/t/tok/chan/linux-64/x-1-0.conda';
  assert.equal(redactUrl(url), 'https://me@host.example/t/<TOKEN>/chan/linux-64/x-1-0.conda');
  assert.equal(stripCredentials(url), 'https://host.example/chan/linux-64/x-1-0.conda');
  for (const out of [redactUrl(url), stripCredentials(url)]) {
    assert.doesNotMatch(out, /secret|tok\//);
  }
});
