import { describe, expect, it } from 'vitest';
import { csvCell, EXPORT_COLUMNS, toCsv } from './export.service.js';
import type { ExecutionRowDto } from './dto/performance-response.dto.js';

describe('CSV export', () => {
  it('quotes cells with commas, quotes or line breaks (RFC 4180) and leaves plain ones alone', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.125)).toBe('0.125');
    expect(csvCell(false)).toBe('false');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@sum')).toBe("'@sum");
    // Numbers are numbers, negative or not.
    expect(csvCell(-1)).toBe('-1');
  });

  it('writes a header row and one row per execution, in column order', () => {
    const row = Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, null])) as unknown as ExecutionRowDto;
    const csv = toCsv([
      { ...row, task_id: 'a', type: 'get_task_list', duration_ms: 12, cache_hit: true },
      { ...row, task_id: 'b', tenant_id: 'acme,inc' },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[1].split(',')).toHaveLength(EXPORT_COLUMNS.length);
    expect(lines[1].startsWith('a,,,get_task_list,')).toBe(true);
    expect(lines[2].startsWith('b,,"acme,inc",')).toBe(true);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
    expect(toCsv([])).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
  });
});
