// Network settings for fetching from channels (TLS verification, CA bundle, proxies), read from
// .condarc and the environment, and the one shared undici dispatcher built from them: a keep-alive
// Agent, or an EnvHttpProxyAgent when a proxy is set (it honours NO_PROXY), either behind the guard
// that keeps a server's closing of a paused connection from crashing the process (pause-guard.ts).

import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { SpecError } from '../spec/errors.ts';
import { guardPauses } from './pause-guard.ts';
import { loadUndici } from './undici-module.ts';

export interface NetworkSettings {
  /** Verify server certificates (conda's `ssl_verify`; `false` turns verification off). */
  sslVerify: boolean;
  /** A PEM bundle of trusted CAs that replaces the built-in ones (ssl_verify path, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE). */
  caFile?: string;
  /** Proxy for http:// URLs (proxy_servers.http, HTTP_PROXY). May hold credentials: never log it. */
  httpProxy?: string;
  /** Proxy for https:// URLs (proxy_servers.https, HTTPS_PROXY); undici sends https through httpProxy when only that is set. */
  httpsProxy?: string;
  /** Hosts that bypass the proxy (NO_PROXY). */
  noProxy?: string;
}

export interface NetworkSettingsInput {
  env: NodeJS.ProcessEnv;
  /** From .condarc (`true`, `false` or a CA bundle path). */
  sslVerify?: boolean | string;
  proxyServers?: Readonly<Record<string, string>>;
}

/**
 * Settings from .condarc values and the environment, as conda (requests) uses them: an ssl_verify
 * path wins over REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE / SSL_CERT_FILE; `proxy_servers` wins over
 * HTTP(S)_PROXY.
 */
export function networkSettings(input: NetworkSettingsInput): NetworkSettings {
  const { env } = input;
  const verify = input.sslVerify ?? true;
  const settings: NetworkSettings = { sslVerify: verify !== false };
  if (typeof verify === 'string') settings.caFile = verify;
  else if (verify) {
    const bundle = env.REQUESTS_CA_BUNDLE || env.CURL_CA_BUNDLE || env.SSL_CERT_FILE;
    if (bundle) settings.caFile = bundle;
  }
  const proxies = input.proxyServers ?? {};
  const httpProxy = proxies.http || env.HTTP_PROXY || env.http_proxy;
  const httpsProxy = proxies.https || env.HTTPS_PROXY || env.https_proxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy;
  if (httpProxy) settings.httpProxy = httpProxy;
  if (httpsProxy) settings.httpsProxy = httpsProxy;
  if (noProxy) settings.noProxy = noProxy;
  return settings;
}

export interface DispatcherOptions {
  /** Milliseconds to wait for a TCP/TLS connection. Default 10 000. */
  connectTimeoutMs?: number;
  /** Milliseconds an idle keep-alive socket stays open. Default 10 000. */
  keepAliveTimeoutMs?: number;
}

/**
 * One dispatcher for a whole run (keep-alive connections are reused across subdirs and channels).
 * The caller closes it (`await dispatcher.close()`). Reads the CA bundle, if any, now; a missing
 * bundle is a SpecError naming the file. Loads undici on the first call (undici-module.ts).
 */
export async function createDispatcher(settings: NetworkSettings = { sslVerify: true }, options: DispatcherOptions = {}): Promise<Dispatcher> {
  const tls: { rejectUnauthorized?: boolean; ca?: Buffer; timeout?: number } = {};
  if (!settings.sslVerify) tls.rejectUnauthorized = false;
  if (settings.sslVerify && settings.caFile) {
    try {
      tls.ca = readFileSync(settings.caFile);
    } catch (error) {
      throw new SpecError(`cannot read the CA bundle ${settings.caFile} (from ssl_verify, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or SSL_CERT_FILE): ${(error as Error).message}`, {
        file: settings.caFile,
        cause: error,
      });
    }
  }
  const { Agent, EnvHttpProxyAgent } = await loadUndici();
  const common = {
    connect: { ...tls, timeout: options.connectTimeoutMs ?? 10_000 },
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
  };
  if (settings.httpProxy || settings.httpsProxy) {
    // Empty strings (not undefined) so undici never falls back to process.env: the settings were already read from the injected env.
    return guardPauses(
      new EnvHttpProxyAgent({
        ...common,
        requestTls: tls,
        httpProxy: settings.httpProxy ?? '',
        httpsProxy: settings.httpsProxy ?? '',
        noProxy: settings.noProxy ?? '',
        // plain-http requests go to the proxy as absolute-form GETs (as curl and requests do); https still tunnels
        proxyTunnel: false,
      }),
    );
  }
  return guardPauses(new Agent(common));
}
