import { describe, expect, it } from 'vitest';
import { foldForSearch, foldedIncludes } from '../../common/text/foldForSearch.ts';

describe('search folding', () => {
  it('folds case by Russian rules and ё to е', () => {
    expect(foldForSearch('Фёдорова')).toBe('федорова');
    expect(foldForSearch('ЁЛКИН')).toBe('елкин');
    expect(foldedIncludes('Анна Фёдорова, бухгалтерия', 'федорова')).toBe(true);
    expect(foldedIncludes('Федорова', 'ФЁДОР')).toBe(true);
  });
  it('joins compatibility forms and drops invisible characters', () => {
    expect(foldForSearch('Ｉｖａｎ')).toBe('ivan');
    expect(foldForSearch('бух\u00ADгал\u200Bтерия')).toBe('бухгалтерия');
  });
  it('does not match what differs', () => {
    expect(foldedIncludes('Петров', 'петрова')).toBe(false);
    expect(foldedIncludes('Иванов', '')).toBe(true);
  });
});
