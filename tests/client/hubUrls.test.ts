import { describe, expect, it } from 'vitest';
import { parseHubAddress } from '../../common/client/hubUrls.ts';

const urls = (input: string) => {
  const u = parseHubAddress(input);
  return u && { base: u.base, ws: u.websocket, login: u.api('login') };
};

describe('parseHubAddress', () => {
  it('takes a full https address with a port', () => {
    expect(urls('https://hub.example.ru:8443/')).toEqual({
      base: 'https://hub.example.ru:8443',
      ws: 'wss://hub.example.ru:8443/ws',
      login: 'https://hub.example.ru:8443/api/v1/login',
    });
  });

  it('takes plain http on a LAN address', () => {
    expect(urls('http://10.0.0.5:8080')).toEqual({
      base: 'http://10.0.0.5:8080',
      ws: 'ws://10.0.0.5:8080/ws',
      login: 'http://10.0.0.5:8080/api/v1/login',
    });
  });

  it('assumes https without a scheme unless a non-TLS port is given', () => {
    expect(urls('hub.example.ru')?.base).toBe('https://hub.example.ru');
    expect(urls('hub.example.ru:8443')?.base).toBe('https://hub.example.ru:8443');
    expect(urls('hub.example.ru:443')?.base).toBe('https://hub.example.ru');
    expect(urls('hub.example.ru:8080')?.ws).toBe('ws://hub.example.ru:8080/ws');
    expect(urls('localhost:8080')?.base).toBe('http://localhost:8080');
  });

  it('drops default ports, trailing slashes, queries and fragments, and lowercases the host', () => {
    expect(urls('HTTPS://Hub.Example.RU:443/')?.base).toBe('https://hub.example.ru');
    expect(urls('http://hub:80')?.base).toBe('http://hub');
    expect(urls('  https://hub/#/c/5  ')?.base).toBe('https://hub');
    expect(urls('https://hub/?x=1')?.base).toBe('https://hub');
  });

  it('keeps a reverse-proxy path and strips a pasted /ws or /index.html', () => {
    expect(urls('https://intra.local/beseda/')).toEqual({
      base: 'https://intra.local/beseda',
      ws: 'wss://intra.local/beseda/ws',
      login: 'https://intra.local/beseda/api/v1/login',
    });
    expect(urls('wss://hub.example.ru/ws')?.base).toBe('https://hub.example.ru');
    expect(urls('https://hub/index.html')?.base).toBe('https://hub');
  });

  it('maps ws and wss schemes to http and https', () => {
    expect(urls('ws://127.0.0.1:9000')?.base).toBe('http://127.0.0.1:9000');
    expect(urls('wss://hub')?.ws).toBe('wss://hub/ws');
  });

  it('accepts IPv6 literals and Cyrillic domain names', () => {
    expect(urls('http://[::1]:8080')?.ws).toBe('ws://[::1]:8080/ws');
    expect(urls('чат.пример.рф')?.base).toBe('https://чат.пример.рф');
  });

  it('refuses what is not a hub address', () => {
    for (const bad of [
      '',
      '   ',
      'ftp://hub',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pass@hub',
      'https://hub:0',
      'https://hub:70000',
      'https://hub:port',
      'https://',
      'hub example',
      'https://-hub',
      'https://hub..ru',
      'https://hub/<script>',
    ]) {
      expect(parseHubAddress(bad), bad).toBeNull();
    }
  });
});
