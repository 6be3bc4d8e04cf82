// What the UI says about a failed backend call, whichever way it failed: a RequestError from the
// in-page client core, or the plain {name, code, message} object the desktop preload rejects with
// (Electron keeps only an Error's message across the bridge).
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../common/client/RequestError.ts';
import { errorCode, errorDetails, errorTextIn, signInFailureOf } from '../../renderer/actions/errorText.ts';

/** What the preload gives the renderer for a call the main process rejected. */
const bridged = (code: string, message: string) => ({ name: 'RequestError', code, message });

describe('errorText', () => {
  it('reads code and message from an Error and from a plain bridged object alike', () => {
    expect(errorDetails(new RequestError('conflict', 'the name is taken'))).toEqual({
      code: 'conflict',
      message: 'the name is taken',
    });
    expect(errorDetails(bridged('conflict', 'the name is taken'))).toEqual({
      code: 'conflict',
      message: 'the name is taken',
    });
    // A plain object is not an Error: the old `instanceof Error` check lost its message.
    expect(bridged('x', 'y') instanceof Error).toBe(false);
    expect(errorCode(bridged('forbidden', 'no'))).toBe('forbidden');
  });

  it('copes with errors that are not objects or carry no message', () => {
    expect(errorDetails('boom')).toEqual({ code: '', message: 'boom' });
    expect(errorDetails(null)).toEqual({ code: '', message: 'null' });
    expect(errorDetails(undefined)).toEqual({ code: '', message: 'undefined' });
    expect(errorDetails(42)).toEqual({ code: '', message: '42' });
    expect(errorDetails({ code: 'timeout' })).toEqual({ code: 'timeout', message: 'timeout' });
    expect(errorDetails({ code: 7, message: 8 })).toEqual({ code: '', message: '' });
    expect(errorDetails(new TypeError('Failed to fetch'))).toEqual({ code: '', message: 'Failed to fetch' });
  });

  it('says what went wrong in the UI language, by code when the code is known', () => {
    expect(errorTextIn('ru', bridged('forbidden', 'only the owner may'))).toBe('Недостаточно прав для этого действия');
    expect(errorTextIn('en', bridged('forbidden', 'only the owner may'))).toBe('You are not allowed to do that');
    expect(errorTextIn('ru', bridged('not_found', 'no such room'))).toBe('Не найдено — возможно, это уже удалено');
    for (const code of ['offline', 'disconnected', 'timeout', 'unavailable'])
      expect(errorTextIn('ru', bridged(code, 'x'))).toBe('Нет связи с сервером — попробуйте ещё раз после подключения');
    expect(errorTextIn('ru', bridged('conflict', 'the name is taken'))).toBe('Не получилось: the name is taken');
    expect(errorTextIn('en', new Error('disk full'))).toBe('That did not work: disk full');
    // Never "[object Object]".
    expect(errorTextIn('ru', {})).toBe('Не получилось: неизвестная ошибка');
    expect(errorTextIn('en', {})).toBe('That did not work: unknown error');
  });

  it('keeps a sign-in code the bridge passed on, and calls anything else internal', () => {
    expect(signInFailureOf(bridged('unreachable', 'connect ECONNREFUSED'))).toEqual({
      code: 'unreachable',
      message: 'connect ECONNREFUSED',
    });
    expect(signInFailureOf(bridged('rate_limited', 'slow down')).code).toBe('rate_limited');
    expect(signInFailureOf(bridged('no_such_method', 'not allowed'))).toEqual({
      code: 'internal',
      message: 'not allowed',
    });
    expect(signInFailureOf(new Error('bridge gone'))).toEqual({ code: 'internal', message: 'bridge gone' });
  });
});
