/**
 * Where an arrow key moves in the picker's grid: rows of cells (flat indices), sections one after
 * another, rows of a section up to `columns` long (the last one shorter). Up and down keep the
 * column where the row has one (else its last cell); left and right walk the flat order; Home and
 * End go to the row's ends, PageUp/PageDown five rows. Null for other keys.
 */
export function gridMove(sectionSizes: readonly number[], columns: number, from: number, key: string): number | null {
  const rows: number[][] = [];
  let start = 0;
  for (const size of sectionSizes) {
    for (let i = 0; i < size; i += columns) {
      rows.push(Array.from({ length: Math.min(columns, size - i) }, (_, k) => start + i + k));
    }
    start += size;
  }
  const total = start;
  if (total === 0) return null;
  const at = Math.min(Math.max(from, 0), total - 1);
  const r = rows.findIndex((row) => row.includes(at));
  const c = rows[r]!.indexOf(at);
  const rowAt = (target: number) => {
    const row = rows[Math.min(Math.max(target, 0), rows.length - 1)]!;
    return row[Math.min(c, row.length - 1)]!;
  };
  switch (key) {
    case 'ArrowRight':
      return Math.min(at + 1, total - 1);
    case 'ArrowLeft':
      return Math.max(at - 1, 0);
    case 'ArrowDown':
      return rowAt(r + 1);
    case 'ArrowUp':
      return rowAt(r - 1);
    case 'PageDown':
      return rowAt(r + 5);
    case 'PageUp':
      return rowAt(r - 5);
    case 'Home':
      return rows[r]![0]!;
    case 'End':
      return rows[r]![rows[r]!.length - 1]!;
    default:
      return null;
  }
}
