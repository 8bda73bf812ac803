import { toCsv } from '../../src/kernel/text/csv.js';

describe('CSV the engine writes', () => {
  it.each([
    ['=HYPERLINK("http://example.invalid","x")', `"'=HYPERLINK(""http://example.invalid"",""x"")"`],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ['+1+1', "'+1+1"],
    ['-1-1-1', "'-1-1-1"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('neutralises a cell a spreadsheet would run as a formula: %j', (cell, written) => {
    expect(toCsv([[cell]])).toBe(`${written}\r\n`);
  });

  it('leaves plain numbers, negative amounts included, and ordinary text as they are, quoting only where RFC 4180 must', () => {
    expect(toCsv([['-4.63', '+12', 1234.5, -3, 'Li Wei', 'a,b', 'say "hi"']])).toBe('-4.63,+12,1234.5,-3,Li Wei,"a,b","say ""hi"""\r\n');
  });
});
