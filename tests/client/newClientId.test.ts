import { describe, expect, it } from 'vitest';
import { newClientId } from '../../common/client/newClientId.ts';
import * as v from 'valibot';
import { ClientIdSchema } from '../../common/protocol/clientFrame.ts';

describe('newClientId', () => {
  it('is at least 16 base64url characters that the protocol accepts', () => {
    for (let i = 0; i < 200; i++) {
      const id = newClientId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(v.is(ClientIdSchema, id)).toBe(true);
    }
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newClientId()));
    expect(ids.size).toBe(10_000);
  });
});
